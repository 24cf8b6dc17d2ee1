"""Edits to the anonymisation register, as plain functions over the model."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from bundler.core.anonymise.accept_people import suggested_person
from bundler.core.errors import ProjectError
from bundler.core.model import Bundle, Person, RedactionBox, Term

if TYPE_CHECKING:
    from bundler.core.anonymise.detect import Hit

__all__ = [
    "add_person",
    "split_variants",
    "add_term",
    "add_box",
    "move_box",
    "remove_entry",
    "describe_register",
    "accept_hit",
    "reject_hit",
    "SUGGESTED_REASON",
]


def _check_action(action: str) -> None:
    if action not in ("replace", "redact"):
        raise ProjectError(f"Action '{action}' is not known. Use 'replace' or 'redact'.")


def split_variants(texts: list[str]) -> tuple[list[str], dict[str, str]]:
    """Variants as typed, each "form" or "form=its own replacement" ("Mrs Khanum=Aisha"):
    the forms, and the replacements given."""
    variants, own = [], {}
    for text in texts:
        form, equals, replacement = text.partition("=")
        if not form.strip():
            raise ProjectError(f"The variant '{text.strip()}' has no name before '='.")
        variants.append(form.strip())
        if equals and replacement.strip():
            own[form.strip()] = replacement.strip()
    return variants, own


def add_person(
    bundle: Bundle,
    name: str,
    pseudonym: str,
    *,
    variants: list[str] | None = None,
    action: str = "replace",
    reason: str = "",
    variant_replacements: dict[str, str] | None = None,
) -> Person:
    """Protect a person; ``pseudonym`` ("Aisha" or a cipher "AB") replaces every form of the name,
    except a variant given its own replacement (``{"Mrs Khanum": "Aisha"}``)."""
    _check_action(action)
    if not name.strip():
        raise ProjectError("A protected person needs a name.")
    if action == "replace" and not pseudonym.strip():
        raise ProjectError(f"Give a pseudonym or cipher for '{name}' (e.g. --pseudonym AB), or use --redact.")
    if any(p.name.casefold() == name.casefold() for p in bundle.register.people):
        raise ProjectError(f"'{name}' is already in the register. Add variants to that entry instead.")
    own = dict(variant_replacements or {})
    forms = list(variants or [])
    forms += [form for form in own if form not in forms]
    person = Person(
        name=name.strip(),
        pseudonym=pseudonym.strip(),
        variants=forms,
        action=action,
        reason=reason,
        variant_replacements=own,
    )
    bundle.register.people.append(person)
    return person


def add_term(
    bundle: Bundle,
    text: str,
    *,
    action: str = "redact",
    replacement: str = "",
    category: str = "identifier",
    reason: str = "",
) -> Term:
    """Protect a place, address or identifier."""
    _check_action(action)
    if not text.strip():
        raise ProjectError("A protected term cannot be empty.")
    if action == "replace" and not replacement.strip():
        raise ProjectError(f"Say what replaces '{text}' (--replace-with), or use --redact.")
    term = Term(text=text.strip(), category=category, action=action, replacement=replacement, reason=reason)
    bundle.register.terms.append(term)
    return term


def add_box(
    bundle: Bundle,
    document_key: str,
    page: int,
    rect: tuple[float, float, float, float],
    reason: str = "",
    basis: str | None = None,
) -> RedactionBox:
    """A manual redaction box on page ``page`` (1-based) of a document.

    ``basis`` names the rendering ``rect`` was drawn on (a DOCX's, see anonymise/basis.py).
    """
    found = bundle.find_document(document_key)
    if found is None:
        raise ProjectError(f"There is no document '{document_key}' in this bundle. Give its id, file name or title.")
    _check_box(page, rect)
    box = RedactionBox(document_id=found[1].id, page=page, rect=rect, reason=reason, basis=basis)
    bundle.register.boxes.append(box)
    return box


def move_box(
    bundle: Bundle, box_id: str, rect: tuple[float, float, float, float], basis: str | None = None
) -> RedactionBox:
    """Move or resize a redaction box on its page: ``rect`` is where it now is, on rendering ``basis``."""
    box = next((b for b in bundle.register.boxes if b.id == box_id), None)
    if box is None:
        raise ProjectError(f"There is no redaction box with id '{box_id}'. 'bundler register CASE list' shows them.")
    _check_box(box.page, rect)
    box.rect = (float(rect[0]), float(rect[1]), float(rect[2]), float(rect[3]))
    if basis is not None:
        box.basis = basis  # placed again by hand on the rendering now shown
    return box


def _check_box(page: int, rect: tuple[float, float, float, float]) -> None:
    x0, y0, x1, y1 = rect
    if page < 1 or x1 <= x0 or y1 <= y0:
        raise ProjectError("A redaction box needs a page from 1 and a rectangle x0,y0,x1,y1 with x0<x1, y0<y1.")


def remove_entry(bundle: Bundle, entry_id: str) -> None:
    register = bundle.register
    groups: tuple[list[Any], ...] = (register.people, register.terms, register.boxes)
    for items in groups:
        for item in list(items):
            if item.id == entry_id:
                items.remove(item)
                return
    raise ProjectError(f"There is no register entry with id '{entry_id}'. 'bundler register CASE list' shows them.")


def describe_register(bundle: Bundle) -> list[str]:
    lines = []
    for p in bundle.register.people:
        how = f"-> {p.pseudonym}" if p.action == "replace" else "-> [REDACTED]"
        forms = [f"{v} -> {p.variant_replacements[v]}" if v in p.variant_replacements else v for v in p.variants]
        variants = f" (also: {', '.join(forms)})" if forms else ""
        lines.append(f"{p.id}  person  {p.name}{variants} {how}")
    for t in bundle.register.terms:
        how = f"-> {t.replacement}" if t.action == "replace" else "-> [REDACTED]"
        lines.append(f"{t.id}  {t.category:<8} {t.text} {how}")
    for b in bundle.register.boxes:
        found = next((d for _, d in bundle.documents() if d.id == b.document_id), None)
        lines.append(f"{b.id}  box     {found.title if found else b.document_id} page {b.page} {b.rect}")
    return lines or ["The register is empty."]


SUGGESTED_REASON = "suggested by detection"  # the reason of a person added by accepting a suggestion


def _accept_suggested_person(bundle: Bundle, hit: Hit) -> str:
    found = suggested_person(bundle.register, hit)
    if found is None:
        return "covered by the register"
    name, cipher = found
    add_person(bundle, name, cipher, reason=SUGGESTED_REASON)
    return f"'{name}' added as a protected person, replaced with '{cipher}'"


def accept_hit(bundle: Bundle, hit: Hit) -> str:
    """Act on a detection hit the user accepted; returns what changed, for the status line.

    A pattern hit (postcode, NI number …) joins the register as a term to redact; a
    person's initials join that person's variants; a suggested person becomes a new
    person with a cipher; a register hit is covered already.
    """
    from bundler.core.anonymise.terms import normalise

    if hit.rule == "suggest:person":  # a person the register did not name: a new entry with a cipher
        return _accept_suggested_person(bundle, hit)
    if hit.rule.startswith("pattern:"):
        if any(normalise(t.text) == normalise(hit.text) for t in bundle.register.terms):
            return "already in the register"
        add_term(bundle, hit.text, category=hit.category, reason=f"found by {hit.rule[8:]} detection")
        return f"'{hit.text}' will be redacted everywhere"
    if hit.category == "exhibit-mark":
        return _accept_exhibit_mark(bundle, hit)
    if hit.category == "initials":
        person = next((p for p in bundle.register.people if f"register:{p.id}" == hit.rule), None)
        if person is not None and hit.text not in person.variants:
            person.variants.append(hit.text)
            return f"'{hit.text}' added as a variant of a protected person"
    return "covered by the register"


def _accept_exhibit_mark(bundle: Bundle, hit: Hit) -> str:
    """ "FK1" becomes "A1" for Aisha, "AB1" for the cipher AB: the mark keeps its number."""
    person = next((p for p in bundle.register.people if f"register:{p.id}" == hit.rule), None)
    pseudonym = person.pseudonym if person is not None and person.action == "replace" else ""
    words = pseudonym.split()
    letters = pseudonym if pseudonym.isupper() else "".join(w[0].upper() for w in words)
    number = hit.text.lstrip("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz")
    if letters:
        add_term(
            bundle,
            hit.text,
            action="replace",
            replacement=letters + number,
            category="exhibit mark",
            reason=person.reason if person else "",
        )
        return f"exhibit mark '{hit.text}' will read '{letters + number}'"
    add_term(bundle, hit.text, category="exhibit mark", reason="identifies a protected person")
    return f"exhibit mark '{hit.text}' will be redacted"


def reject_hit(bundle: Bundle, hit: Hit) -> None:
    """Remember the rejection so detection does not ask again."""
    if hit.key not in bundle.register.rejected_hits:
        bundle.register.rejected_hits.append(hit.key)
