"""A protected name written in letters of other scripts that print as Latin ones is still found.

"F\u0430rid\u0430 Kh\u0430num" (Cyrillic a) renders as "Farida Khanum": the matcher folds
look-alikes to Latin (``lookalikes``), so detection, the DOCX anonymiser, PDF redaction
and the leak gate all see it, at the right place in the original text; and ordinary
Russian or Greek text, which is full of such letters, makes no hits for English names.
"""

from __future__ import annotations

import unicodedata
import zipfile
from pathlib import Path

import docx
import pytest

from bundler.core.anonymise.detect import detect_text
from bundler.core.anonymise.docx.anonymise import anonymise_docx
from bundler.core.anonymise.gate import joins
from bundler.core.anonymise.lookalikes import LOOKALIKES, fold_letters
from bundler.core.anonymise.terms import anonymise_text, find_matches, normalise, targets_from_register
from bundler.core.model import Person, Register
from tests.anonymise_texts import DISGUISED, as_read

TARGETS = targets_from_register(
    Register(people=[Person("Farida Khanum", "Aisha"), Person("Okonkwo-Reyes", "Bola"), Person("John Smith", "JS")])
)
RUSSIAN = (
    "Суд рассмотрел жалобу заявителя и оставил решение без изменения. Свидетель Смирнов "
    "показал, что видел Фариду Ханум у дома на улице Мира. Москва, 3 мая, сорок три года."
)
GREEK = (
    "Το δικαστήριο εξέτασε την υπόθεση και απέρριψε την αίτηση. Η μάρτυρας Σμιθ κατέθεσε "
    "ότι είδε τον κατηγορούμενο στην Αθήνα. ΤΟ ΔΙΚΑΣΤΗΡΙΟ ΑΠΟΦΑΣΙΣΕ ΟΜΟΦΩΝΑ ΚΑΙ ΧΩΡΙΣ ΚΑΘΥΣΤΕΡΗΣΗ."
)


@pytest.mark.parametrize("form", DISGUISED.values(), ids=DISGUISED.keys())
def test_a_disguised_name_is_found_where_it_stands(form: str) -> None:
    text = f"Statement of {form}, dated 3 May."
    matches = find_matches(text, TARGETS)
    assert [(m.start, m.end, m.target.text) for m in matches] == [(13, 13 + len(form), "Farida Khanum")]
    assert anonymise_text(text, TARGETS) == "Statement of Aisha, dated 3 May."


def test_greek_omicrons_in_a_double_barrelled_name() -> None:
    text = "Mr \u039fk\u03bfnkw\u03bf-Reyes and Mr \u039fk\u03bfnkw\u03bf said"
    assert anonymise_text(text, TARGETS) == "Mr Bola and Mr Bola said"


def test_a_name_registered_in_look_alikes_finds_itself_and_the_latin_spelling() -> None:
    targets = targets_from_register(Register(people=[Person(DISGUISED["mixed scripts"], "Aisha")]))
    assert anonymise_text(f"{DISGUISED['mixed scripts']} and Farida KHANUM", targets) == "Aisha and Aisha"


def test_capitals_fold_as_what_they_look_like_not_as_their_small_letters() -> None:
    """Greek capital eta and nu print as H and N; their small letters as n and v."""
    assert normalise("\u0397\u039d \u03b7\u03bd") == "hn nv"


@pytest.mark.parametrize(
    ("text", "folded"),
    [
        ("Far\u0131da", "farida"),  # dotless i
        ("\u0237ones", "jones"),  # dotless j
        ("\u0251\u0261e", "age"),  # Latin alpha, script g
        ("\u017fmith", "smith"),  # long s: NFKD folds it already
        ("Strau\ua7b5", "strauss"),  # Latin small beta, written for a sharp s
        ("S\u00f8ren \u0141ukasz", "soren lukasz"),  # letters with a stroke, as other diacritics
        ("\u1d0b\u029c\u1d00\u0274\u1d1c\u1d0d", "khanum"),  # small capitals
    ],
)
def test_latin_letters_nfkd_leaves_alone_fold_to_their_plain_letter(text: str, folded: str) -> None:
    assert normalise(text) == folded


def test_digits_are_not_letters_here() -> None:
    """O/0 and l/1 are OCR's confusions, taken only inside identifiers (``forms``)."""
    assert not [ch for ch in LOOKALIKES if unicodedata.category(ch).startswith("N")]  # (APL's alpha is a symbol)
    assert all(latin.isalpha() and latin.isascii() for latin in LOOKALIKES.values())
    assert find_matches("Kh4num, F4rida and 0konkw0 signed", TARGETS) == []


