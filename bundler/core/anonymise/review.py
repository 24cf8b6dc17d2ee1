"""Detection over a whole bundle, for a person to review (detection suggests; a person decides)."""

from __future__ import annotations

from pathlib import Path

from bundler.core.anonymise.detect import Hit, detect_documents
from bundler.core.build import verify_sources
from bundler.core.convert import SourceJob, prepare_sources
from bundler.core.model import Bundle
from bundler.core.progress import NullProgress, Progress

__all__ = ["detect_bundle"]


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
