"""CMYK for offset printing: the paper's profile, the drawings converted by LittleCMS, the
palette in process colours with the ink (text, day numbers, rules) in black alone, and the
total ink of every page measured on a Ghostscript rendering, which also gives the soft proofs.

Rendering intent for the drawings: **perceptual**. Children paint with saturated colours
(felt-tip blues and greens, poster-paint orange) far outside what four inks can print on
offset paper, and most outside it on uncoated stock. Relative colorimetric keeps the colours
inside the gamut exact but clips every colour outside it to the nearest printable one, so
the strokes and shading a child put into a sky or a jumper collapse into one flat patch.
Perceptual compresses the whole sRGB gamut into the paper's (the shipped profiles' tables
were made with sRGB as their source gamut), keeping those differences at the cost of
slightly quieter colours; it maps black to the paper's black as well, so black point
compensation is built in. It is also what ECI and Fogra recommend for RGB images going to
CMYK. The palette (flat colours of the design) goes the other way: relative colorimetric
with black point compensation, so that each colour is as close as the paper allows.
"""

import io
import shutil
import subprocess
import tempfile
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from PIL import Image, ImageCms, ImageMath
from reportlab.lib.colors import CMYKColor

from .spec import Colours

PROFILES_DIR = Path(__file__).parent / "profiles"
ICC_REGISTRY = "http://www.color.org"
INK_DPI = 72  # the rendering the total ink is measured on: pixels of 0.35 mm
# A few pixels over the limit are interpolation, not a printing problem; an area the size of
# a fingertip is (preflight tools also measure the area, not a single pixel).
INK_AREA_TOLERANCE_MM2 = 1.0
BAND_ROWS = 256  # drawings are resized and converted this many rows at a time

Cmyk = tuple[float, float, float, float]  # percentages, 0-100
BLACK: Cmyk = (0.0, 0.0, 0.0, 100.0)
PAPER: Cmyk = (0.0, 0.0, 0.0, 0.0)


class PrepressError(RuntimeError):
    """A printing condition or tool that cannot be used; the message says why."""


@dataclass(frozen=True)
class PrintCondition:
    """What the file is prepared for: an ICC output profile and, for CMYK, its ink limit.

    ``identifier`` is the output intent's OutputConditionIdentifier: a condition registered
    with the ICC (``FOGRA39``) or ``Custom`` for a printer's own profile, described by
    ``info``.
    """

    name: str
    profile: Path
    identifier: str
    info: str
    colour_space: Literal["RGB", "CMYK"] = "CMYK"
    ink_limit: float | None = None  # total area coverage in percent (C + M + Y + K)
    registry: str = ICC_REGISTRY

    @property
    def profile_bytes(self) -> bytes:
        return self.profile.read_bytes()


SRGB = PrintCondition(
    "sRGB", PROFILES_DIR / "srgb-output.icc", "sRGB IEC61966-2.1",
    "sRGB IEC61966-2.1 as the printing condition: the print shop converts to its own",
    colour_space="RGB",
)
COATED = PrintCondition(
    "coated", PROFILES_DIR / "coated-fogra39-tac300.icc", "FOGRA39",
    "Offset printing on coated paper (ISO 12647-2:2004/Amd 1, paper type 1 or 2), "
    "total ink 300 %", ink_limit=300.0,
)
UNCOATED = PrintCondition(
    "uncoated", PROFILES_DIR / "uncoated-fogra29-tac260.icc", "FOGRA29",
    "Offset printing on uncoated white paper (ISO 12647-2:2004, paper type 4), "
    "total ink 260 %", ink_limit=260.0,
)
PAPERS = {"coated": COATED, "uncoated": UNCOATED}


def printer_condition(profile: Path, ink_limit: float, name: str = "") -> PrintCondition:
    """The printer's own CMYK profile as the printing condition, with its total ink limit.

    Raises ``PrepressError`` when the file is not an ICC output profile for CMYK.
    """
    data = Path(profile).read_bytes()
    try:
        icc = ImageCms.ImageCmsProfile(io.BytesIO(data))
    except (OSError, ImageCms.PyCMSError) as error:
        raise PrepressError(f"{profile} is not an ICC profile: {error}") from error
    if icc.profile.xcolor_space.strip() != "CMYK" or icc.profile.device_class != "prtr":
        raise PrepressError(
            f"{profile} is a {icc.profile.device_class} profile for "
            f"{icc.profile.xcolor_space.strip()}: a CMYK output profile (prtr) is needed")
    if not 100 <= ink_limit <= 400:
        raise PrepressError(f"the total ink limit must be 100-400 %, not {ink_limit:g}")
    description = ImageCms.getProfileDescription(icc).strip() or Path(profile).name
    return PrintCondition(name or description, Path(profile), "Custom",
                          f"{description}, total ink {ink_limit:g} %", ink_limit=ink_limit)


