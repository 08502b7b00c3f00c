"""One call from a specification to a print-ready PDF and its preflight report."""

import os
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from .fonts import register_fonts
from .geometry import MM
from .images import MIN_DPI, PreparedImage, prepare_image, upright_size
from .layout import PageLayout, Picture, calendar_layout
from .pdfx import DEFAULT_OUTPUT, Output, finish
from .render import render_pdf
from .report import BuildReport, ImageCheck, PageCheck, TextCheck
from .spec import CalendarSpec, SpecError

Progress = Callable[[int, int, str], None]
# Pillow releases the GIL while it decodes, resizes and encodes, so threads use every core
# without copying 24-megapixel images between processes.
WORKERS = min(4, os.cpu_count() or 1)


def build_calendar(
    spec: CalendarSpec,
    out_path: Path | str,
    progress: Progress | None = None,
    *,
    deterministic: bool = False,
    output: Output = DEFAULT_OUTPUT,
) -> BuildReport:
    """Write the calendar of ``spec`` to ``out_path`` and return its preflight report.

    ``progress(done, total, message)`` is called as images are prepared and pages written.
    ``deterministic`` makes the PDF byte-identical for the same specification and images.
    ``output`` chooses the file: PDF/X-4 (sRGB) by default, CMYK PDF/X-1a for a paper, or
    plain RGB (see ``pdfx``); the report's ``prepress`` part says what was checked.
    Raises ``SpecError`` for a missing drawing and ``TextOverflow`` (naming the page) for a
    text too long for its box.
    """
    started = time.perf_counter()
    out_path = Path(out_path)
    report = progress or (lambda done, total, message: None)
    fonts = register_fonts(spec.fonts)
    layouts = calendar_layout(spec, drawing_sizes(spec), fonts)
    placements = [(index, picture) for index, layout in enumerate(layouts)
                  for picture in layout.pictures]
    total = len(placements) + len(layouts)
    done = 0
    images: dict[tuple[int, str], PreparedImage] = {}
    convert = output.drawing_converter()
    with ThreadPoolExecutor(WORKERS) as pool:
        futures = {
            (index, picture.what): pool.submit(
                prepare_image, picture.source, (picture.image.w / 72, picture.image.h / 72),
                convert)
            for index, picture in placements
        }
        for key, future in futures.items():
            images[key] = future.result()
            done += 1
            report(done, total, f"image {done} of {len(placements)}")

    def on_page(number: int) -> None:
        report(len(placements) + number, total, f"page {number} of {len(layouts)}")

    title = f"{spec.cover.title.get(spec.language)} {spec.year}"
    render_pdf(layouts, images, out_path, fonts, title=title,
               language=spec.language, crop_marks=spec.crop_marks,
               deterministic=deterministic, on_page=on_page,
               paint=output.palette(spec.colours), registration=output.registration())
    prepress = finish(out_path, output, title=title, deterministic=deterministic)
    trim = layouts[0].frame.trim
    return BuildReport(
        output=str(out_path),
        language=spec.language,
        page_format=f"{spec.page_format} {spec.orientation}",
        trim_mm=(round(trim.w / MM, 1), round(trim.h / MM, 1)),
        bleed_mm=spec.bleed_mm,
        pages=tuple(_check(index, layout, images) for index, layout in enumerate(layouts)),
        size_bytes=out_path.stat().st_size,
        seconds=round(time.perf_counter() - started, 2),
        prepress=prepress,
    )


def drawing_sizes(spec: CalendarSpec) -> dict[Path, tuple[int, int]]:
    """Each drawing's upright pixel size, read from its header: what ``calendar_layout`` needs.

    Raises SpecError naming a drawing that cannot be read.
    """
    sizes = {}
    for path in spec.drawings:
        try:
            sizes[path] = upright_size(path)
        except OSError as error:
            raise SpecError(f"cannot read drawing {path}: {error}") from error
    return sizes


def _check(index: int, layout: PageLayout,
           images: dict[tuple[int, str], PreparedImage]) -> PageCheck:
    checks = tuple(_image_check(p, images[(index, p.what)]) for p in layout.pictures)
    warnings = tuple(
        f"{check.what} ({Path(check.source).name}) prints at {min(check.effective_dpi):.0f} dpi,"
        f" below {MIN_DPI}: it may look soft; a larger scan or photo would print sharper"
        for check in checks if min(check.effective_dpi) < MIN_DPI - 0.5
    )
    return PageCheck(
        number=index + 1,
        name=layout.name,
        images=checks,
        shrunk_texts=_shrunk_texts(layout),
        warnings=warnings,
    )


def _shrunk_texts(layout: PageLayout) -> tuple[TextCheck, ...]:
    """Every text set smaller than designed, once: the day numbers (one size) as one entry."""
    checks: dict[tuple[str, float, float], None] = {}
    for text in layout.texts:
        if text.shrink < 0.999:
            what = "day numbers" if text.what.startswith("day ") else text.what
            checks[(what, round(text.size, 2), round(text.preferred_size, 2))] = None
    return tuple(TextCheck(*check) for check in checks)


def _image_check(picture: Picture, prepared: PreparedImage) -> ImageCheck:
    inches = (picture.image.w / 72, picture.image.h / 72)
    return ImageCheck(
        what=picture.what,
        source=str(picture.source),
        source_pixels=picture.pixels,
        embedded_pixels=prepared.pixels,
        effective_dpi=(round(prepared.pixels[0] / inches[0], 1),
                       round(prepared.pixels[1] / inches[1], 1)),
        crop={side: round(share, 4) for side, share in picture.crop.items()},
        passthrough=prepared.passthrough,
        resampled=prepared.resampled,
    )
