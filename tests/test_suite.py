"""The suite's own rules: markers select what they say."""

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
