"""Link targets as a person reads them: percent-escapes, ``+`` and punycode decoded.

``https://example.org/F%61rida+Kh%61num`` and ``https://xn--frida-gra.example``
show a name once decoded, as any browser's address bar shows them. Matching
reads a text as it is and in each decoded form, so a protected name cannot hide
behind an escape.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from urllib.parse import unquote_plus

__all__ = ["uri_forms", "may_be_encoded"]

_ROUNDS = 4  # "%2546" is "%46" is "F": decode until nothing changes, a few times at most
_PUNYCODE = re.compile(r"xn--[a-z0-9-]+", re.I)
_ENCODED = re.compile(r"%[0-9A-Fa-f]{2}|\+|xn--", re.I)


def may_be_encoded(text: str) -> bool:
    """Whether ``text`` holds an escape, a ``+`` or a punycode label. Every match holds "%", "+"
    or "--", which ``in`` finds at C speed; the case-blind regex looks at every position."""
    return ("%" in text or "+" in text or "--" in text) and _ENCODED.search(text) is not None


def _punycode(m: re.Match[str]) -> str:
    try:
        return m.group()[4:].encode("ascii").decode("punycode")
    except UnicodeError:
        return m.group()


def _decoded_once(text: str) -> str:
    return _PUNYCODE.sub(_punycode, unquote_plus(text, errors="replace"))


def uri_forms(text: str) -> Iterator[str]:
    """The decoded forms of ``text`` that differ from it (none when nothing is encoded)."""
    seen, form = {text}, text
    for _ in range(_ROUNDS):
        form = _decoded_once(form)
        if form in seen:
            return
        seen.add(form)
        yield form
