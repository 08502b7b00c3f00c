"""The build report, also the preflight: per page, each image's resolution and crop, each
shrunk text, and the warnings; as JSON (``to_dict``) and as text (``to_text``)."""

from dataclasses import asdict, dataclass

from .pdfx import PrepressReport


@dataclass(frozen=True)
class ImageCheck:
    what: str  # "drawing", "winner 3"
    source: str
    source_pixels: tuple[int, int]
    embedded_pixels: tuple[int, int]
    effective_dpi: tuple[float, float]  # embedded pixels per inch of the placed image
    crop: dict[str, float]  # share of the drawing cut at each side
    passthrough: bool  # the source JPEG embedded unchanged
    resampled: bool


@dataclass(frozen=True)
class TextCheck:
    what: str
    size: float  # points
    preferred_size: float


@dataclass(frozen=True)
class PageCheck:
    number: int  # 1 is the cover
    name: str
    images: tuple[ImageCheck, ...]
    shrunk_texts: tuple[TextCheck, ...]
    warnings: tuple[str, ...]
    drawing_share: float | None = None  # the page's drawing, share of the trimmed page
    largest_blank_mm: float = 0.0  # the tallest band across the page with nothing on it
    grid_mm: tuple[float, float, float] | None = None  # left, top (from the trim's top left
    # corner) and width of the month's grid
    day_number_size: float | None = None  # pt
    smallest_text: tuple[str, float] | None = None  # what, pt


@dataclass(frozen=True)
class BuildReport:
    output: str
    language: str
    page_format: str
    trim_mm: tuple[float, float]
    bleed_mm: float
    pages: tuple[PageCheck, ...]
    size_bytes: int
    seconds: float
    prepress: PrepressReport | None = None  # the PDF/X identification and checks

    @property
    def passed(self) -> bool:
        """Whether the file passed the prepress checks (warnings do not fail it)."""
        return self.prepress is None or self.prepress.passed

    @property
    def warnings(self) -> tuple[str, ...]:
        """Every page's warnings, each prefixed with its page."""
        return tuple(f"{p.name}: {w}" for p in self.pages for w in p.warnings)

    def to_dict(self) -> dict:
        """A JSON-serialisable dictionary of the whole report."""
        data = asdict(self)
        data["warnings"] = list(self.warnings)
        data["passed"] = self.passed
        return data

    def to_text(self) -> str:
        """The preflight as a readable text, one block per page."""
        lines = [
            f"Calendar {self.output}: {len(self.pages)} pages, {self.page_format} "
            f"{self.trim_mm[0]:g} x {self.trim_mm[1]:g} mm + {self.bleed_mm:g} mm bleed, "
            f"language {self.language}, {self.size_bytes / 1e6:.1f} MB, {self.seconds:.1f} s",
        ]
        for page in self.pages:
            lines.append(f"{page.number:2d}. {page.name}")
            layout = [f"largest blank band {page.largest_blank_mm:.1f} mm"]
            if page.drawing_share is not None:
                layout.insert(0, f"drawing {page.drawing_share:.0%} of the page")
            if page.grid_mm is not None:
                layout.append("grid at {:.1f}, {:.1f} mm, {:.1f} mm wide".format(*page.grid_mm))
            if page.day_number_size is not None:
                layout.append(f"day numbers {page.day_number_size:.1f} pt")
            if page.smallest_text is not None:
                layout.append(f"smallest text {page.smallest_text[1]:.1f} pt "
                              f"({page.smallest_text[0]})")
            lines.append("     " + ", ".join(layout))
            for image in page.images:
                cut = max(image.crop.values())
                how = "unchanged JPEG" if image.passthrough else (
                    "resampled" if image.resampled else "re-encoded")
                lines.append(
                    f"     {image.what}: {image.embedded_pixels[0]} x {image.embedded_pixels[1]}"
                    f" px, {image.effective_dpi[0]:.0f} dpi, {how}"
                    + (f", crop up to {cut:.1%} a side" if cut > 0.0005 else "")
                )
            for text in page.shrunk_texts:
                lines.append(f"     {text.what}: {text.size:.1f} pt "
                             f"(wanted {text.preferred_size:.1f} pt)")
            lines += [f"     WARNING: {warning}" for warning in page.warnings]
        lines.append(f"{len(self.warnings)} warning(s)")
        if self.prepress is not None:
            lines += self.prepress.to_lines()
        return "\n".join(lines)
