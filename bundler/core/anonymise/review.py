"""Detection over a whole bundle, for a person to review (detection suggests; a person decides)."""

from __future__ import annotations

import copy
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from bundler.core.anonymise.accept_people import covering_person
from bundler.core.anonymise.detect import PERSON_RULE, Hit
from bundler.core.anonymise.detect_pool import detect_documents
from bundler.core.anonymise.register import SUGGESTED_REASON, accept_hit, reject_hit
from bundler.core.anonymise.schedule import REDACTED_LABEL, ScheduleRow, replacement_action
from bundler.core.anonymise.terms import Target, normalise, targets_from_register
from bundler.core.build.pipeline import verify_sources
from bundler.core.convert.chain import SourceJob, prepare_sources, proven_sound
from bundler.core.fsutil import KnownHashes
from bundler.core.model import Bundle, Person, Register, Term
from bundler.core.progress import NullProgress, Progress

__all__ = [
    "detect_bundle",
    "hit_state",
    "hit_states",
    "STILL_REDACTED",
    "accept_hits",
    "reject_hits",
    "planned_schedule",
    "AcceptPreview",
    "preview_accept",
    "preview_accept_all",
]


def detect_bundle(
    project: Path,
    bundle: Bundle,
    cache_dir: Path,
    progress: Progress | None = None,
    *,
    include_rejected: bool = False,
) -> list[Hit]:
    """Every hit in every document (DOCX via its converted PDF), minus those already rejected."""
    progress = progress or NullProgress()
    base = project.parent
    hashes = KnownHashes(cache_dir)
    verify_sources(bundle, base, accept_changed=False, hashes=hashes)
    hashes.save()
    jobs = [SourceJob(d.id, base / d.path, d.sha256, d.kind) for _, d in bundle.documents()]
    # A PDF not yet proven sound is proven where detection reads it, in its workers
    unproven = {j.doc_id: j for j in jobs if j.kind == "pdf" and not proven_sound(j, cache_dir)}
    progress.stage("Preparing documents", len(jobs) - len(unproven), "document")
    prepared = prepare_sources(
        [j for j in jobs if j.doc_id not in unproven], cache_dir, bundle.options.converter, progress, []
    )
    pdfs = {doc_id: p.pdf for doc_id, p in prepared.items()} | {doc_id: j.path for doc_id, j in unproven.items()}
    passwords = {pdfs[d.id]: d.password for _, d in bundle.documents()}
    items = [(d.id, d.title, pdfs[d.id]) for _, d in bundle.documents()]
    hits = detect_documents(
        items, bundle.register, password_for=passwords.get, progress=progress, cache_dir=cache_dir, unproven=unproven
    )
    rejected = set(bundle.register.rejected_hits)
    return [h for h in hits if include_rejected or h.key not in rejected]


class _Coverage:
    """What the register covers, normalised once (thousands of hits are checked at a time)."""

    def __init__(self, register: Register) -> None:
        self.register = register
        self.terms = {normalise(t.text) for t in register.terms}
        self.variants = {p.id: {normalise(v) for v in p.variants} for p in register.people}
        self.rejected = set(register.rejected_hits)
        self._people: list[Target] | None = None  # the register's person forms, made when needed

    def person(self, hit: Hit) -> Person | None:
        if hit.rule == PERSON_RULE:
            return self.suggested(hit)
        source_id = hit.rule.partition(":")[2]
        return next((p for p in self.register.people if p.id == source_id), None)

    def suggested(self, hit: Hit) -> Person | None:
        """The registered person covering a suggested name, if any."""
        if self._people is None:
            self._people = [t for t in targets_from_register(self.register) if t.category == "person"]
        return covering_person(self.register, hit.text, self._people)

    def covers(self, hit: Hit) -> bool:
        text = normalise(hit.text)
        if hit.category in ("initials", "exhibit-mark"):  # suggestions: covered once in the register
            return text in self.variants.get(hit.rule.partition(":")[2], set()) or text in self.terms
        if hit.rule == PERSON_RULE:
            return self.suggested(hit) is not None
        if hit.rule.startswith("pattern:"):
            return text in self.terms
        return True  # a register hit is covered by the entry that found it

    def state(self, hit: Hit) -> str:
        if hit.key in self.rejected:
            return STILL_REDACTED if self.covers(hit) else "rejected"
        return "accepted" if self.covers(hit) else "pending"