def percent_cmyk(cmyk: Cmyk) -> CMYKColor:
    """ReportLab's colour for CMYK percentages."""
    c, m, y, k = (round(v) / 100 for v in cmyk)
    return CMYKColor(c, m, y, k)


class ProcessColours:
    """The design's #RRGGBB colours as process colours for one printing condition.

    The ink (text, day numbers, rules) prints in black alone, 100 % K, and a tint of the ink
    on the paper (the grid's light rules) as that share of K: never a four-colour black made
    by converting the ink's RGB. The paper is no ink at all. Every other colour goes through
    the paper's profile, relative colorimetric with black point compensation, rounded to
    whole percents. ``fixed`` gives CMYK percentages of its own to any palette name
    (``{"accent": (0, 75, 90, 0)}``), for a design with agreed process colours.
    """

    def __init__(self, colours: Colours, condition: PrintCondition,
                 fixed: Mapping[str, Cmyk] | None = None) -> None:
        fixed = dict(fixed or {})
        self.ink = tuple(float(v) for v in fixed.pop("ink", BLACK))
        self._ink_rgb = _rgb(colours.ink)
        self._paper_rgb = _rgb(colours.paper)
        self._known: dict[str, Cmyk] = {colours.paper.upper(): PAPER,
                                         colours.ink.upper(): self.ink}
        for name, cmyk in fixed.items():
            self._known[getattr(colours, name).upper()] = tuple(float(v) for v in cmyk)
        self._transform = ImageCms.buildTransform(
            ImageCms.createProfile("sRGB"), ImageCms.ImageCmsProfile(str(condition.profile)),
            "RGB", "CMYK", ImageCms.Intent.RELATIVE_COLORIMETRIC,
            flags=ImageCms.Flags.BLACKPOINTCOMPENSATION)

    def cmyk(self, colour: str) -> Cmyk:
        """The CMYK percentages for ``colour`` (#RRGGBB)."""
        key = colour.upper()
        if key not in self._known:
            strength = self._ink_strength(_rgb(key))
            if strength is not None:
                self._known[key] = tuple(round(v * strength, 1) for v in self.ink)
            else:
                pixel = ImageCms.applyTransform(Image.new("RGB", (1, 1), _rgb(key)),
                                                self._transform)
                self._known[key] = tuple(round(v / 2.55) for v in pixel.getpixel((0, 0)))
        return self._known[key]

    def __call__(self, colour: str) -> CMYKColor:
        """ReportLab's colour for ``colour``: what the renderer paints with."""
        return percent_cmyk(self.cmyk(colour))

    def _ink_strength(self, rgb: tuple[int, int, int]) -> float | None:
        """The share of ink at which the ink on the paper looks like ``rgb``, if it does."""
        pairs = [(ink, paper, value) for ink, paper, value
                 in zip(self._ink_rgb, self._paper_rgb, rgb, strict=True)]
        spans = [(paper - value) / (paper - ink) for ink, paper, value in pairs
                 if abs(paper - ink) >= 32]
        if not spans:
            return None
        strength = sum(spans) / len(spans)
        if not 0 < strength < 1:
            return None
        if all(abs(paper + (ink - paper) * strength - value) <= 1.5
               for ink, paper, value in pairs):
            return round(strength, 2)
        return None


class DrawingConverter:
    """Drawings from sRGB to the paper's CMYK, perceptual (see the module's docstring).

    ``prepare_image`` calls ``resize`` with the upright sRGB drawing and the pixel size to
    embed, frees the drawing, then calls the converter with the resized drawing. Both work a
    band of ``BAND_ROWS`` rows at a time and paste it into the result, so that neither the
    resampler's intermediate image nor a second full-size copy is ever held: a band gives
    the same pixels as the whole image would (``tests/calendar_builder/test_prepress.py``).
    LittleCMS and the resampler release the GIL, so the build's threads work in parallel.
    """

    def __init__(self, condition: PrintCondition) -> None:
        self._transform = ImageCms.buildTransform(
            ImageCms.createProfile("sRGB"), ImageCms.ImageCmsProfile(str(condition.profile)),
            "RGB", "CMYK", ImageCms.Intent.PERCEPTUAL)

    def resize(self, rgb: Image.Image, size: tuple[int, int]) -> Image.Image:
        """``rgb`` at ``size`` (Lanczos), or ``rgb`` itself when it has that size."""
        if rgb.size == size:
            return rgb
        out = Image.new("RGB", size)
        scale = rgb.height / size[1]
        for top, bottom in _bands(size[1]):
            out.paste(rgb.resize((size[0], bottom - top), Image.Resampling.LANCZOS,
                                 box=(0, top * scale, rgb.width, bottom * scale)), (0, top))
        return out

    def __call__(self, rgb: Image.Image, size: tuple[int, int]) -> Image.Image:
        """``rgb`` at ``size`` in the paper's CMYK."""
        rgb = self.resize(rgb, size)
        out = Image.new("CMYK", size)
        for top, bottom in _bands(size[1]):
            band = rgb.crop((0, top, size[0], bottom))
            out.paste(ImageCms.applyTransform(band, self._transform), (0, top))
        return out


