# Over 400 lines: what the file claims and the checks of that claim read the same PDF objects.
"""PDF/X: which file to write (``Output``), its identification, and the checks a validator
would make, so that the preflight says which standard the file claims and what was checked.

- **PDF/X-4** (the default): the RGB calendar with an sRGB output intent; the print shop
  converts to its own CMYK. PDF 1.6, identified in the Info dictionary and in XMP
  (``pdfxid:GTS_PDFXVersion``).
- **PDF/X-1a:2003**: every colour in CMYK for one paper (see ``cmyk``): the drawings
  converted by LittleCMS, the text in black alone. PDF 1.4, no transparency. PDF/X-3 is
  never needed: nothing in the file is left in an ICC-based or RGB colour space.
- **RGB**: the plain PDF of before, for screens and office printers; nothing is claimed.

No PDF/X validator is at hand; ``check_pdfx`` reads the written file back with pikepdf and
checks what a validator checks (listed in README.md), and the total ink is measured on a
Ghostscript rendering. The identification is written with pikepdf: the output intent as PDF
objects and the XMP through its metadata API, never as hand-written XML.
"""

import hashlib
import io
import uuid
import xml.etree.ElementTree as ElementTree
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path

import pikepdf
from PIL import ImageCms
from reportlab.lib.colors import CMYKColor, Color, HexColor

from .cmyk import (
    BLACK,
    PAPERS,
    SRGB,
    Cmyk,
    DrawingConverter,
    InkCoverage,
    PrepressError,
    PrintCondition,
    ProcessColours,
    ink_coverage,
    printer_condition,
)
from .spec import Colours

RGB = "RGB"
PDFX4 = "PDF/X-4"
PDFX1A = "PDF/X-1a:2003"
PDF_VERSION = {PDFX4: "1.6", PDFX1A: "1.4"}
# The ways the app and the command line name an output.
OUTPUT_KINDS = ("rgb", "pdfx4", "coated", "uncoated")


@dataclass(frozen=True)
class Output:
    """The PDF to write: plain ``RGB``, ``PDF/X-4`` for sRGB, or ``PDF/X-1a:2003`` for a
    CMYK printing condition (``cmyk.COATED``, ``cmyk.UNCOATED`` or the printer's own).

    ``cmyk_colours`` gives palette names CMYK percentages of their own (the ink is
    ``0, 0, 0, 100`` unless given here).
    """

    standard: str = PDFX4
    condition: PrintCondition | None = SRGB
    cmyk_colours: Mapping[str, Cmyk] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if self.standard == RGB and self.condition is not None:
            raise PrepressError("a plain RGB PDF has no printing condition")
        if self.standard == PDFX4 and (self.condition is None
                                       or self.condition.colour_space != "RGB"):
            raise PrepressError("PDF/X-4 is written for an RGB printing condition (sRGB)")
        if self.standard == PDFX1A and (self.condition is None
                                        or self.condition.colour_space != "CMYK"):
            raise PrepressError("PDF/X-1a needs a CMYK printing condition")
        if self.standard not in (RGB, PDFX4, PDFX1A):
            raise PrepressError(f"unknown output {self.standard!r}")

    @property
    def cmyk(self) -> bool:
        return self.standard == PDFX1A

    @property
    def ink(self) -> Cmyk:
        """The CMYK of the design's ink: text, day numbers and rules."""
        return tuple(float(v) for v in self.cmyk_colours.get("ink", BLACK))

    def palette(self, colours: Colours) -> Callable[[str], Color]:
        """What the renderer paints a #RRGGBB colour with: itself, or its process colours."""
        if not self.cmyk:
            return HexColor
        return ProcessColours(colours, self.condition, self.cmyk_colours)

    def registration(self) -> Color:
        """The colour of crop marks: all inks on a CMYK file, black where RGB is declared."""
        return Color(0, 0, 0) if self.standard == PDFX4 else CMYKColor(1, 1, 1, 1)

    def drawing_converter(self) -> DrawingConverter | None:
        return DrawingConverter(self.condition) if self.cmyk else None