STILL_REDACTED = "rejected but redacted"  # rejected, yet the same words are protected elsewhere


def hit_state(register: Register, hit: Hit) -> str:
    """'accepted' (the register covers it), 'pending', 'rejected' (left as it is in the bundle),
    or :data:`STILL_REDACTED`: rejected, but the register protects the same words at a place
    the user did not reject (a person's own name, or an identifier accepted elsewhere), so
    the build still redacts them here: the gate searches words, not places."""
    return _Coverage(register).state(hit)


def hit_states(register: Register, hits: Iterable[Hit]) -> list[str]:
    """:func:`hit_state` of each hit, the register read once (a run can hold thousands)."""
    coverage = _Coverage(register)
    return [coverage.state(h) for h in hits]


def _longest_names_first(hits: Iterable[Hit]) -> list[Hit]:
    # "Amina Yusuf" before "Yusuf": the surname alone is then covered, not a second person.
    return sorted(hits, key=lambda h: -len(h.text) if h.rule == PERSON_RULE else 0)


def accept_hits(bundle: Bundle, hits: Iterable[Hit], *, overturn: bool = False) -> None:
    """Make the register cover each hit: a pattern becomes a redacted term, initials a variant,
    a suggested person a new person with a cipher.

    A hit the user rejected stays rejected unless ``overturn`` (the user accepted that one
    hit itself): selecting everything and accepting never undoes earlier decisions.
    """
    register, coverage = bundle.register, _Coverage(bundle.register)
    for hit in _longest_names_first(hits):
        if hit.key in register.rejected_hits:
            if not overturn:
                continue
            register.rejected_hits.remove(hit.key)
        if coverage.covers(hit):
            continue
        accept_hit(bundle, hit)  # the same rules as 'bundler detect --accept'
        if hit.rule == PERSON_RULE:
            coverage = _Coverage(register)  # a new person: every form of the name is new
            continue
        coverage.terms.add(normalise(hit.text))
        person = coverage.person(hit)
        if person is not None:
            coverage.variants[person.id].add(normalise(hit.text))


@dataclass(frozen=True)
class AcceptPreview:
    """What accepting some hits would do, to show before the user confirms."""

    places: int  # hits (document, page, place) that would become covered
    documents: int  # the documents those places are in
    entries: int  # register entries (people, terms) that would be added


def preview_accept(bundle: Bundle, hits: list[Hit], chosen: Iterable[Hit]) -> AcceptPreview:
    """Accept ``chosen`` on a copy of the register and count the ``hits`` that become covered.

    Only the copy changes; ``bundle`` is left as it was.
    """
    before = _Coverage(bundle.register)
    trial = copy.copy(bundle)
    trial.register = copy.deepcopy(bundle.register)
    accept_hits(trial, chosen)
    after = _Coverage(trial.register)
    places = [h for h in hits if before.state(h) != "accepted" and after.state(h) == "accepted"]
    added = len(trial.register.people) + len(trial.register.terms)
    entries = added - len(bundle.register.people) - len(bundle.register.terms)
    return AcceptPreview(len(places), len({h.document_id for h in places}), entries)


def preview_accept_all(
    bundle: Bundle, hits: list[Hit], *, rule: str | None = None, category: str | None = None
) -> AcceptPreview:
    """What "accept all of this rule (or kind)" would touch, before it is accepted.

    ``rule`` is a hit's rule ("pattern:postcode", "suggest:person"); ``category`` a kind
    ("address", "person"). Rejected hits of that rule are not counted as chosen.
    """
    coverage = _Coverage(bundle.register)
    chosen = [
        h
        for h in hits
        if (rule is None or h.rule == rule)
        and (category is None or h.category == category)
        and coverage.state(h) == "pending"
    ]
    return preview_accept(bundle, hits, chosen)


