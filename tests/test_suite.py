"""The suite's own rules: markers select what they say; no timings; one way to sign in."""

import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def collected(*args: str) -> list[str]:
    """The test ids pytest collects from the repository with ``args``."""
    run = subprocess.run([sys.executable, "-m", "pytest", "--collect-only", "-q",
                          "-p", "no:cacheprovider", *args],
                         capture_output=True, text=True, cwd=ROOT)
    assert run.returncode in (0, 5), run.stdout + run.stderr  # 5: nothing collected
    return [line for line in run.stdout.splitlines() if "::" in line]


def test_e2e_marker_selects_exactly_the_browser_tests():
    browser_tests = collected("tests/e2e")
    assert len(browser_tests) >= 5
    assert collected("-m", "e2e", "tests/e2e") == browser_tests
    assert collected("-m", "not e2e", "tests/e2e") == []


def sources_matching(pattern: str) -> list[str]:
    """The test modules (this one aside) whose source matches ``pattern``."""
    return sorted(str(path.relative_to(ROOT)) for path in (ROOT / "tests").rglob("*.py")
                  if path != Path(__file__).resolve() and re.search(pattern, path.read_text()))


def test_no_test_times_itself():
    """A busy machine is slow, not broken: timings belong in bench/. A clock read to date a
    signed link or an old file is no timing; an elapsed time (``time.time() - start``) is."""
    assert sources_matching(r"perf_counter|monotonic\(|process_time\("
                            r"|time\.time\(\)\s*-\s*[A-Za-z_]|[\w)]\s*-\s*time\.time\(\)") == []


def test_tests_sign_in_through_the_form_only():
    """Flask-Login's session keys are its own business: the ``login`` fixture posts the form
    (a test may read what sign-in wrote, never write it)."""
    assert sources_matching(r"_create_identifier|\[\"_(user_id|fresh|id)\"\]\s*=(?!=)") == []