def test_the_table_has_every_letter_the_brief_names() -> None:
    """Cyrillic а в е к м н о р с т у х ѕ і ј ԁ ԛ ԝ ү һ ӏ, Greek α ο ρ ν ι κ τ υ χ, Armenian օ ս հ."""
    shown = "авекмнорстухѕіјԁԛԝүһӏ αορνικτυχ օսհ"
    assert fold_letters(shown) == "abekmhopctyxsijdqwyhi aopviktux ouh"
    assert fold_letters(shown.upper()) == "abekmhopctyxsijdqwyhi aopniktyx ouh"  # Greek N and Y


@pytest.mark.parametrize("text", [RUSSIAN, GREEK, RUSSIAN.upper(), GREEK.lower()], ids=["ru", "el", "RU", "el-lower"])
def test_ordinary_russian_and_greek_make_no_hits(text: str) -> None:
    assert find_matches(text, TARGETS) == []
    assert detect_text("d1", "Statement", [text], TARGETS) == []


def test_a_stamp_in_look_alike_letters_could_join_a_vouched_page_into_a_name() -> None:
    """A verified page is read again by pypdf when its stamp could complete a name (``joins``):
    "\u041a\u04bb" (Cyrillic) is the "Kh" of "Khanum", digits complete no name."""
    names = joins._target_chars(TARGETS)
    assert joins._may_join("\u041a\u04bb", names) and not joins._may_join("1234", names)


def test_a_docx_statement_in_look_alikes_is_anonymised(tmp_path: Path) -> None:
    source, copy = tmp_path / "statement.docx", tmp_path / "anonymised.docx"
    document = docx.Document()
    document.add_paragraph("WITNESS STATEMENT")
    for form in DISGUISED.values():
        document.add_paragraph(f"I, {form}, of Leeds, say as follows.")
    document.save(str(source))
    report = anonymise_docx(source, copy, TARGETS)
    paragraphs = [p.text for p in docx.Document(str(copy)).paragraphs]
    assert paragraphs == ["WITNESS STATEMENT"] + ["I, Aisha, of Leeds, say as follows."] * len(DISGUISED)
    assert report.count("replace") == len(DISGUISED)
    with zipfile.ZipFile(copy) as package:
        parts = {name: as_read(package.read(name).decode("utf-8", "ignore")) for name in package.namelist()}
    assert [name for name, text in parts.items() if "farida" in text or "khanum" in text] == []


def test_the_independent_reading_really_reads_the_disguises() -> None:
    """Guards the check above: the reading the DOCX and PDF tests use sees through every form."""
    for form in DISGUISED.values():
        assert as_read(form) == "farida khanum"
        assert unicodedata.normalize("NFKD", form).casefold() != "farida khanum"


@pytest.mark.parametrize(
    "form",
    ["Fa\u027di\u0257a K\u0266anu\u0271", "F\u237ar\u2373da Kh\u237anum", "Fa\u027eida Kha\u1952\u1959m"],
    ids=["letters with hooks and tails", "APL alpha and iota", "fishhook r and Tai Le"],
)
def test_letters_with_hooks_apl_symbols_and_tai_le_fold_too(form: str) -> None:
    assert anonymise_text(f"Statement of {form}.", TARGETS) == "Statement of Aisha."


def test_every_latin_letter_with_a_hook_or_tail_folds_to_its_letter() -> None:
    """By name: some 220 letters NFKD keeps whole. (V WITH HOOK prints as a u: the table says so.)"""
    whole = [chr(cp) for cp in range(0x180, 0x2C0) if unicodedata.normalize("NFKD", chr(cp)) == chr(cp)]
    named = {ch: unicodedata.name(ch, "").split() for ch in whole}
    hooked = {
        ch: w[3].lower() for ch, w in named.items() if w[:1] == ["LATIN"] and w[4:5] == ["WITH"] and len(w[3]) == 1
    }
    assert len(hooked) > 40
    for ch, letter in hooked.items():
        assert fold_letters(ch) == letter or ch in LOOKALIKES, unicodedata.name(ch)


def test_ascii_text_folds_exactly_as_the_full_fold_does() -> None:
    """The quick path for ASCII (one table) gives what NFKD, the table, case folding and the
    table again give: every ASCII character, and texts of them."""
    import random  # noqa: PLC0415

    from bundler.core.anonymise.lookalikes import _full_fold  # noqa: PLC0415

    assert all(fold_letters(chr(cp)) == _full_fold(chr(cp)) for cp in range(128))
    rng = random.Random(7)
    for _ in range(2000):
        text = "".join(chr(rng.randrange(128)) for _ in range(rng.randrange(40)))
        assert fold_letters(text) == _full_fold(text)
    assert fold_letters("Farida `KHANUM`\x00") == _full_fold("Farida `KHANUM`\x00") == "farida 'khanum'\x00"