def reject_hits(bundle: Bundle, hits: Iterable[Hit], everything: Iterable[Hit] = ()) -> None:
    """Remember each rejection, and take back what accepting it added to the register.

    ``everything`` is the whole detection run. An entry that accepting a hit made (a
    detected identifier, initials, an exhibit mark, a suggested person) is withdrawn once
    every place it covers in the run is rejected, so those places are left as they are in
    the bundle. While one place is still accepted the entry stays, and the rejected places
    show as :data:`STILL_REDACTED`.
    """
    rejected = list(hits)
    for hit in rejected:
        reject_hit(bundle, hit)
    run = list(everything)
    if run:
        _withdraw(bundle.register, rejected, run)


def _withdraw(register: Register, rejected: list[Hit], run: list[Hit]) -> None:
    coverage = _Coverage(register)
    kept = [h for h in run if h.key not in coverage.rejected]
    wanted = {normalise(h.text) for h in kept}
    for hit in rejected:
        text = normalise(hit.text)
        if hit.rule == PERSON_RULE:
            _withdraw_person(register, coverage, hit, kept)
        elif text not in wanted and hit.category == "initials":
            for person in register.people:
                if hit.rule == f"register:{person.id}":
                    person.variants = [v for v in person.variants if normalise(v) != text]
        elif text not in wanted and (hit.rule.startswith(("pattern:", "register:")) or hit.category == "exhibit-mark"):
            # the detected term, whether this run found the place by its pattern or by the register entry
            register.terms = [t for t in register.terms if normalise(t.text) != text or not _from_detection(t)]


def _from_detection(term: Term) -> bool:
    """A term that accepting a hit made (never one the user typed into the register)."""
    return term.reason.startswith("found by ") or term.category == "exhibit mark"


def _withdraw_person(register: Register, coverage: _Coverage, hit: Hit, kept: list[Hit]) -> None:
    person = coverage.suggested(hit)
    if person is None or person.reason != SUGGESTED_REASON:
        return  # a person the user registered stays: rejecting one place does not unprotect them
    if any(coverage.person(h) is person for h in kept if h.rule in (PERSON_RULE, f"register:{person.id}")):
        return
    register.people = [p for p in register.people if p is not person]


def _forms(register: Register) -> dict[str, Target]:
    """Each register form (normalised) and its target: the label its box will carry in the bundle."""
    return {normalise(t.text): t for t in targets_from_register(register)}


def _row(hit: Hit, tab: tuple[str, str], coverage: _Coverage, forms: dict[str, Target]) -> ScheduleRow:
    """The row the build's schedule will give this place (document pages until the bundle is built)."""
    target = forms.get(normalise(hit.text))
    person = coverage.person(hit)
    if target is not None:
        label, category, reason = target.label, target.category, target.reason
    elif person is not None:
        label = person.pseudonym if person.action == "replace" else REDACTED_LABEL
        category, reason = "person", person.reason
    else:
        label, category, reason = REDACTED_LABEL, hit.category, ""
    return ScheduleRow(*tab, f"document page {hit.page}", category, replacement_action(label), reason)


def planned_schedule(bundle: Bundle, hits: Iterable[Hit]) -> list[ScheduleRow]:
    """What the schedule of redactions will list, from accepted hits and boxes (source pages)."""
    coverage, forms = _Coverage(bundle.register), _forms(bundle.register)
    tabs = {d.id: (f"{s.letter}{n}", d.title) for s in bundle.sections for n, d in enumerate(s.documents, 1)}
    rows = [
        _row(h, tabs[h.document_id], coverage, forms)
        for h in hits
        if h.document_id in tabs and coverage.state(h) in ("accepted", STILL_REDACTED)
    ]
    rows += [
        ScheduleRow(
            *tabs[b.document_id], f"document page {b.page}", "manual box", replacement_action(REDACTED_LABEL), b.reason
        )
        for b in bundle.register.boxes
        if b.document_id in tabs
    ]
    return rows