def _bands(height: int) -> Iterator[tuple[int, int]]:
    for top in range(0, height, BAND_ROWS):
        yield top, min(top + BAND_ROWS, height)


# Ghostscript: the total ink and the soft proofs ------------------------------------------


@dataclass(frozen=True)
class InkCoverage:
    """The total ink on one page, measured on its rendering out to the bleed."""

    page: int  # 1 is the cover
    max_percent: float  # the highest C + M + Y + K of any pixel
    area_above_mm2: float  # how much of the page lies above the limit
    limit: float

    @property
    def passed(self) -> bool:
        return self.area_above_mm2 <= INK_AREA_TOLERANCE_MM2


def ghostscript() -> str:
    """The Ghostscript command; raises ``PrepressError`` when it is not installed."""
    path = shutil.which("gs")
    if path is None:
        raise PrepressError("Ghostscript (gs) is not installed: it renders the CMYK pages "
                            "to measure their ink (Debian package ghostscript)")
    return path


def render_cmyk(pdf_path: Path | str, dpi: float,
                box: Literal["BleedBox", "TrimBox", "MediaBox"]) -> Iterator[Image.Image]:
    """Each page rendered by Ghostscript as 8-bit CMYK, cut at ``box``, in order.

    DeviceCMYK values reach the raster unchanged (Ghostscript converts nothing between a
    CMYK file and a CMYK device), so these are the separations the plates will carry.
    """
    options = [] if box == "MediaBox" else [f"-dUse{box}"]
    with tempfile.TemporaryDirectory(prefix="calendar-gs-") as scratch:
        subprocess.run(
            [ghostscript(), "-q", "-dSAFER", "-dBATCH", "-dNOPAUSE", "-sDEVICE=tiff32nc",
             f"-r{dpi:g}", *options, f"-sOutputFile={scratch}/page-%03d.tif", str(pdf_path)],
            check=True, capture_output=True, timeout=600)
        for path in sorted(Path(scratch).glob("page-*.tif")):
            with Image.open(path) as page:
                page.load()
                yield page


def ink_coverage(pdf_path: Path | str, limit: float, dpi: float = INK_DPI
                 ) -> tuple[InkCoverage, ...]:
    """The total ink of every page of a CMYK PDF, out to its BleedBox, against ``limit``."""
    pixel_mm2 = (25.4 / dpi) ** 2
    threshold = limit * 2.55  # four 8-bit channels: 255 is 100 %
    pages = []
    for number, page in enumerate(render_cmyk(pdf_path, dpi, "BleedBox"), start=1):
        c, m, y, k = page.split()
        total = ImageMath.lambda_eval(lambda a: a["c"] + a["m"] + a["y"] + a["k"],
                                      c=c, m=m, y=y, k=k)
        above = ImageMath.lambda_eval(lambda a: a["t"] > threshold, t=total)
        pixels_above = above.convert("L").histogram()[1]
        pages.append(InkCoverage(number, round(total.getextrema()[1] / 2.55, 1),
                                 round(pixels_above * pixel_mm2, 1), limit))
    return tuple(pages)


def proof_previews(pdf_path: Path | str, profile: bytes, out_dir: Path, dpi: float,
                   trim: bool) -> list[Path]:
    """Soft proofs: the CMYK pages as the press will print them on the paper, as PNGs.

    Ghostscript renders the separations; LittleCMS shows them through the paper's profile
    with the absolute colorimetric intent, so the paper's own white and the inks' deepest
    black are simulated, as a proof on screen does.
    """
    to_screen = ImageCms.buildTransform(
        ImageCms.ImageCmsProfile(io.BytesIO(profile)), ImageCms.createProfile("sRGB"),
        "CMYK", "RGB", ImageCms.Intent.ABSOLUTE_COLORIMETRIC)
    paths = []
    for number, page in enumerate(render_cmyk(pdf_path, dpi, "TrimBox" if trim else "MediaBox"),
                                  start=1):
        path = out_dir / f"page-{number:02d}.png"
        ImageCms.applyTransform(page, to_screen).save(path, optimize=True)
        paths.append(path)
    return paths


def _rgb(colour: str) -> tuple[int, int, int]:
    red, green, blue = bytes.fromhex(colour.lstrip("#"))
    return red, green, blue
