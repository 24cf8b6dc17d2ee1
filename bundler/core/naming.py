"""Titles, dates and file names proposed from what the user gives us."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

__all__ = [
    "propose_title_date",
    "propose_date",
    "metadata_date",
    "date_problem",
    "parse_date",
    "parse_typed_date",
    "format_date",
    "short_case_name",
    "bundle_file_name",
    "plural",
    "protected_words",
    "guess_words",
]

_ISO = re.compile(r"(?<!\d)(\d{4})[-_.](\d{2})[-_.](\d{2})(?!\d)")
_UK = re.compile(r"(?<!\d)(\d{1,2})[-_.](\d{1,2})[-_.](\d{4})(?!\d)")
_COMPACT = re.compile(r"(?<!\d)(20\d{2}|19\d{2})(\d{2})(\d{2})(?!\d)")
_PDF_DATE = re.compile(r"D?:?(\d{4})(\d{2})(\d{2})")
_UNSAFE = re.compile(r'[<>:"/\\|?*\x00-\x1f]')


def _valid(y: str, m: str, d: str) -> str | None:
    try:
        return date(int(y), int(m), int(d)).isoformat()
    except ValueError:
        return None


def parse_date(text: str) -> str | None:
    """An ISO date from '2019-08-11', '11.08.2019', '20190811' or a PDF date string."""
    for pattern, order in ((_ISO, (1, 2, 3)), (_UK, (3, 2, 1)), (_COMPACT, (1, 2, 3))):
        m = pattern.search(text)
        if m and (iso := _valid(*(m.group(i) for i in order))):
            return iso
    return None


_MONTHS = "january february march april may june july august september october november december".split()
_WORDY = re.compile(r"^(\d{1,2})(?:st|nd|rd|th)?[\s,]+([a-z]{3,9})\.?[\s,]+(\d{4})$")
_SLASHED = re.compile(r"^(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4})$")


def _month(word: str) -> int | None:
    """1-12 for 'aug', 'august' or 'sept'; None for anything else."""
    word = "sep" if word == "sept" else word
    return next((i for i, name in enumerate(_MONTHS, 1) if name.startswith(word)), None)


def parse_typed_date(text: str) -> str | None:
    """An ISO date from what people type: '2019-08-11', '11/08/2019', '11.8.2019', '11 Aug 2019',
    '11 August 2019'. Day first, as in England and Wales; None when it is not a date."""
    text = " ".join(text.strip().lower().split())
    if m := _WORDY.match(text):
        month = _month(m.group(2))
        return _valid(m.group(3), str(month), m.group(1)) if month else None
    if m := _SLASHED.match(text):
        return _valid(m.group(3), m.group(2), m.group(1))
    if re.fullmatch(r"\d{4}-\d{1,2}-\d{1,2}", text):
        return _valid(*text.split("-"))
    return None


def propose_title_date(path: Path, metadata_title: str = "", metadata_date: str = "") -> tuple[str, str | None]:
    """'2019-08-11 Letter before claim.pdf' → ("Letter before claim", "2019-08-11").

    The file name wins; the document's own metadata fills what the name lacks
    (``propose_date`` says which of the two the date came from).
    """
    stem = path.stem
    title = stem
    for pattern in (_ISO, _UK, _COMPACT):
        title = pattern.sub(" ", title)
    title = re.sub(r"[_]+", " ", title).strip(" -_.,")
    title = re.sub(r"\s{2,}", " ", title)
    if not title or title.isdigit():
        title = metadata_title.strip() or stem
    return title, propose_date(path, metadata_date)[0]


# Dates that software writes when it knows none: a clock's epoch or a template's default.
_PLACEHOLDER_DATES = frozenset({"1970-01-01", "2000-01-01", "1980-01-01", "1904-01-01", "1601-01-01"})


def metadata_date(raw: str, today: date | None = None) -> str | None:
    """The ISO date in a PDF or Word property, or None for a placeholder or a future date."""
    m = _PDF_DATE.match(raw.strip())
    found = _valid(*m.groups()) if m else None
    if found is None or found in _PLACEHOLDER_DATES or found > (today or date.today()).isoformat():
        return None
    return found


def propose_date(path: Path, raw_metadata_date: str = "") -> tuple[str | None, str]:
    """The date a new document is given and where it came from: "filename", "metadata" or
    "typed" (no date found: nothing to confirm)."""
    found = parse_date(path.stem)
    if found is not None:
        return found, "filename"
    guess = metadata_date(raw_metadata_date) if raw_metadata_date else None
    return (guess, "metadata") if guess else (None, "typed")


def date_problem(text: str) -> str:
    """What is wrong with a typed date, in one sentence the user can act on."""
    text = " ".join(text.split())
    how = "Type it as 3 Apr 2022, 03/04/2022 (day first) or 2022-04-03, or leave it empty."
    cleaned = text.lower()
    numbers = _SLASHED.match(cleaned)
    wordy = _WORDY.match(cleaned)
    if numbers and not 1 <= int(numbers.group(2)) <= 12:
        return f"'{text}' is not a date: there is no month {int(numbers.group(2))} (the day comes first). {how}"
    if wordy and not _month(wordy.group(2)):
        word = text.replace(",", " ").split()[1].rstrip(".")  # as typed, not lower-cased
        return f"'{text}' is not a date: '{word}' is not a month. {how}"
    if numbers or wordy:
        day = int((numbers or wordy).group(1))  # type: ignore[union-attr]
        return f"'{text}' is not a date: that month has no day {day}. {how}"
    if re.fullmatch(r"\d{1,2}(?:st|nd|rd|th)?\s+[a-z]{3,9}\.?|\d{1,2}[/.]\d{1,2}", cleaned):
        return f"'{text}' is not a full date: it needs a year. {how}"
    return f"'{text}' is not a date. {how}"


def format_date(iso: str | None) -> str:
    """'2019-08-11' → '11 Aug 2019'; unambiguous to every reader."""
    if not iso:
        return "Undated"
    d = date.fromisoformat(iso)
    return f"{d.day} {d:%b %Y}"


def short_case_name(case_name: str) -> str:
    """'AB v Chief Constable of Wessex Police' stays as typed, minus characters no file system takes."""
    return re.sub(r"\s{2,}", " ", _UNSAFE.sub("", case_name)).strip()


def bundle_file_name(short_name: str, bundle_name: str, claim_no: str) -> str:
    """PRODUCT.md §2.10: 'AB v MPC - Hearing Bundle - AC-2019-LON-002345.pdf'."""
    parts = [short_case_name(p) for p in (short_name, bundle_name, claim_no) if p.strip()]
    return " - ".join(parts) + ".pdf"


def plural(count: int, word: str, many: str = "") -> str:
    """'1 page', '2 pages', '3 documents have' → words, never 'page(s)'."""
    return f"{count} {word if count == 1 else many or word + 's'}"


def protected_words(count: int) -> str:
    """What the leak gate searched for, as a user reads it: '10 protected names and numbers'."""
    return plural(count, "protected name or number", "protected names and numbers")


_GUESSED_FROM = {"filename": "its file name", "metadata": "the PDF's properties"}


def guess_words(source: str) -> str:
    """Where a guessed date came from, as a user reads it: 'its file name'."""
    return _GUESSED_FROM.get(source, "what was typed")