def output_for(kind: str, profile: Path | None = None, ink_limit: float | None = None
               ) -> Output:
    """The ``Output`` named ``rgb``, ``pdfx4``, ``coated`` or ``uncoated``.

    For ``coated``/``uncoated``, ``profile`` takes the printer's own CMYK profile in place
    of the shipped one and ``ink_limit`` its total ink limit (by default the paper's).
    """
    if kind == "rgb":
        return Output(RGB, None)
    if kind == "pdfx4":
        return Output(PDFX4, SRGB)
    if kind not in PAPERS:
        raise PrepressError(f"unknown output {kind!r}: one of {', '.join(OUTPUT_KINDS)}")
    paper = PAPERS[kind]
    limit = ink_limit if ink_limit is not None else paper.ink_limit
    if profile is not None:
        return Output(PDFX1A, printer_condition(profile, limit, name=kind))
    if limit != paper.ink_limit:
        paper = PrintCondition(paper.name, paper.profile, paper.identifier, paper.info,
                               ink_limit=limit)
    return Output(PDFX1A, paper)


DEFAULT_OUTPUT = Output()


# The preflight ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Check:
    """One check a PDF/X validator makes, and what it found."""

    name: str
    passed: bool
    detail: str


@dataclass(frozen=True)
class PrepressReport:
    """Which standard the file claims, for which condition, and what was checked."""

    standard: str
    condition: str  # the printing condition's name: "sRGB", "coated", ...; "" for RGB
    output_intent: str  # its identifier and description, as written in the file
    checks: tuple[Check, ...]
    ink_limit: float | None = None
    ink: tuple[InkCoverage, ...] = ()

    @property
    def passed(self) -> bool:
        return all(check.passed for check in self.checks)

    def to_lines(self) -> list[str]:
        """The preflight's PDF/X part, as lines of text."""
        if self.standard == RGB:
            return ["Output: RGB, no PDF/X (for screens and office printers)"]
        lines = [f"Output: {self.standard} for {self.output_intent}: "
                 + ("passed" if self.passed else "FAILED")]
        lines += [f"  [{'ok' if c.passed else 'FAIL'}] {c.name}: {c.detail}" for c in self.checks]
        lines += [f"  page {p.page:2d}: total ink up to {p.max_percent:.0f} %"
                  + (f", {p.area_above_mm2:g} mm² above {p.limit:g} %"
                     if p.area_above_mm2 else "")
                  for p in self.ink]
        return lines


def finish(path: Path, output: Output, *, title: str, deterministic: bool) -> PrepressReport:
    """Identify the rendered PDF at ``path`` as ``output`` claims, then check it.

    Writes the output intent, the Info keys and the XMP with pikepdf (in place), checks the
    file as a validator would and, for CMYK, measures the total ink with Ghostscript.
    """
    if output.standard == RGB:
        return PrepressReport(RGB, "", "", ())
    identify(path, output, title=title, deterministic=deterministic)
    checks = list(check_pdfx(path, output))
    ink: tuple[InkCoverage, ...] = ()
    if output.cmyk:
        limit = output.condition.ink_limit
        try:
            ink = ink_coverage(path, limit)
        except PrepressError as error:
            checks.append(Check("total ink", False, str(error)))
        else:
            worst = max(ink, key=lambda page: page.max_percent)
            failing = [page.page for page in ink if not page.passed]
            checks.append(Check(
                "total ink", not failing,
                f"at most {worst.max_percent:.0f} % (page {worst.page}), limit {limit:g} %"
                + (f"; above it on pages {', '.join(map(str, failing))}" if failing else "")
                + " (Ghostscript rendering to the bleed, 72 ppi)"))
    return PrepressReport(output.standard, output.condition.name,
                          _intent_text(output.condition), tuple(checks),
                          output.condition.ink_limit, ink)


def _intent_text(condition: PrintCondition) -> str:
    return f"{condition.identifier} ({condition.info})"


