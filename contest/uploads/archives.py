"""ZIP files from the public (a school's drawings, an Excel list), sized before they are opened.

A ZIP's central directory, at its end, says how many members it holds and how large each is
unpacked. ``open_zip`` reads the member count from the directory's last record before Python's
``zipfile`` parses the directory at all, then checks every member's declared size, so a
200,000-member archive or a 30 KB file that unpacks to gigabytes is refused in milliseconds.
``zipfile`` itself never reads more of a member than its declared size, and checks the CRC at
the end, so a member cannot unpack to more than the directory said.
"""

from __future__ import annotations

import struct
import zipfile
from dataclasses import dataclass
from typing import BinaryIO

_END = b"PK\x05\x06"  # end of central directory record
_END_FORMAT = "<4s4H2LH"
_END64_LOCATOR = b"PK\x06\x07"
_END64_LOCATOR_FORMAT = "<4sLQL"
_END64 = b"PK\x06\x06"
_END64_FORMAT = "<4sQ2H2L4Q"
_MAX_COMMENT = 65535
# A directory entry is 46 bytes plus the member's name and extra fields: this allows long
# names (Cyrillic, folders) and the usual extra fields.
_DIRECTORY_BYTES_PER_MEMBER = 1024


class ArchiveRefused(ValueError):
    """The archive is not a ZIP or breaks a limit; ``reason`` says which, in English for logs:
    ``not_a_zip``, ``too_many_members``, ``member_too_large``, ``too_large_unpacked``."""

    def __init__(self, reason: str, detail: str = "") -> None:
        super().__init__(reason, detail)
        self.reason = reason
        self.detail = detail


@dataclass(frozen=True)
class ZipLimits:
    max_members: int
    max_total_bytes: int  # the members' declared sizes, unpacked, all together
    max_member_bytes: int | None = None  # any one member, unpacked; None: checked by the caller


def directory_counts(file: BinaryIO) -> tuple[int, int]:
    """(members, bytes of the central directory) from a ZIP's last record, without reading the
    directory itself; ArchiveRefused("not_a_zip") if there is no such record."""
    file.seek(0, 2)
    size = file.tell()
    tail_length = min(size, struct.calcsize(_END_FORMAT) + _MAX_COMMENT)
    file.seek(size - tail_length)
    tail = file.read(tail_length)
    at = tail.rfind(_END)
    if at < 0 or len(tail) - at < struct.calcsize(_END_FORMAT):
        raise ArchiveRefused("not_a_zip")
    _, _, _, _, members, directory_size, _, _ = struct.unpack_from(_END_FORMAT, tail, at)
    if members == 0xFFFF or directory_size == 0xFFFFFFFF:
        members, directory_size = _zip64_counts(file, size - tail_length + at)
    return members, directory_size


def _zip64_counts(file: BinaryIO, end_offset: int) -> tuple[int, int]:
    locator_size = struct.calcsize(_END64_LOCATOR_FORMAT)
    if end_offset < locator_size:
        raise ArchiveRefused("not_a_zip")
    file.seek(end_offset - locator_size)
    signature, _, offset, _ = struct.unpack(_END64_LOCATOR_FORMAT,
                                            file.read(locator_size))
    if signature != _END64_LOCATOR:
        raise ArchiveRefused("not_a_zip")
    file.seek(offset)
    record = file.read(struct.calcsize(_END64_FORMAT))
    if len(record) < struct.calcsize(_END64_FORMAT) or not record.startswith(_END64):
        raise ArchiveRefused("not_a_zip")
    fields = struct.unpack(_END64_FORMAT, record)
    return fields[7], fields[8]


def open_zip(file: BinaryIO, limits: ZipLimits) -> zipfile.ZipFile:
    """``file`` opened as a ZIP once its directory shows it within ``limits``; ArchiveRefused
    otherwise. Nothing is unpacked here."""
    members, directory_size = directory_counts(file)
    if members > limits.max_members \
            or directory_size > limits.max_members * _DIRECTORY_BYTES_PER_MEMBER:
        raise ArchiveRefused("too_many_members", f"{members} members")
    file.seek(0)
    try:
        archive = zipfile.ZipFile(file)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError,
            struct.error, UnicodeDecodeError) as e:
        raise ArchiveRefused("not_a_zip") from e
    infos = archive.infolist()
    if len(infos) > limits.max_members:  # the last record understated the directory
        raise ArchiveRefused("too_many_members", f"{len(infos)} members")
    if sum(info.file_size for info in infos) > limits.max_total_bytes:
        raise ArchiveRefused("too_large_unpacked")
    for info in infos:
        if limits.max_member_bytes is not None and info.file_size > limits.max_member_bytes:
            raise ArchiveRefused("member_too_large", info.filename[:100])
    return archive


# Photos and scans barely shrink in a ZIP; even a bitmap of a line drawing stays under this.
MAX_RATIO = 100
_SMALL = 1024 * 1024  # below this, a high ratio costs nothing


def inflates_too_much(info: zipfile.ZipInfo, max_ratio: float = MAX_RATIO) -> bool:
    """Whether a member unpacks to more than ``max_ratio`` times its packed size: no photo or
    scan does; a file made to cost memory and time does."""
    return info.file_size > _SMALL and info.file_size > max_ratio * max(info.compress_size, 1)
