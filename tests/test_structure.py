"""The code's own shape: the app speaks the calendar library only by its public names, and a
long module says why it is long."""

import ast
from pathlib import Path

import calendar_builder

ROOT = Path(__file__).resolve().parents[1]
LONG = 400  # lines; a longer module says why in its first lines
REASON = "# Over 400 lines:"


def modules(*packages: str) -> list[Path]:
    return sorted(path for package in packages for path in (ROOT / package).rglob("*.py")
                  if "migrations" not in path.relative_to(ROOT).parts)


def library_imports(path: Path) -> list[str]:
    """What ``path`` takes from ``calendar_builder`` that is not one of its public names:
    a submodule (``calendar_builder.layout``) or a name outside ``__all__``."""
    found = []
    for node in ast.walk(ast.parse(path.read_text("utf-8"))):
        if isinstance(node, ast.Import):
            found += [a.name for a in node.names if a.name.startswith("calendar_builder.")]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            if node.module.startswith("calendar_builder."):
                found.append(node.module)
            elif node.module == "calendar_builder":
                found += [f"calendar_builder.{a.name}" for a in node.names
                          if a.name not in calendar_builder.__all__]
        elif (isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name)
              and node.value.id == "calendar_builder"
              and node.attr not in calendar_builder.__all__):
            found.append(f"calendar_builder.{node.attr}")
    return found


def test_the_app_uses_the_calendar_library_by_its_public_names_only():
    offending = {str(path.relative_to(ROOT)): names for path in modules("contest")
                 if (names := library_imports(path))}
    assert offending == {}


def test_the_scan_sees_a_private_import(tmp_path):
    """The check above can fail: a submodule or a name outside ``__all__`` is found."""
    sample = tmp_path / "sample.py"
    sample.write_text("from calendar_builder import build_calendar, build\n"
                      "from calendar_builder.layout import calendar_layout\n"
                      "import calendar_builder.images\n"
                      "import calendar_builder\n"
                      "calendar_builder.plan_calendar(calendar_builder.render.render_pdf)\n")
    assert sorted(library_imports(sample)) == [
        "calendar_builder.build", "calendar_builder.images", "calendar_builder.layout",
        "calendar_builder.render"]


def test_the_library_names_in_all_exist():
    assert all(hasattr(calendar_builder, name) for name in calendar_builder.__all__)


def test_a_long_module_says_why_at_its_top():
    unexplained = []
    for path in modules("contest", "calendar_builder"):
        lines = path.read_text("utf-8").splitlines()
        if len(lines) > LONG and not any(line.startswith(REASON) for line in lines[:15]):
            unexplained.append(f"{path.relative_to(ROOT)} ({len(lines)} lines)")
    assert unexplained == [], f"split these, or give a '{REASON} ...' line near the top"


def test_every_package_says_what_lives_there():
    bare = [str(init.relative_to(ROOT)) for init in modules("contest", "calendar_builder")
            if init.name == "__init__.py" and not ast.get_docstring(ast.parse(init.read_text()))]
    assert bare == []