def identify(path: Path, output: Output, *, title: str, deterministic: bool) -> None:
    """Write the output intent, the PDF/X keys of the Info dictionary and the XMP."""
    condition = output.condition
    with pikepdf.open(path, allow_overwriting_input=True) as pdf:
        info = pdf.docinfo
        info.Title = title
        if "/ModDate" not in info:
            info.ModDate = info.CreationDate
        # The same file gives the same id: the document id follows the rendered bytes.
        document = (uuid.UUID(bytes=hashlib.sha256(path.read_bytes()).digest()[:16], version=4)
                    if deterministic else uuid.uuid4())
        with pdf.open_metadata(set_pikepdf_as_editor=False, update_docinfo=False) as meta:
            # Title, author, creator, producer and dates: the Info keys XMP also has.
            meta.load_from_docinfo({str(key): info[key] for _, _, key, _ in meta.DOCINFO_MAPPING
                                    if key in info}, raise_failure=True)
            meta["xmp:MetadataDate"] = meta["xmp:ModifyDate"]
            meta["xmpMM:DocumentID"] = f"uuid:{document}"
            meta["xmpMM:InstanceID"] = f"uuid:{document}"
            meta["xmpMM:VersionID"] = "1"
            meta["xmpMM:RenditionClass"] = "default"
            meta["pdf:Trapped"] = "False"
            if output.standard == PDFX4:
                meta["pdfxid:GTS_PDFXVersion"] = PDFX4
            else:
                meta["pdfx:GTS_PDFXVersion"] = "PDF/X-1:2003"
                meta["pdfx:GTS_PDFXConformance"] = PDFX1A
        # The Info dictionary says the same (PDF/X-1a reads it there; PDF/X-4 in the XMP).
        info.Trapped = pikepdf.Name("/False")
        if output.standard == PDFX4:
            info.GTS_PDFXVersion = PDFX4
        else:
            info.GTS_PDFXVersion = "PDF/X-1:2003"
            info.GTS_PDFXConformance = PDFX1A
        profile = pikepdf.Stream(pdf, condition.profile_bytes)
        profile.N = 3 if condition.colour_space == "RGB" else 4
        pdf.Root.OutputIntents = pikepdf.Array([pikepdf.Dictionary(
            Type=pikepdf.Name.OutputIntent,
            S=pikepdf.Name.GTS_PDFX,
            OutputConditionIdentifier=condition.identifier,
            OutputCondition=condition.info,
            RegistryName=condition.registry,
            Info=condition.info,
            DestOutputProfile=profile,
        )])
        pdf.save(path, force_version=PDF_VERSION[output.standard],
                 object_stream_mode=pikepdf.ObjectStreamMode.disable,
                 deterministic_id=deterministic)


# Reading the file back, as a validator does -----------------------------------------------


@dataclass(frozen=True)
class TextRun:
    """One text-showing operator: its page, the fill colour space and values, the size."""

    page: int
    colour_space: str  # "DeviceCMYK", "DeviceRGB", "DeviceGray", or a named space
    colour: tuple[float, ...]
    size: float


@dataclass
class _Found:
    """What the content of a file uses, gathered in one pass over every page."""

    texts: list[TextRun] = field(default_factory=list)
    spaces: dict[str, set[int]] = field(default_factory=dict)  # colour space: pages
    images: list[tuple[int, str]] = field(default_factory=list)  # page, colour space
    transparency: list[str] = field(default_factory=list)
    fonts: dict[str, bool] = field(default_factory=dict)  # font name: embedded

    def use(self, space: str, page: int) -> None:
        self.spaces.setdefault(space, set()).add(page)


_COLOUR_OPS = {"g": "DeviceGray", "G": "DeviceGray", "rg": "DeviceRGB", "RG": "DeviceRGB",
               "k": "DeviceCMYK", "K": "DeviceCMYK"}
_TEXT_OPS = {"Tj", "TJ", "'", '"'}


def scan(path: Path) -> _Found:
    """Every colour space, image, text colour, font and transparency the pages use."""
    found = _Found()
    with pikepdf.open(path) as pdf:
        for number, page in enumerate(pdf.pages, start=1):
            if page.obj.get("/Group") is not None and page.obj.Group.get("/S") == "/Transparency":
                found.transparency.append(f"page {number} is a transparency group")
            _scan_content(page, page.obj.get("/Resources", pikepdf.Dictionary()), number, found,
                          set())
    return found


def cmyk_output_profile(path: Path | str) -> bytes | None:
    """The ICC profile of the file's PDF/X output intent when it is for CMYK, else None."""
    with pikepdf.open(path) as pdf:
        for intent in pdf.Root.get("/OutputIntents", pikepdf.Array()):
            profile = intent.get("/DestOutputProfile")
            if intent.get("/S") == "/GTS_PDFX" and profile is not None and profile.get("/N") == 4:
                return profile.read_bytes()
    return None


def text_runs(path: Path) -> list[TextRun]:
    """Every text-showing operator of the file with its fill colour (for checks and tests)."""
    return scan(path).texts


