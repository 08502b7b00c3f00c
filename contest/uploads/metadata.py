"""Lossless removal of metadata from stored JPEG and PNG files, for files stored before the
pipeline stopped keeping any (``flask storage strip-metadata``). No Flask app needed.

Only the container is rewritten, never the image data: a JPEG keeps its frame, tables and
entropy-coded scans byte for byte and loses its EXIF and XMP (APP1), IPTC (APP13), comments
and every other application segment, and whatever follows the first image (the further
frames of an MPO, a phone's trailer or "motion photo" video); a PNG keeps its image chunks
and loses ``eXIf``, the text chunks and every chunk not needed to show it right. What tells
how to show the pixels stays: JFIF's header, Adobe's colour-transform segment (a CMYK or
YCCK JPEG decodes wrongly without it) and the ICC colour profile, which describes colour,
not the family (the pipeline's own derivatives embed sRGB).
"""

from __future__ import annotations

import zlib

_PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
# Ancillary PNG chunks that change how the pixels look; every other one is dropped.
_PNG_KEPT = {b"tRNS", b"gAMA", b"cHRM", b"sRGB", b"iCCP", b"sBIT", b"pHYs", b"bKGD", b"cICP"}
# JPEG application segments kept, by marker and leading identifier.
_JPEG_KEPT = {0xE0: b"JFIF\x00", 0xE2: b"ICC_PROFILE\x00", 0xEE: b"Adobe"}


def stripped(data: bytes) -> bytes | None:
    """``data`` without its metadata if it is a JPEG or PNG that carries some; None if there
    is nothing to remove, or the file is of another kind or too damaged to rewrite safely."""
    if data.startswith(b"\xff\xd8\xff"):
        return strip_jpeg(data)
    if data.startswith(_PNG_SIGNATURE):
        return strip_png(data)
    return None


def strip_jpeg(data: bytes) -> bytes | None:
    """The JPEG without metadata segments or trailing data; None if it has none of them or
    its structure cannot be followed."""
    out, i, n, changed = [b"\xff\xd8"], 2, len(data), False
    while i + 1 < n:
        if data[i] != 0xFF:  # bytes between segments: decoders skip them, and so do we
            following = data.find(b"\xff", i)
            i, changed = (n if following < 0 else following), True
            continue
        marker = data[i + 1]
        if marker == 0xFF:  # a fill byte before a marker
            i += 1
            continue
        if marker == 0xD9:  # end of image: anything after it goes
            out.append(b"\xff\xd9")
            i += 2
            break
        if 0xD0 <= marker <= 0xD7 or marker == 0x01:  # markers without a length
            out.append(data[i:i + 2])
            i += 2
            continue
        end = i + 2 + int.from_bytes(data[i + 2:i + 4], "big")
        if end > n or end < i + 4:
            return None  # a segment longer than the file: not rewritten
        if marker == 0xDA:  # start of scan: its entropy-coded data runs to the next marker
            end = _scan_end(data, end)
            out.append(data[i:end])
        elif 0xE0 <= marker <= 0xEF or marker == 0xFE:  # application segments, comments
            if marker in _JPEG_KEPT and data[i + 4:end].startswith(_JPEG_KEPT[marker]):
                out.append(data[i:end])
            else:
                changed = True
        else:
            out.append(data[i:end])
        i = end
    # A truncated file (no end of image) keeps what it has: decoders show that much.
    changed = changed or i < n
    return b"".join(out) if changed else None


def _scan_end(data: bytes, i: int) -> int:
    """Where the entropy-coded data from ``i`` ends: at the first marker that is neither a
    stuffed 0xFF (FF 00) nor a restart marker (FF D0–D7)."""
    n = len(data)
    while True:
        i = data.find(b"\xff", i)
        if i < 0 or i + 1 >= n:
            return n
        following = data[i + 1]
        if following == 0x00 or 0xD0 <= following <= 0xD7 or following == 0xFF:
            i += 1
            continue
        return i


def strip_png(data: bytes) -> bytes | None:
    """The PNG with only its image chunks and those that change how it looks; None if it had
    nothing else, or its chunks cannot be followed (a bad length or checksum)."""
    out, i, n, changed = [_PNG_SIGNATURE], len(_PNG_SIGNATURE), len(data), False
    while i + 12 <= n:
        length = int.from_bytes(data[i:i + 4], "big")
        kind = data[i + 4:i + 8]
        end = i + 12 + length
        if end > n or zlib.crc32(data[i + 4:end - 4]) != int.from_bytes(data[end - 4:end], "big"):
            return None
        critical = kind[:1].isupper()
        if critical or kind in _PNG_KEPT:
            out.append(data[i:end])
        else:
            changed = True
        i = end
        if kind == b"IEND":
            break
    else:
        return None  # no IEND
    changed = changed or i < n
    return b"".join(out) if changed else None
