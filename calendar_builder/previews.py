"""PNG previews of a built calendar for the web, rendered by PDFium (no system packages);
a CMYK file is soft-proofed through its output intent instead (Ghostscript, see ``cmyk``)."""

from pathlib import Path

import pypdfium2 as pdfium

from .cmyk import proof_previews
from .pdfx import cmyk_output_profile


def render_previews(pdf_path: Path | str, out_dir: Path | str, dpi: float = 50,
                    trim: bool = True) -> list[Path]:
    """One PNG per page, ``page-01.png`` and on, at ``dpi``; returns their paths in order.

    With ``trim`` the pages are cut at their TrimBox, as the printed calendar will be. The
    pages of a CMYK file are shown as its paper and inks will print them (a soft proof).
    """
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    profile = cmyk_output_profile(pdf_path)
    if profile is not None:
        return proof_previews(pdf_path, profile, out_dir, dpi, trim)
    pdf = pdfium.PdfDocument(str(pdf_path))
    paths = []
    try:
        for index in range(len(pdf)):
            page = pdf[index]
            try:
                crop = (0, 0, 0, 0)
                if trim:
                    left, bottom, right, top = page.get_trimbox()
                    width, height = page.get_size()
                    crop = (left, bottom, width - right, height - top)
                image = page.render(scale=dpi / 72, crop=crop).to_pil()
            finally:
                page.close()
            path = out_dir / f"page-{index + 1:02d}.png"
            image.save(path, optimize=True)
            paths.append(path)
    finally:
        pdf.close()
    return paths