def _scan_content(holder: pikepdf.Page | pikepdf.Object, resources: pikepdf.Object,
                  page: int, found: _Found, seen: set[tuple[int, int]]) -> None:
    _scan_resources(resources, page, found)
    stack: list[tuple[str, tuple[float, ...], float]] = []
    fill: tuple[str, tuple[float, ...]] = ("DeviceGray", (0.0,))
    size = 0.0
    for operands, operator in pikepdf.parse_content_stream(holder):
        op = str(operator)
        if op == "q":
            stack.append((*fill, size))
        elif op == "Q" and stack:
            space, values, size = stack.pop()
            fill = (space, values)
        elif op in _COLOUR_OPS:
            found.use(_COLOUR_OPS[op], page)
            if op.islower():
                fill = (_COLOUR_OPS[op], tuple(float(v) for v in operands))
        elif op in ("cs", "CS"):
            space = _space_name(operands[0], resources)
            found.use(space, page)
            if op == "cs":
                fill = (space, ())
        elif op in ("sc", "scn"):
            fill = (fill[0], tuple(float(v) for v in operands if not isinstance(v, pikepdf.Name)))
        elif op == "Tf":
            size = float(operands[1])
        elif op in _TEXT_OPS:
            found.texts.append(TextRun(page, fill[0], fill[1], size))
        elif op == "Do":
            xobject = resources.XObject[operands[0]]
            if xobject.Subtype == "/Image":
                found.images.append((page, _image_space(xobject, resources)))
                if "/SMask" in xobject:
                    found.transparency.append(f"page {page}: an image with a soft mask")
            elif xobject.objgen not in seen:
                seen.add(xobject.objgen)
                _scan_content(xobject, xobject.get("/Resources", resources), page, found, seen)
        elif op == "INLINE IMAGE":
            found.images.append((page, str(operands[0].obj.get("/CS", "DeviceGray"))))


def _scan_resources(resources: pikepdf.Object, page: int, found: _Found) -> None:
    for state in resources.get("/ExtGState", pikepdf.Dictionary()).values():
        if state.get("/SMask", pikepdf.Name.None_) != pikepdf.Name.None_:
            found.transparency.append(f"page {page}: a soft mask")
        for key in ("/CA", "/ca"):
            if float(state.get(key, 1)) < 1:
                found.transparency.append(f"page {page}: opacity {float(state[key]):g}")
        if str(state.get("/BM", "/Normal")) not in ("/Normal", "/Compatible"):
            found.transparency.append(f"page {page}: blend mode {state.BM}")
        for key in ("/TR", "/TR2"):
            if key in state and str(state[key]) != "/Identity" and str(state[key]) != "/Default":
                found.transparency.append(f"page {page}: a transfer function")
    for name, font in resources.get("/Font", pikepdf.Dictionary()).items():
        found.fonts[str(font.get("/BaseFont", name))] = _embedded(font)


def _embedded(font: pikepdf.Object) -> bool:
    if font.Subtype == "/Type3":
        return True  # its glyphs are content streams of the file
    if font.Subtype == "/Type0":
        font = font.DescendantFonts[0]
    descriptor = font.get("/FontDescriptor")
    return descriptor is not None and any(
        key in descriptor for key in ("/FontFile", "/FontFile2", "/FontFile3"))


def _space_name(name: pikepdf.Object, resources: pikepdf.Object) -> str:
    if str(name) in ("/DeviceGray", "/DeviceRGB", "/DeviceCMYK", "/Pattern"):
        return str(name)[1:]
    space = resources.get("/ColorSpace", pikepdf.Dictionary()).get(name)
    return _describe_space(space) if space is not None else str(name)


def _image_space(image: pikepdf.Object, resources: pikepdf.Object) -> str:
    space = image.get("/ColorSpace")
    if space is None:
        return "stencil mask" if image.get("/ImageMask") else "none"
    if isinstance(space, pikepdf.Name) and str(space) not in (
            "/DeviceGray", "/DeviceRGB", "/DeviceCMYK"):
        space = resources.ColorSpace[space]
    return _describe_space(space)


def _describe_space(space: pikepdf.Object) -> str:
    """A colour space as text: ``DeviceCMYK``, ``ICCBased RGB``, ``Separation (DeviceCMYK)``."""
    if isinstance(space, pikepdf.Name):
        return str(space)[1:]
    kind = str(space[0])[1:]
    if kind == "ICCBased":
        return f"ICCBased {({1: 'Gray', 3: 'RGB', 4: 'CMYK'}).get(int(space[1].N), '?')}"
    if kind == "Indexed":
        return f"Indexed ({_describe_space(space[1])})"
    if kind in ("Separation", "DeviceN"):
        return f"{kind} ({_describe_space(space[2])})"
    return kind


