"""One call from a specification to a print-ready PDF and its preflight report.

Everything that can be known before a pixel is decoded is checked first, and every problem
is reported at once (``preflight``): the specification's values, the year's days off, every
drawing's file (format, size, mode, completeness) and its resolution at its placed size.
Only then are the drawings prepared, in threads, while the pages are painted in page order
as their drawings become ready.
"""

import functools
import itertools
import os
import threading
import time
from collections.abc import Callable, Iterator, Mapping
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import replace
from pathlib import Path

from .geometry import MM
from .images import (
    GOOD_DPI,
    LARGE_DECODE_PIXELS,
    Convert,
    DrawingError,
    PreparedImage,
    prepare_image,
    quiet_pillow,
    target_pixels,
)
from .layout import PageLayout, Picture
from .layout.measure import measure
from .pdfx import DEFAULT_OUTPUT, Output, finish
from .plan import CalendarPlan, plan_calendar
from .render import render_pdf
from .report import BuildReport, ImageCheck, PageCheck, TextCheck
from .spec import CalendarSpec

Progress = Callable[[int, int, str], None]
# Pillow releases the GIL while it decodes, resizes and encodes, so threads use every core
# without copying 24-megapixel images between processes.
WORKERS = min(4, os.cpu_count() or 1)
# Below this share of the trimmed page a page's drawing is named in the warnings.
SMALL_SHARE = 0.35


def build_calendar(
    spec: CalendarSpec,
    out_path: Path | str,
    progress: Progress | None = None,
    *,
    deterministic: bool = False,
    output: Output = DEFAULT_OUTPUT,
    plan: CalendarPlan | None = None,
) -> BuildReport:
    """Write the calendar of ``spec`` to ``out_path`` and return its preflight report.

    ``progress(done, total, message)`` is called as images are prepared and pages written.
    ``deterministic`` makes the PDF byte-identical for the same specification and images.
    ``output`` chooses the file: PDF/X-4 (sRGB) by default, CMYK PDF/X-1a for a paper, or
    plain RGB (see ``pdfx``); the report's ``prepress`` part says what was checked.
    Raises ``SpecError`` listing every problem found before any image is decoded (see
    ``preflight``), or naming the page of a drawing that fails to decode, and
    ``TextOverflow`` (naming the page) for a text too long for its box.
    ``plan``: ``spec`` already laid out by ``plan_calendar``, so it is not laid out again.
    """
    if plan is not None and plan.spec != spec:
        raise ValueError("the plan is of another specification")
    started = time.perf_counter()
    out_path = Path(out_path)
    report = progress or (lambda done, total, message: None)
    plan = plan or plan_calendar(spec)
    plan.raise_problems()
    layouts = plan.layouts
    placements = [(index, picture) for index, layout in enumerate(layouts)
                  for picture in layout.pictures]
    total = len(placements) + len(layouts)
    steps = itertools.count(1)  # drawings prepared and pages painted, as they come
    title = f"{spec.cover.title.get(spec.language)} {spec.year}"
    author = spec.publisher.get(spec.language) or spec.cover.title.get(spec.language)
    with quiet_pillow(), _Preparing(
        placements, layouts, output.drawing_converter(),
        lambda done: report(next(steps), total, f"image {done} of {len(placements)}"),
    ) as preparing:
        render_pdf(layouts, preparing, out_path, plan.fonts, title=title, author=author,
                   language=spec.language, crop_marks=spec.crop_marks,
                   deterministic=deterministic,
                   on_page=lambda number: report(next(steps), total,
                                                 f"page {number} of {len(layouts)}"),
                   paint=output.palette(spec.colours), registration=output.registration())
        images = preparing.kept()
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


def preflight(spec: CalendarSpec) -> CalendarPlan:
    """Check everything that can be known before decoding a pixel, and lay the pages out.

    Raises ``SpecError`` listing every problem, each naming its page: the year's days off
    not known (``days_off_problem``), a drawing that cannot be used (missing, not an image,
    truncated, too many pixels, an unknown kind of pixels), a drawing below ``MIN_DPI`` at
    its placed size, and fonts that cannot be read. Opens each drawing's header only.
    """
    plan = plan_calendar(spec)
    plan.raise_problems()
    return plan


