"""The one path by which user text reaches a report, in HTML and in Markdown.

Every name, label, quotation, source or identifier a report shows passes
through :func:`html_text` (HTML) or :func:`md_text` (Markdown); both start
from :func:`plain`.

- :func:`plain` removes the bidirectional controls (U+061C, U+200E, U+200F,
  U+202A-U+202E, U+2066-U+2069), which would reorder the text around them
  (a right-to-left override makes ``exe.txt`` read as ``txt.exe``), and the
  C0/C1 control characters other than tab, line feed and carriage return.
- :func:`html_text` escapes ``& < >`` (and quotes, for attributes).
- :func:`md_text` makes text inert Markdown on one line: ``& < >`` are escaped
  as in HTML (raw HTML, ``<javascript:...>`` autolinks and tracking ``<img>``
  become text), every character of inline syntax (``\\ ` * _ [ ] # | ~ !``) is
  backslash-escaped (no link, image, emphasis, code or table cell can be
  forged), every run of white space, line breaks included, becomes one space
  (no heading, list or total line can be started), and a leading list,
  rule or setext marker (``-``, ``+``, ``=``, ``1.``) is escaped. The
  no-break spaces of a French number (``1\u202f234\xa0€``: a narrow one
  between thousands, a full one before a unit) break no line and are kept.

See docs/howto/report.md ("What a report shows of user text").
"""

from __future__ import annotations

import html as _html
import re
from typing import Any

__all__ = ["BIDI_CONTROLS", "html_text", "md_text", "plain"]

BIDI_CONTROLS = "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
"""Characters that change the display order of the text around them."""

_DROP = dict.fromkeys(
    [ord(c) for c in BIDI_CONTROLS]
    + [c for c in range(0x20) if chr(c) not in "\t\n\r"]
    + list(range(0x7F, 0xA0)),
    None,
)
_MD_SPECIAL = str.maketrans({ch: "\\" + ch for ch in "\\`*_[]#|~!"})
_LEADING = re.compile(r"([-+=]+|\d{1,9}[.)])(?=\s|$)")
_BREAKING_SPACE = re.compile(r"[^\S\u00a0\u2007\u202f]+")  # white space but no-break spaces


def plain(x: Any) -> str:
    """``x`` as text without bidirectional or control characters (``None`` is empty).

    Examples
    --------
    >>> plain("Dupont\\u202egpj.exe")
    'Dupontgpj.exe'
    """
    return ("" if x is None else str(x)).translate(_DROP)


def html_text(x: Any, *, quote: bool = True) -> str:
    """``x`` as HTML text (and attribute value when ``quote``), neutralised by :func:`plain`.

    Examples
    --------
    >>> html_text('<img src=x onerror="alert(1)">')
    '&lt;img src=x onerror=&quot;alert(1)&quot;&gt;'
    """
    return _html.escape(plain(x), quote=quote)


def md_text(x: Any) -> str:
    """``x`` as inert one-line Markdown, neutralised by :func:`plain`.

    Examples
    --------
    >>> md_text("[clic](javascript:alert(1))\\n# Total: 1 000 000 €")
    '\\\\[clic\\\\](javascript:alert(1)) \\\\# Total: 1 000 000 €'
    >>> md_text("1\\u202f234\\xa0€\\n")
    '1\\u202f234\\xa0€'
    """
    text = _html.escape(plain(x), quote=False).translate(_MD_SPECIAL)
    text = _BREAKING_SPACE.sub(" ", text).strip(" ")
    m = _LEADING.match(text)
    if m:
        marker = m.group(1)
        escaped = marker[:-1] + "\\" + marker[-1] if marker[0].isdigit() else "\\" + marker
        text = escaped + text[m.end() :]
    return text