# The checks -------------------------------------------------------------------------------


def check_pdfx(path: Path, output: Output) -> Iterator[Check]:
    """The checks a PDF/X validator makes of ``path``, as ``output`` claims it (no ink)."""
    found = scan(path)
    with pikepdf.open(path) as pdf:
        yield _check_identification(pdf, output)
        yield _check_xmp(pdf, output)
        yield _check_output_intent(pdf, output)
        yield _check_boxes(pdf)
        yield Check("encryption", not pdf.is_encrypted and "/Encrypt" not in pdf.trailer,
                    "none" if not pdf.is_encrypted else "the file is encrypted")
    unembedded = sorted(name for name, embedded in found.fonts.items() if not embedded)
    yield Check("fonts embedded", not unembedded,
                f"all {len(found.fonts)} fonts embedded" if not unembedded
                else "not embedded: " + ", ".join(unembedded))
    yield Check("transparency", not found.transparency or output.standard == PDFX4,
                "none" if not found.transparency else "; ".join(sorted(set(found.transparency))))
    yield _check_colour_spaces(found, output)
    if output.cmyk:
        yield _check_black_text(found, output)


def _check_identification(pdf: pikepdf.Pdf, output: Output) -> Check:
    info = pdf.docinfo
    problems = []
    if output.standard == PDFX4:
        expected = {"/GTS_PDFXVersion": PDFX4}
    else:
        expected = {"/GTS_PDFXVersion": "PDF/X-1:2003", "/GTS_PDFXConformance": PDFX1A}
    for key, value in expected.items():
        if str(info.get(key, "")) != value:
            problems.append(f"Info {key[1:]} is {str(info.get(key, '')) or 'missing'}")
    if str(info.get("/Trapped", "")) not in ("/True", "/False"):
        problems.append("Info Trapped is neither True nor False")
    if not str(info.get("/Title", "")).strip():
        problems.append("no title")
    problems += [f"no {key[1:]}" for key in ("/CreationDate", "/ModDate") if key not in info]
    if "/ID" not in pdf.trailer:
        problems.append("no file ID")
    if pdf.pdf_version > PDF_VERSION[output.standard]:
        problems.append(f"PDF {pdf.pdf_version}, above {PDF_VERSION[output.standard]}")
    return Check("identification", not problems, "; ".join(problems) or
                 f"{' and '.join(f'{k[1:]} {v}' for k, v in expected.items())}, "
                 f"Trapped False, title, dates, file ID, PDF {pdf.pdf_version}")


def _check_xmp(pdf: pikepdf.Pdf, output: Output) -> Check:
    if "/Metadata" not in pdf.Root:
        return Check("XMP metadata", False, "no XMP metadata stream")
    try:
        ElementTree.fromstring(pdf.Root.Metadata.read_bytes())
    except ElementTree.ParseError as error:
        return Check("XMP metadata", False, f"the XMP does not parse: {error}")
    meta = pdf.open_metadata()
    key = "pdfxid:GTS_PDFXVersion" if output.standard == PDFX4 else "pdfx:GTS_PDFXVersion"
    version = meta.get(key, "")
    problems = [] if version == str(pdf.docinfo.get("/GTS_PDFXVersion", "")) and version else [
        f"{key} is {version or 'missing'}"]
    problems += [f"no {name}" for name in ("xmpMM:DocumentID", "xmpMM:VersionID",
                                          "xmpMM:RenditionClass", "dc:title", "xmp:CreateDate",
                                          "xmp:ModifyDate") if not meta.get(name)]
    if meta.get("pdf:Trapped") != str(pdf.docinfo.get("/Trapped", ""))[1:]:
        problems.append("pdf:Trapped differs from the Info dictionary")
    return Check("XMP metadata", not problems, "; ".join(problems) or
                 f"parses; {key} {version}, document id, version, rendition class, title, "
                 "dates, Trapped as in the Info dictionary")


