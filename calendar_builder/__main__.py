"""Command line: ``python -m calendar_builder build|demo`` (also ``calendar-builder``)."""

import dataclasses
import datetime as dt
import json
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

import click

from .build import build_calendar
from .cmyk import PrepressError
from .demo import demo_spec
from .pdfx import OUTPUT_KINDS, Output, output_for
from .previews import render_previews
from .report import BuildReport
from .spec import DEFAULT_LANGUAGE, LANGUAGES, CalendarSpec, SpecError, load_spec
from .text import TextOverflow


@click.group()
def main() -> None:
    """Print-ready wall calendars from children's drawings."""


def output_options(command: Callable) -> Callable:
    """--print, --profile and --ink-limit: which PDF to write (see README.md)."""
    for option in reversed((
        click.option("--print", "kind", type=click.Choice(OUTPUT_KINDS), default="pdfx4",
                     show_default=True,
                     help="rgb: screens and office printers; pdfx4: PDF/X-4, sRGB, for a print "
                          "shop; coated/uncoated: CMYK PDF/X-1a for that offset paper."),
        click.option("--profile", type=click.Path(exists=True, dir_okay=False, path_type=Path),
                     help="The printer's own CMYK ICC profile (with coated/uncoated)."),
        click.option("--ink-limit", type=float,
                     help="Total ink limit in percent [default: 300 coated, 260 uncoated]."),
    )):
        command = option(command)
    return command


def _output(kind: str, profile: Path | None, ink_limit: float | None) -> Output:
    try:
        return output_for(kind, profile, ink_limit)
    except PrepressError as error:
        raise click.ClickException(str(error)) from error


@main.command()
@click.argument("spec_file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False, path_type=Path),
              help="The PDF to write.")
@click.option("--lang", type=click.Choice(LANGUAGES), help="Override the spec's language.")
@click.option("--previews", type=click.Path(file_okay=False, path_type=Path),
              help="Also write a PNG preview of every page to this folder.")
@click.option("--deterministic", is_flag=True, help="Byte-identical output for the same input.")
@output_options
def build(spec_file: Path, output: Path, lang: str | None, previews: Path | None,
          deterministic: bool, kind: str, profile: Path | None,
          ink_limit: float | None) -> None:
    """Build the calendar described by SPEC_FILE (JSON, see README.md)."""
    try:
        spec = load_spec(spec_file)
    except SpecError as error:
        raise click.ClickException(str(error)) from error
    if lang:
        spec = dataclasses.replace(spec, language=lang)
    _run(spec, output, previews, deterministic, _output(kind, profile, ink_limit))


@main.command()
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False, path_type=Path),
              help="The PDF to write.")
@click.option("--lang", type=click.Choice(LANGUAGES), default=DEFAULT_LANGUAGE, show_default=True)
@click.option("--format", "page_format", type=click.Choice(["A4", "A3"]), default="A4",
              show_default=True)
@click.option("--orientation", type=click.Choice(["portrait", "landscape"]),
              default="portrait", show_default=True)
@click.option("--year", type=int, default=lambda: dt.date.today().year + 1,
              help="The calendar's year [default: next year].")
@click.option("--solidarity-day", type=click.DateTime(["%Y-%m-%d"]),
              help="Patient Solidarity Day to mark (its date changes every year).")
@click.option("--crop-marks", is_flag=True, help="Draw crop marks outside the bleed.")
@click.option("--drawings", type=click.Path(file_okay=False, path_type=Path),
              help="Keep the generated drawings in this folder (default: a temporary one).")
@click.option("--previews", type=click.Path(file_okay=False, path_type=Path),
              help="Also write a PNG preview of every page to this folder.")
@output_options
def demo(output: Path, lang: str, page_format: str, orientation: str, year: int,
         solidarity_day: dt.datetime | None, crop_marks: bool, drawings: Path | None,
         previews: Path | None, kind: str, profile: Path | None,
         ink_limit: float | None) -> None:
    """Build a sample calendar from generated drawings, so anyone can try it."""
    pdf = _output(kind, profile, ink_limit)
    with tempfile.TemporaryDirectory() as scratch:
        click.echo("Painting sample drawings...", err=True)
        spec = demo_spec(drawings or Path(scratch), year=year, language=lang,
                         page_format=page_format,  # type: ignore[arg-type]
                         orientation=orientation,  # type: ignore[arg-type]
                         patient_solidarity_day=solidarity_day.date() if solidarity_day else None)
        _run(dataclasses.replace(spec, crop_marks=crop_marks), output, previews,
             deterministic=False, pdf=pdf)


def _run(spec: CalendarSpec, output: Path, previews: Path | None, deterministic: bool,
         pdf: Output) -> None:
    """Build with a progress bar, write the preflight beside the PDF, print its summary.

    Exits with status 1 when the file fails its prepress checks (the files are kept).
    """
    with click.progressbar(length=1, label="Building calendar", show_pos=True,
                           file=sys.stderr) as bar:

        def progress(done: int, total: int, message: str) -> None:
            bar.length = total
            bar.label = f"Building calendar: {message}"
            bar.update(done - bar.pos)

        try:
            report = build_calendar(spec, output, progress, deterministic=deterministic,
                                    output=pdf)
        except (SpecError, TextOverflow) as error:
            raise click.ClickException(str(error)) from error
    _write_preflight(report, output)
    click.echo(report.to_text())
    if previews:
        pages = render_previews(output, previews)
        click.echo(f"{len(pages)} previews in {previews}")
    if not report.passed:
        raise click.ClickException("the file failed its prepress checks (see above)")


def _write_preflight(report: BuildReport, output: Path) -> None:
    output.with_suffix(".preflight.json").write_text(
        json.dumps(report.to_dict(), ensure_ascii=False, indent=2), encoding="utf-8")
    output.with_suffix(".preflight.txt").write_text(report.to_text() + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