class _Preparing(Mapping[tuple[int, str], PreparedImage]):
    """The placed drawings, prepared in threads while the pages are painted.

    Looking a drawing up waits for it: the painter asks in page order, so each page is
    painted as soon as its drawings are ready while the later ones are still being prepared.
    A drawing looked up is kept without its JPEG bytes, which the PDF then holds. The first
    drawing that fails stops the others, and the next look-up raises its ``DrawingError``
    naming its page.
    """

    def __init__(self, placements: list[tuple[int, Picture]], layouts: tuple[PageLayout, ...],
                 convert: Convert | None, on_image: Callable[[int], None]) -> None:
        self._layouts = layouts
        self._on_image = on_image
        self._changed = threading.Condition()
        self._failure: tuple[int, DrawingError] | None = None
        self._kept: dict[tuple[int, str], PreparedImage] = {}
        self._pool = ThreadPoolExecutor(WORKERS)
        self._futures: dict[tuple[int, str], Future[PreparedImage]] = {}
        for index, picture in _interleaved(placements):
            future = self._pool.submit(prepare_image, picture.source, _inches(picture),
                                       convert)
            self._futures[(index, picture.what)] = future
            future.add_done_callback(functools.partial(self._finished, index))

    def _finished(self, index: int, future: Future[PreparedImage]) -> None:
        with self._changed:
            if (self._failure is None and not future.cancelled()
                    and isinstance(error := future.exception(), DrawingError)):
                self._failure = (index, error)
            self._changed.notify_all()

    def __getitem__(self, key: tuple[int, str]) -> PreparedImage:
        if key in self._kept:
            return self._kept[key]
        future = self._futures[key]
        with self._changed:
            self._changed.wait_for(lambda: future.done() or self._failure is not None)
        if self._failure is not None:
            index, error = self._failure
            raise DrawingError(f"{self._layouts[index].name}: {error}") from error
        prepared = future.result()
        del self._futures[key]
        self._kept[key] = replace(prepared, data=b"")
        self._on_image(len(self._kept))
        return prepared

    def __iter__(self) -> Iterator[tuple[int, str]]:
        return iter([*self._kept, *self._futures])

    def __len__(self) -> int:
        return len(self._kept) + len(self._futures)

    def kept(self) -> dict[tuple[int, str], PreparedImage]:
        """Every drawing as it was prepared, without its JPEG bytes."""
        for key in list(self._futures):
            self[key]
        return self._kept

    def __enter__(self) -> "_Preparing":
        return self

    def __exit__(self, *exc_info: object) -> None:
        self._pool.shutdown(wait=True, cancel_futures=True)


def _inches(picture: Picture) -> tuple[float, float]:
    return picture.image.w / 72, picture.image.h / 72


def _interleaved(placements: list[tuple[int, Picture]]) -> list[tuple[int, Picture]]:
    """The placements in the order to prepare them: the large drawings in page order, the
    small ones (thumbnails, logos) spread between them.

    Large drawings decoded at once stay within ``images.DECODED_PIXELS`` (one of 24
    megapixels, whole or reduced at decoding, or two smaller), so a worker may wait for the
    other's: a worker that has
    handed a drawing on takes the small ones queued after it meanwhile. Queued after the
    first two, they fill every such gap.
    """
    def pixels(placement: tuple[int, Picture]) -> int:
        width, height = target_pixels(placement[1].pixels, _inches(placement[1]))
        return width * height

    large = [p for p in placements if pixels(p) >= LARGE_DECODE_PIXELS]
    small = [p for p in placements if pixels(p) < LARGE_DECODE_PIXELS]
    gaps = max(1, len(large) - 1)
    order = large[:1]
    for gap in range(gaps):
        order += large[gap + 1:gap + 2]
        order += small[gap * len(small) // gaps:(gap + 1) * len(small) // gaps]
    return order


def _check(index: int, layout: PageLayout,
           images: dict[tuple[int, str], PreparedImage]) -> PageCheck:
    checks = tuple(_image_check(p, images[(index, p.what)]) for p in layout.pictures)
    warnings = tuple(
        f"{check.what} ({Path(check.source).name}) prints at {min(check.effective_dpi):.0f} dpi,"
        f" below {GOOD_DPI}: it may look soft; a larger scan or photo would print sharper"
        for check in checks if min(check.effective_dpi) < GOOD_DPI - 0.5
    ) + tuple(f"{picture.what} ({picture.source.name}): {note}"
              for picture in layout.pictures for note in images[(index, picture.what)].notes)
    measured = measure(layout)
    share = measured.drawing_share
    if share is not None and share < SMALL_SHARE:
        warnings += (f"the drawing takes {share:.0%} of the page: its shape suits this page "
                     f"poorly (a drawing of the page's orientation would print larger)",)
    return PageCheck(
        number=index + 1,
        name=layout.name,
        images=checks,
        shrunk_texts=_shrunk_texts(layout),
        warnings=warnings,
        drawing_share=None if share is None else round(share, 4),
        largest_blank_mm=round(measured.largest_blank_mm, 1),
        grid_mm=None if measured.grid_mm is None else tuple(
            round(v, 1) for v in measured.grid_mm),
        day_number_size=measured.day_number_size,
        smallest_text=measured.smallest_text,
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
