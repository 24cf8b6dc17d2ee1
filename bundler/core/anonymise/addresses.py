"""UK postal addresses, as one hit from the flat or house to the postcode.

An address is a street line — a house number and a street ("21 Castle Street",
"14a Mill Lane", "12-14 Station Road") — optionally after a flat, apartment or
building ("Flat 2B, Rosebank Court,"), or a PO box; then up to four localities
and towns, each after a comma or on its own line, and a postcode. A street
without a number counts after a named building ("Rose Cottage, Church Lane"), or
after a house name when a postcode ends the address ("Sunnyside, Albert Gardens, ...")
or the sentence announces an address ("I live at Fairview, Fernhill Square, Hull").
The hit covers the whole address, so accepting it protects all of it.
"""

from __future__ import annotations

import re

__all__ = ["POSTCODE", "ADDRESS", "ADDRESS_HINT"]

# The UK's official postcode grammar: letters that never occur in a position are left out.
POSTCODE = (
    r"(?:GIR ?0AA|[A-PR-UWYZ](?:\d{1,2}|[A-HK-Y]\d{1,2}|\d[A-HJKPSTUW]|[A-HK-Y]\d[ABEHMNPRV-Y])"
    r" ?\d[ABD-HJLNP-UW-Z]{2})"
)
_STREET_KINDS = (
    "Road|Rd|Street|St|Avenue|Ave|Lane|Ln|Close|Drive|Way|Court|Ct|Gardens|Gdns|Crescent|Cres"
    "|Terrace|Tce|Place|Pl|Square|Sq|Grove|Hill|Row|Walk|Mews|Park|Parade|Rise|Vale|View|Green"
    "|Gate|Wharf|Yard|Boulevard|Approach|Circus|Broadway|Croft|Fold|Chase|Quay|Embankment|Wynd|Brow"
)
_BUILDING_KINDS = (
    "House|Court|Lodge|Cottage|Farm|Hall|Mansions|Buildings|Tower|Point|Heights|Villa|Barn|Manor"
    "|Forge|Mill|Grange|Croft|Flats|Apartments|Works|Chambers|Estate|Close"
)


def _cases(words: str) -> str:
    """ "Road|St" as "Road|ROAD|road|St|ST|st": quicker than an (?i) group in a big regex."""
    return "|".join(dict.fromkeys(v for w in words.split("|") for v in (w, w.upper(), w.lower())))


_CAP = r"[A-Z][A-Za-z'\u2019]*(?:-[A-Za-z][a-z'\u2019]*)*"  # Castle, Queen's, ST, Stoke-on-Trent
_NAME = rf"(?:(?:The|THE)[ \t])?(?:{_CAP}[ \t]){{1,3}}"  # "Castle ", "St John's ", "The Old "
_NUMBER = r"\d{1,4}[A-Za-z]?(?:\s?[-\u2013]\s?\d{1,4}[A-Za-z]?)?"
_STREET = rf"{_NAME}(?:{_cases(_STREET_KINDS)})\b(?![-'\u2019])\.?"
_BUILDING = rf"{_NAME}(?:{_cases(_BUILDING_KINDS)})\b"
_UNIT = (
    r"(?:(?i:flat|apartment|apt\.?|unit|room|suite|studio|maisonette)\s+[A-Za-z]?\d{1,4}[A-Za-z]?(?:/\d{1,2})?"
    r"|(?i:(?:(?:ground|first|second|third|top|upper|lower)\s+floor|basement|garden)\s+flat))"
)
_SEP = r"(?:[ \t]*,[ \t]*\n?[ \t]*|[ \t]*\n[ \t]*)"  # a comma or one line break, never a blank line
# Words that start a line after an address in a letter, not a town.
_NOT_TOWN = (
    r"(?!(?:Dear|Re|Date|Dated|Tel|Telephone|Email|E-mail|Our|Your|Ref|Reference|Person|Name|Mobile"
    r"|Phone|Fax|Yours|Signed|DOB|Nationality|Claim|Case|Appeal|Between|Home|Private|Subject|By)\b)"
)
_TOWN = rf"(?=[A-Z]){_NOT_TOWN}{_CAP}(?:[ ](?:{_CAP}|upon|on|under|in|le|by|the|en)){{0,3}}"
_PO_BOX = r"(?i:P\.?\s?O\.?\s?Box)\s+\d{1,6}"
_HOUSE_NAME = rf"(?:The|THE)[ \t]{_CAP}(?:[ \t]{_CAP})?"  # "The Willows", "The Old Rectory"
_HOUSE = rf"(?:(?:{_UNIT}|{_BUILDING}|{_HOUSE_NAME}){_SEP}){{1,2}}"
_LINE = rf"(?:{_HOUSE}(?:{_NUMBER},?\s+)?{_STREET}|(?:{_UNIT}{_SEP}|{_UNIT}\s+)?{_NUMBER},?[ \t]+{_STREET}|{_PO_BOX})"
_TOWNS = rf"(?:{_SEP}{_TOWN}){{0,4}}"
_TAIL = rf"{_TOWNS}(?:(?:{_SEP}|[ \t]+)(?i:{POSTCODE}))?"
# "Sunnyside, Albert Gardens, Bradford BD3 3XP": a house name and a street without a number
# make an address when a postcode ends it.
_HOUSE_WORDS = rf"(?=[A-Z]){_NOT_TOWN}(?:{_CAP}[ \t]){{0,2}}{_CAP}{_SEP}{_STREET}"
_NAMED = rf"{_HOUSE_WORDS}{_TOWNS}(?:{_SEP}|[ \t]+)(?i:{POSTCODE})"
# ... or, without a postcode, where the sentence says an address comes ("live at", "of", "Address:").
_CUE = r"(?:(?<=\bat )|(?<=\bof )|(?<=c/o )|(?<=Address: )|(?<=address: ))"
_CUED = rf"(?=[A-Z]){_CUE}{_HOUSE_WORDS}(?:{_SEP}{_TOWN}){{1,4}}"

ADDRESS = rf"(?<![\w/.-])(?P<hit>{_LINE}{_TAIL}|{_NAMED}|{_CUED})(?![A-Za-z0-9])"
# Every address has a street kind or a PO box: pages without one skip the address regex.
# It searches lower-cased text (much quicker than an (?i) alternation).
ADDRESS_HINT = re.compile(rf"\b(?:{_STREET_KINDS.lower()}|box)\b")
