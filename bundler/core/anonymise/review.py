"""Detection over a whole bundle, for a person to review (detection suggests; a person decides)."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from bundler.core.anonymise.detect import Hit, detect_documents
from bundler.core.anonymise.register import accept_hit, reject_hit
from bundler.core.anonymise.schedule import ScheduleRow
from bundler.core.anonymise.terms import normalise
from bundler.core.build.pipeline import verify_sources
from bundler.core.convert.chain import SourceJob, prepare_sources
from bundler.core.model import Bundle, Person, Register
from bundler.core.progress import NullProgress, Progress

__all__ = ["detect_bundle", "hit_state", "accept_hits", "reject_hits", "planned_schedule"]


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
    verify_sources(bundle, base, accept_changed=False)
    jobs = [SourceJob(d.id, base / d.path, d.sha256, d.kind) for _, d in bundle.documents()]
    progress.stage("Preparing documents", len(jobs))
    prepared = prepare_sources(jobs, cache_dir, bundle.options.converter, progress, [])
    passwords = {prepared[d.id].pdf: d.password for _, d in bundle.documents()}
    items = [(d.id, d.title, prepared[d.id].pdf) for _, d in bundle.documents()]
    hits = detect_documents(items, bundle.register, password_for=passwords.get, progress=progress)
    rejected = set(bundle.register.rejected_hits)
    return [h for h in hits if include_rejected or h.key not in rejected]


class _Coverage:
    """What the register covers, normalised once (thousands of hits are checked at a time)."""

    def __init__(self, register: Register) -> None:
        self.register = register
        self.terms = {normalise(t.text) for t in register.terms}
        self.variants = {p.id: {normalise(v) for v in p.variants} for p in register.people}
        self.rejected = set(register.rejected_hits)

    def person(self, hit: Hit) -> Person | None:
        source_id = hit.rule.partition(":")[2]
        return next((p for p in self.register.people if p.id == source_id), None)

    def covers(self, hit: Hit) -> bool:
        text = normalise(hit.text)
        if hit.category in ("initials", "exhibit-mark"):  # suggestions: covered once in the register
            return text in self.variants.get(hit.rule.partition(":")[2], set()) or text in self.terms
        if hit.rule.startswith("pattern:"):
            return text in self.terms
        return True  # a register hit is covered by the entry that found it

    def state(self, hit: Hit) -> str:
        if hit.key in self.rejected:
            return "rejected"
        return "accepted" if self.covers(hit) else "pending"


def hit_state(register: Register, hit: Hit) -> str:
    """'rejected', 'accepted' (the register covers it) or 'pending'."""
    return _Coverage(register).state(hit)


def accept_hits(bundle: Bundle, hits: Iterable[Hit]) -> None:
    """Make the register cover each hit: a pattern becomes a redacted term, initials a variant."""
    register, coverage = bundle.register, _Coverage(bundle.register)
    for hit in hits:
        if hit.key in register.rejected_hits:
            register.rejected_hits.remove(hit.key)
        if coverage.covers(hit):
            continue
        accept_hit(bundle, hit)  # the same rules as 'bundler detect --accept'
        coverage.terms.add(normalise(hit.text))
        person = coverage.person(hit)
        if person is not None:
            coverage.variants[person.id].add(normalise(hit.text))


def reject_hits(bundle: Bundle, hits: Iterable[Hit]) -> None:
    """Remember the rejection so the next detection run shows it as rejected."""
    for hit in hits:
        reject_hit(bundle, hit)


def _action(hit: Hit) -> str:
    replacement = hit.suggestion.removeprefix("replace with ") if hit.suggestion.startswith("replace") else ""
    return f"replaced with '{replacement}'" if replacement else "redacted"


def planned_schedule(bundle: Bundle, hits: Iterable[Hit]) -> list[ScheduleRow]:
    """What the schedule of redactions will list, from accepted hits and boxes (source pages)."""
    coverage = _Coverage(bundle.register)
    tabs = {d.id: (f"{s.letter}{n}", d.title) for s in bundle.sections for n, d in enumerate(s.documents, 1)}
    rows = [
        ScheduleRow(*tabs[h.document_id], f"document page {h.page}", h.category, _action(h))
        for h in hits
        if h.document_id in tabs and coverage.state(h) == "accepted"
    ]
    rows += [
        ScheduleRow(*tabs[b.document_id], f"document page {b.page}", "manual box", "redacted", b.reason)
        for b in bundle.register.boxes
        if b.document_id in tabs
    ]
    return rows
