"""The browser walks the site as one person would: every same-site link from the home page,
then every form sent back empty; axe-core checks each page on the way, at a phone's width and
on a desktop."""

import time
from collections import deque
from urllib.parse import urlsplit

from playwright.sync_api import Error as PlaywrightError
from werkzeug.exceptions import HTTPException

from . import axe
from .conftest import ARTIFACTS

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}
# Files, not pages: they download and have no width.
DOWNLOADS = (".pdf", ".csv", ".xlsx", ".zip", ".jpg", ".jpeg", ".png", ".webp", ".json", ".txt")
# The first elements that stick out on the right, to say what to fix.
OVERFLOWING = """() => {
  const edge = document.documentElement.clientWidth, found = [];
  const name = e => e.tagName.toLowerCase() + (e.id ? "#" + e.id : "")
    + (typeof e.className === "string" && e.className ? "." + e.className.trim().split(/\\s+/).join(".") : "");
  for (const e of document.querySelectorAll("body *")) {
    const box = e.getBoundingClientRect();
    if (box.width && box.right > edge + 0.5 && found.length < 4)
      found.push(name(e) + " " + Math.round(box.right) + "px");
  }
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  const range = document.createRange();
  while (walker.nextNode() && found.length < 4) {  // a word too long for its box
    range.selectNodeContents(walker.currentNode);
    const box = range.getBoundingClientRect();
    if (box.width && box.right > edge + 0.5)
      found.push("text in " + name(walker.currentNode.parentElement) + ": "
                 + walker.currentNode.textContent.trim().slice(0, 40));
  }
  return found;
}"""
PER_ENDPOINT = 4  # a list of 50 drawings is one page shape: a few of each are enough


def check(page, what: str, desktop: bool = True) -> list[str]:
    """What axe finds on the page at the phone's width and, with ``desktop``, on the same page
    widened (no second visit); the page is left at the phone's width."""
    problems = [f"{what} (phone): {problem}" for problem in axe.violations(page)]
    if desktop:
        page.set_viewport_size(DESKTOP)
        problems += [f"{what} (desktop): {problem}" for problem in axe.violations(page)]
        page.set_viewport_size(PHONE)
    return problems


def walk(page, live, start: str = "/") -> tuple[dict[str, list[str]], list[str], list[str]]:
    """Follow every same-site link from ``start``; return {endpoint: [urls]}, the pages wider
    than the phone and what axe finds: on every page at the phone's width, and on the first
    page of each endpoint on a desktop too."""
    adapter = live.app.url_map.bind("127.0.0.1")
    seen, reached, too_wide, inaccessible = set(), {}, [], []
    queue = deque([start])
    while queue:
        path = queue.popleft()
        if path in seen:
            continue
        seen.add(path)
        try:
            endpoint, _ = adapter.match(urlsplit(path).path, method="GET")
        except HTTPException:
            continue
        if endpoint == "static" or len(reached.get(endpoint, [])) >= PER_ENDPOINT:
            continue
        response = page.goto(live.url + path)
        if response is None or not response.headers.get("content-type", "").startswith("text/html"):
            continue
        assert response.status < 500, path
        reached.setdefault(endpoint, []).append(path)
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > PHONE["width"]:
            too_wide.append(f"{path}: {width} px ({', '.join(page.evaluate(OVERFLOWING))})")
            page.screenshot(path=str(ARTIFACTS / f"too-wide-{endpoint}.png"), full_page=True)
        inaccessible += check(page, path, desktop=len(reached[endpoint]) == 1)
        for href in page.eval_on_selector_all("a[href]", "links => links.map(a => a.href)"):
            parts = urlsplit(href)
            if f"{parts.scheme}://{parts.netloc}" != live.url:
                continue
            if parts.path.lower().endswith(DOWNLOADS) or parts.path.startswith("/static/"):
                continue
            queue.append(parts.path + (f"?{parts.query}" if parts.query else ""))
    return reached, too_wide, inaccessible


# The forms to fill in on a page: those with fields, and no question before they act (a
# change of phase, an erasure: what they ask is their own test's business); one of each
# kind (a form per drawing or per calendar page is one form: its address, numbers aside).
FORMS = """() => {
  const kinds = new Set();
  return [...document.querySelectorAll("main form:is([method=post], [hx-post]):not([data-confirm])")]
    .filter(form => {
      const kind = new URL(form.action, location.href).pathname.replace(/[0-9]+/g, "#");
      if (kinds.has(kind) || !form.querySelector(
          "input:not([type=hidden]):not([type=submit]):not([type=button]), textarea, select"))
        return false;
      return kinds.add(kind);
    });
}"""
# Sends one back with its fields emptied and the browser's own checks off, so that the server
# answers with the form and its errors. The page is marked: the answer is a page without the
# mark (a new page, or the upload forms' own document.write), or, for a form htmx sends, the
# page once htmx has put the answer in.
SEND_EMPTY = f"""index => {{
  const form = ({FORMS})()[index], root = document.documentElement;
  root.dataset.sent = "";
  const settled = () => {{ root.dataset.settled = ""; }};
  document.addEventListener("htmx:afterSettle", settled);
  // an answer htmx does not put in (an error, no content) settles nothing
  document.addEventListener("htmx:afterRequest", () => setTimeout(settled, 300));
  for (const field of form.querySelectorAll("input:not([type=hidden]), textarea")) {{
    if (field.type === "checkbox" || field.type === "radio") field.checked = false;
    else if (field.type !== "submit" && field.type !== "button") field.value = "";
  }}
  form.noValidate = true;
  form.requestSubmit(form.querySelector("[type=submit]"));
}}"""
ANSWERED = """() => {
  const root = document.documentElement;  // none while document.write fills a new one
  return !!root && (root.dataset.sent === undefined || root.dataset.settled !== undefined);
}"""


def _wait_for_answer(page) -> None:
    """Polled from here, not by ``wait_for_function``: that one evaluates its text inside the
    page, which a strict Content-Security-Policy forbids; and the page may be between two
    documents when asked."""
    for _ in range(600):
        try:
            if page.evaluate(ANSWERED):
                page.wait_for_load_state()
                return
        except PlaywrightError:
            pass  # the old document went away as it was asked
        time.sleep(0.05)
    raise AssertionError(f"no answer to a form of {page.url}")


def send_forms_empty(page, live, reached: dict[str, list[str]]) -> list[str]:
    """What axe finds after sending each form a role fills in, empty: the form and its errors
    (or what an empty form does). Done after the walk, since a form may change what later
    pages show."""
    problems = []
    for paths in reached.values():
        page.goto(live.url + paths[0])
        for index in range(page.evaluate(f"({FORMS})().length")):
            if index:
                page.goto(live.url + paths[0])
            with page.expect_response(lambda r: r.request.method == "POST") as answer:
                page.evaluate(SEND_EMPTY, index)
            _wait_for_answer(page)
            what = f"{paths[0]} form {index + 1} sent empty"
            assert answer.value.status < 500, what
            assert page.title(), what  # a page that says what is wrong, not a bare error
            problems += check(page, what)
    return problems