def _check_output_intent(pdf: pikepdf.Pdf, output: Output) -> Check:
    intents = [i for i in pdf.Root.get("/OutputIntents", pikepdf.Array())
               if i.get("/S") == "/GTS_PDFX"]
    if len(intents) != 1:
        return Check("output intent", False, f"{len(intents)} GTS_PDFX output intents, not 1")
    intent = intents[0]
    identifier = str(intent.get("/OutputConditionIdentifier", ""))
    stream = intent.get("/DestOutputProfile")
    if not identifier or stream is None:
        return Check("output intent", False, "no OutputConditionIdentifier or no profile")
    try:
        profile = ImageCms.ImageCmsProfile(io.BytesIO(stream.read_bytes())).profile
    except (OSError, ImageCms.PyCMSError) as error:
        return Check("output intent", False, f"the profile does not load: {error}")
    space = profile.xcolor_space.strip()
    wanted = output.condition.colour_space
    problems = []
    if profile.device_class != "prtr":
        problems.append(f"a {profile.device_class} profile, not an output profile (prtr)")
    if space != wanted or int(stream.get("/N", 0)) != len(wanted):
        problems.append(f"a {space} profile with N {stream.get('/N')}, not {wanted}")
    if identifier == "Custom" and not str(intent.get("/Info", "")):
        problems.append("a custom condition without Info")
    return Check("output intent", not problems, "; ".join(problems) or
                 f"{identifier}: {profile.profile_description.strip()} "
                 f"(ICC {profile.version:.1f} {space} output profile, loads in LittleCMS)")


def _check_boxes(pdf: pikepdf.Pdf) -> Check:
    problems = []
    for number, page in enumerate(pdf.pages, start=1):
        media = [float(v) for v in page.mediabox]
        if "/TrimBox" not in page.obj:
            problems.append(f"page {number} has no TrimBox")
            continue
        trim = [float(v) for v in page.obj.TrimBox]
        bleed = [float(v) for v in page.obj.get("/BleedBox", page.obj.TrimBox)]
        if not (_inside(trim, bleed) and _inside(bleed, media)):
            problems.append(f"page {number}: TrimBox {trim}, BleedBox {bleed}, MediaBox {media}")
    return Check("page boxes", not problems,
                 "; ".join(problems) or f"TrimBox ⊂ BleedBox ⊂ MediaBox on all {len(pdf.pages)} "
                 "pages")


def _inside(inner: list[float], outer: list[float], tolerance: float = 0.01) -> bool:
    return (inner[0] >= outer[0] - tolerance and inner[1] >= outer[1] - tolerance
            and inner[2] <= outer[2] + tolerance and inner[3] <= outer[3] + tolerance)


def _check_colour_spaces(found: _Found, output: Output) -> Check:
    used = set(found.spaces) | {space for _, space in found.images}
    if output.cmyk:
        allowed = {"DeviceCMYK", "DeviceGray", "Pattern", "Separation (DeviceCMYK)",
                   "DeviceN (DeviceCMYK)", "stencil mask"}
        name = "no RGB"
    else:
        allowed = {"DeviceRGB", "DeviceGray", "Pattern", "stencil mask"}
        name = "colour spaces"
    wrong = sorted(space for space in used if space not in allowed)
    detail = (f"only {', '.join(sorted(used))}; {len(found.images)} images in "
              f"{', '.join(sorted({space for _, space in found.images})) or 'none'}")
    if wrong:
        detail = "not allowed here: " + "; ".join(
            f"{space} on pages {', '.join(map(str, sorted(_pages(found, space))))}"
            for space in wrong)
    return Check(name, not wrong, detail)


def _pages(found: _Found, space: str) -> set[int]:
    return found.spaces.get(space, set()) | {page for page, s in found.images if s == space}


def _check_black_text(found: _Found, output: Output) -> Check:
    ink = tuple(v / 100 for v in output.ink)
    not_cmyk = [t for t in found.texts if t.colour_space != "DeviceCMYK"]
    in_ink = [t for t in found.texts if t.colour == ink]
    rich_black = [t for t in found.texts if t.colour_space == "DeviceCMYK"
                  and len(t.colour) == 4 and min(t.colour[:3]) > 0 and t.colour[3] > 0.5]
    problems = []
    if not_cmyk:
        problems.append(f"{len(not_cmyk)} texts not in DeviceCMYK (page {not_cmyk[0].page})")
    if rich_black:
        problems.append(f"{len(rich_black)} texts in a four-colour black "
                        f"(page {rich_black[0].page})")
    if not in_ink:
        problems.append("no text in the ink's CMYK")
    ink_text = " ".join(f"{v:g}" for v in output.ink)
    return Check("black text", not problems, "; ".join(problems) or
                 f"{len(in_ink)} of {len(found.texts)} texts in {ink_text} (the ink), the rest "
                 "in the palette's process colours; none in a four-colour black")
