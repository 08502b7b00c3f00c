"""Uploaded drawings: the checking and normalising pipeline (``pipeline``) and the storage
interface with its filesystem backend (``storage``), both without a Flask app; and the app's
own ``files``: its storage, its upload limits and where each entry's images are kept."""

from .pipeline import (
    ImageRejected,
    ProcessedImage,
    SpooledImage,
    UploadLimits,
    display_name,
    effective_dpi,
    process_image,
    redact,
    rotate,
    rotate_boxes,
    web_copies,
)
from .storage import (
    PENDING,
    FileSystemStorage,
    InvalidKey,
    PendingFiles,
    Storage,
    check_key,
    storing,
)

__all__ = [
    "PENDING",
    "FileSystemStorage",
    "ImageRejected",
    "InvalidKey",
    "PendingFiles",
    "ProcessedImage",
    "SpooledImage",
    "Storage",
    "UploadLimits",
    "check_key",
    "display_name",
    "effective_dpi",
    "process_image",
    "redact",
    "rotate",
    "rotate_boxes",
    "storing",
    "web_copies",
]
