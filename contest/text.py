"""What people type, made fit to store and to show: one rule per field, applied in one place.

Every form's text passes through ``clean_form`` before a view or a form sees it (the app's
request class calls it), a school's list through ``clean`` cell by cell, and the command line
through ``clean`` too. So a title copied from an Excel cell with a line break in it is stored
as one line, and no stored name, title or address can split an e-mail header or a CSV row.

By field (``kind_of``):

- ``line``: names, titles, towns: line breaks and tabs become spaces, runs of spaces one space.
- ``token``: e-mail addresses, phone numbers, codes: kept as typed (trimmed), so that their
  own validators refuse a line break instead of quietly turning it into something else.
- ``secret``: passwords and CSRF tokens: never changed.
- anything else (descriptions, reasons, rules in Markdown): line breaks are kept (as ``\\n``).

In every kind but ``secret``, other control characters (NUL, escape, ...) and the invisible
bidirectional overrides that make "drawing\\u202egpj.exe" read as "drawingexe.jpg" are
dropped, and the text is put in Unicode's composed form (NFC), as people's keyboards mostly
write it.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

LINE_FIELDS = frozenset({
    "name", "title", "town", "institution", "teacher", "child_first_name", "child_last_name",
    "guardian_name", "title_ru", "title_en", "theme_ru", "theme_en", "motto_ru", "motto_en",
    "name_ru", "name_en", "source_ru", "source_en", "note", "file",
})
TOKEN_FIELDS = frozenset({"email", "guardian_email", "guardian_phone", "phone", "code"})
SECRET_FIELDS = frozenset({"password", "current", "new", "confirm", "csrf_token"})

LINE_BREAKS = re.compile(r"\r\n|[\n\r\v\f\x1c-\x1e\x85\u2028\u2029]")
SPACES = re.compile(r"[ \t\u00a0\u2000-\u200a\u202f\u205f\u3000]+")
# Bidirectional embeddings, overrides and isolates: invisible, and able to reorder what is shown.
BIDI_CONTROLS = re.compile(r"[\u202a-\u202e\u2066-\u2069]")


def kind_of(field: str) -> str:
    """``line``, ``token``, ``secret`` or ``text``: how the field named ``field`` is cleaned."""
    if field in SECRET_FIELDS:
        return "secret"
    if field in TOKEN_FIELDS:
        return "token"
    if field in LINE_FIELDS:
        return "line"
    return "text"


def _without_controls(value: str, keep: str = "") -> str:
    value = BIDI_CONTROLS.sub("", unicodedata.normalize("NFC", value))
    return "".join(ch for ch in value
                   if ch in keep or unicodedata.category(ch) != "Cc")


def one_line(value: str | None) -> str:
    """``value`` on one line: line breaks and tabs as single spaces, no control characters."""
    value = LINE_BREAKS.sub(" ", value or "")
    return SPACES.sub(" ", _without_controls(value, keep="\t")).strip()


def paragraphs(value: str | None) -> str:
    """``value`` with its line breaks as ``\\n``, no other control characters, no spaces at
    the ends of lines."""
    value = LINE_BREAKS.sub("\n", value or "").replace("\t", " ")
    lines = _without_controls(value, keep="\n").split("\n")
    return "\n".join(line.rstrip() for line in lines).strip()


def clean(field: str, value: str | None) -> str:
    """``value`` of the field named ``field``, cleaned by the field's kind (see ``kind_of``)."""
    kind = kind_of(field)
    if kind == "secret":
        return value or ""
    if kind == "line":
        return one_line(value)
    if kind == "token":
        return _without_controls(value or "", keep="\n\r\t\v\f").strip()
    return paragraphs(value)


def clean_form(items) -> Iterable[tuple[str, object]]:
    """A form's ``(name, value)`` pairs with every text value cleaned by its field's kind."""
    pairs = items.items(multi=True) if hasattr(items, "items") else items
    for name, value in pairs:
        yield name, clean(name, value) if isinstance(value, str) else value


def has_line_break(value: str | None) -> bool:
    """Whether ``value`` holds a line break or another control character: never allowed in
    an e-mail header or an address."""
    return bool(value) and any(unicodedata.category(ch) == "Cc" or ch in "\u2028\u2029\x85"
                               for ch in value)
