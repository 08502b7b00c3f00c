"""Which image formats an upload may be, told from the file's content, never from its name."""

from dataclasses import dataclass

import pillow_heif

# Phone photos from iPhones and many Android phones are HEIC; Pillow reads them once
# pillow-heif has registered its opener, which only has to happen once per process.
pillow_heif.register_heif_opener()


@dataclass(frozen=True)
class Format:
    """An accepted format: Pillow's name for it, its MIME type and the extension to store it by."""

    pillow: str
    content_type: str
    extension: str


ACCEPTED: dict[str, Format] = {
    f.pillow: f
    for f in (
        Format("JPEG", "image/jpeg", "jpg"),
        # MPO is the JPEG that some cameras write with a second, stereo or preview, frame.
        Format("MPO", "image/jpeg", "jpg"),
        Format("PNG", "image/png", "png"),
        Format("HEIF", "image/heif", "heic"),
        Format("WEBP", "image/webp", "webp"),
        Format("TIFF", "image/tiff", "tif"),
        Format("BMP", "image/bmp", "bmp"),
        Format("GIF", "image/gif", "gif"),
    )
}

# What the messages name, in the order people know them.
ACCEPTED_NAMES = "JPEG, PNG, HEIC/HEIF, WebP, TIFF, BMP, GIF"

# Formats Pillow is allowed to try: MPO is found through JPEG's opener.
PILLOW_FORMATS = tuple(name for name in ACCEPTED if name != "MPO")

# ISO media files (HEIF, AVIF, MP4 video) name their brands in the leading ``ftyp`` box.
_HEVC_BRANDS = {b"heic", b"heix", b"heim", b"heis", b"hevc", b"hevx", b"hevm", b"hevs"}
_HEIF_BRANDS = _HEVC_BRANDS | {b"mif1", b"msf1"}
_AVIF_BRANDS = {b"avif", b"avis"}

_SIGNATURES: tuple[tuple[bytes, str], ...] = (
    (b"\xff\xd8\xff", "JPEG"),
    (b"\x89PNG\r\n\x1a\n", "PNG"),
    (b"GIF87a", "GIF"),
    (b"GIF89a", "GIF"),
    (b"II*\x00", "TIFF"),
    (b"MM\x00*", "TIFF"),
    (b"II+\x00", "TIFF"),
    (b"MM\x00+", "TIFF"),
    (b"BM", "BMP"),
    (b"%PDF", "PDF"),
    (b"8BPS", "PSD"),
    (b"\x00\x00\x00\x0cjP  \r\n\x87\n", "JPEG 2000"),
    (b"\xff\x4f\xff\x51", "JPEG 2000"),
    (b"\x00\x00\x01\x00", "ICO"),
    (b"PK\x03\x04", "ZIP"),
    (b"%!PS", "PostScript"),
)


def sniff(data: bytes) -> str | None:
    """Name the kind of file ``data`` looks like from its first bytes, or None if unknown.

    Used only to word a refusal well: whether Pillow can read the file decides acceptance.
    """
    head = data[:64]
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "WEBP"
    if head[4:8] == b"ftyp":
        end = min(int.from_bytes(head[:4], "big"), len(head))
        brands = {head[i:i + 4] for i in range(8, end - 3, 4)}
        if brands & _AVIF_BRANDS and not brands & _HEVC_BRANDS:
            return "AVIF"
        return "HEIF" if brands & _HEIF_BRANDS else "Video"
    for signature, name in _SIGNATURES:
        if head.startswith(signature):
            return name
    text = head.lstrip().lower()
    if text.startswith((b"<svg", b"<?xml")):
        return "SVG"
    return None
