"""Hand-drawn boxes are edited in the register: moved, resized, refused when they make no sense."""

from __future__ import annotations

import pytest

from bundler.core.anonymise.register import add_box, move_box, remove_entry
from bundler.core.errors import ProjectError
from bundler.core.model import Document
from tests.conftest import claim_bundle


def _bundle_with_box():
    bundle = claim_bundle()
    doc = Document(path="letter.pdf", sha256="0" * 64, title="Letter")
    bundle.sections[0].documents.append(doc)
    return bundle, add_box(bundle, doc.id, 2, (10.0, 20.0, 110.0, 60.0))


def test_move_box_changes_only_its_rectangle() -> None:
    bundle, box = _bundle_with_box()
    moved = move_box(bundle, box.id, (30, 40, 200, 90))
    assert moved is box and box.rect == (30.0, 40.0, 200.0, 90.0) and box.page == 2
    assert bundle.register.boxes == [box]


def test_move_box_refuses_an_empty_rectangle_or_an_unknown_box() -> None:
    bundle, box = _bundle_with_box()
    with pytest.raises(ProjectError, match="x0<x1"):
        move_box(bundle, box.id, (50, 40, 50, 90))
    assert box.rect == (10.0, 20.0, 110.0, 60.0)
    remove_entry(bundle, box.id)
    with pytest.raises(ProjectError, match="no redaction box"):
        move_box(bundle, box.id, (30, 40, 200, 90))
