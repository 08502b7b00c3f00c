"""How to print: the options an organizer chooses on the export form, and their form in a job's
parameters."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from datetime import date

from ..config import DEFAULT_LANGUAGE


@dataclass(frozen=True)
class Options:
    """How to print: what the organizer chooses on the export form."""

    language: str = DEFAULT_LANGUAGE
    page_format: str = "A4"
    orientation: str = "portrait"
    bleed_mm: float = 3.0
    crop_marks: bool = False
    max_per_region: int = 2
    patient_solidarity_day: date | None = None
    partners: tuple[str, ...] = ()
    output: str = "pdfx4"  # one of OUTPUT_KINDS: rgb, pdfx4, coated, uncoated


def options_from(params: dict) -> Options:
    """The options kept in a job's parameters (``options_params``), read back."""
    values = dict(params.get("options", {}))
    if values.get("patient_solidarity_day"):
        values["patient_solidarity_day"] = date.fromisoformat(values["patient_solidarity_day"])
    values["partners"] = tuple(values.get("partners", ()))
    return Options(**values)


def options_params(options: Options) -> dict:
    """``options`` as JSON values, for a job's parameters and the export's record."""
    values = dataclasses.asdict(options)
    if options.patient_solidarity_day:
        values["patient_solidarity_day"] = options.patient_solidarity_day.isoformat()
    values["partners"] = list(options.partners)
    return values

