"""axe-core in the page: every rule it runs by default (WCAG 2.0–2.2 A and AA, best practices),
violations of every impact, minor ones included."""

from axe_playwright_python.sync_playwright import Axe

_AXE = Axe()  # reads axe.min.js once
# Nothing is turned off: a rule that had to be would be named here, with the reason.
OPTIONS = {"resultTypes": ["violations"]}


def violations(page) -> list[str]:
    """What axe finds wrong on the page, folded parts (``<details>``) opened meanwhile: one
    line per rule, a few elements each."""
    page.evaluate("document.querySelectorAll('details:not([open])')"
                  ".forEach(d => { d.open = true; d.dataset.axeOpened = ''; })")
    results = _AXE.run(page, options=OPTIONS)
    page.evaluate("document.querySelectorAll('[data-axe-opened]')"
                  ".forEach(d => { d.open = false; delete d.dataset.axeOpened; })")
    return [f"{v['id']} ({v['impact']}): {v['help']} — "
            f"{[' '.join(map(str, n['target'])) for n in v['nodes']][:3]}"
            for v in results.response["violations"]]
