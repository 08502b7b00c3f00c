"""Small calendars for fast tests: drawings of a few hundred pixels, real layout and PDF."""


import pytest

from calendar_builder.demo import demo_spec
from calendar_builder.fonts import FontNames, register_fonts
from calendar_builder.spec import CalendarSpec, Fonts


@pytest.fixture(scope="session")
def fonts() -> FontNames:
    return register_fonts(Fonts())


@pytest.fixture(scope="session")
def small_spec(tmp_path_factory: pytest.TempPathFactory) -> CalendarSpec:
    """The demo calendar of 2027 with small drawings (they print below 250 dpi)."""
    return demo_spec(tmp_path_factory.mktemp("drawings"), year=2027, drawing_long_edge=1250)
