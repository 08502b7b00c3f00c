"""The command line, the README's example, the sample drawings, and Flask staying out."""

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from PIL import Image, ImageChops, ImageStat
from pypdf import PdfReader

from calendar_builder.__main__ import main
from calendar_builder.samples import make_drawing, make_logo

README = Path(__file__).parents[2] / "calendar_builder" / "README.md"


def readme_example() -> dict:
    block = re.search(r"Complete example.*?```json\n(.*?)```", README.read_text("utf-8"), re.S)
    assert block, "README.md has lost its complete JSON example"
    return json.loads(block.group(1))


def test_build_command_with_the_readme_example(tmp_path: Path) -> None:
    example = readme_example()
    paths = {example["cover"]["drawing"]} | {m["drawing"] for m in example["months"]}
    for seed, relative in enumerate(sorted(paths)):
        (tmp_path / relative).parent.mkdir(exist_ok=True)
        make_drawing(seed, (1400, 990) if seed % 4 else (990, 1400)).save(tmp_path / relative)
    (tmp_path / "logos").mkdir()
    make_logo("Крепкие кости").save(tmp_path / "logos" / "foundation.png")
    spec_file = tmp_path / "calendar.json"
    spec_file.write_text(json.dumps(example, ensure_ascii=False), encoding="utf-8")
    out = tmp_path / "calendar.pdf"
    result = CliRunner().invoke(main, ["build", str(spec_file), "-o", str(out), "--lang", "en",
                                       "--previews", str(tmp_path / "previews"),
                                       "--deterministic"])
    assert result.exit_code == 0, result.output
    assert "14 pages" in result.output
    assert "14 previews" in result.output
    reader = PdfReader(out)
    assert len(reader.pages) == 14
    assert "October" in reader.pages[10].extract_text()
    assert "World Arthritis Day" in reader.pages[10].extract_text()
    assert "Patient Solidarity Day" in reader.pages[12].extract_text()
    assert "Print run 5,000 copies" in reader.pages[13].extract_text()
    preflight = json.loads(out.with_suffix(".preflight.json").read_text("utf-8"))
    assert preflight["language"] == "en" and len(preflight["pages"]) == 14
    assert "below 250" in out.with_suffix(".preflight.txt").read_text("utf-8")


def test_build_command_reports_bad_specs(tmp_path: Path) -> None:
    example = readme_example()
    example["months"] = example["months"][:11]
    spec_file = tmp_path / "bad.json"
    spec_file.write_text(json.dumps(example), encoding="utf-8")
    result = CliRunner().invoke(main, ["build", str(spec_file), "-o", str(tmp_path / "x.pdf")])
    assert result.exit_code == 1
    assert "months: must be the 12 months, January first; found 11" in result.output


def test_calendar_builder_never_imports_flask() -> None:
    code = ("import sys, calendar_builder, calendar_builder.__main__, calendar_builder.demo; "
            "bad = [m for m in sys.modules if m.split('.')[0] in ('flask', 'contest')]; "
            "print(bad); sys.exit(1 if bad else 0)")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_sample_drawings_are_deterministic_and_drawn() -> None:
    first = make_drawing(3)  # its time is measured by bench/calendar.py, never asserted here
    assert first.size == (3508, 2480) and first.mode == "RGB"
    assert ImageChops.difference(first, make_drawing(3)).getbbox() is None
    assert ImageChops.difference(first, make_drawing(4)).getbbox() is not None
    portrait = make_drawing(5, (1240, 1754), motif="milk")
    assert portrait.size == (1240, 1754)
    # Colourful, yet smooth like crayon on paper rather than noise.
    small = first.resize((350, 248))
    assert len(small.quantize(64).getcolors()) > 20
    neighbours = ImageChops.difference(small, small.transform(
        small.size, Image.Transform.AFFINE, (1, 0, 1, 0, 1, 0)))
    assert max(ImageStat.Stat(neighbours).mean) < 40  # uniform noise: about 85
    with pytest.raises(ValueError, match="motif"):
        make_drawing(1, motif="dragons")


@pytest.mark.slow
def test_demo_at_print_resolution(tmp_path: Path) -> None:
    out = tmp_path / "demo.pdf"
    result = CliRunner().invoke(main, ["demo", "--lang", "ru", "-o", str(out), "--year", "2027",
                                       "--solidarity-day", "2027-12-03",
                                       "--drawings", str(tmp_path / "drawings")])
    assert result.exit_code == 0, result.output
    report = json.loads(out.with_suffix(".preflight.json").read_text("utf-8"))
    assert report["warnings"] == []
    dpis = [i["effective_dpi"][0] for p in report["pages"] for i in p["images"]]
    assert len(dpis) == 13 + 13 + 2  # pages, winners, two partners' logos
    assert all(299 <= dpi <= 450 for dpi in dpis)
    # The legend's column may break a long word at a hyphen.
    december = PdfReader(out).pages[12].extract_text().replace("-\n", "").replace("\n", " ")
    assert "День солидарности пациентов" in december
