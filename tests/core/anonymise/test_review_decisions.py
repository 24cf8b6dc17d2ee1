"""Decisions per hit are honoured: rejecting takes back what accepting added; accept-all never
re-accepts a rejection; the built bundle, read back by poppler, shows exactly the accepted places
redacted."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

from reportlab.pdfgen.canvas import Canvas

from bundler.cli.main import main
from bundler.core.adding import add_document
from bundler.core.anonymise.detect import Hit, detect_text
from bundler.core.anonymise.register import add_person
from bundler.core.anonymise.review import (
    STILL_REDACTED,
    accept_hits,
    detect_bundle,
    hit_state,
    reject_hits,
)
from bundler.core.anonymise.terms import targets_from_register
from bundler.core.project import load_project, save_project
from tests.conftest import claim_bundle, require

TEXT = "Fatima Khanum of SW1A 1AA wrote from EC1A 1BB; her office is at N1 9GU and again SW1A 1AA."


def _postcodes(bundle) -> list[Hit]:
    hits = detect_text("doc1", "Letter", [TEXT], targets_from_register(bundle.register))
    return [h for h in hits if h.rule.startswith("pattern:postcode")]


def _bundle():
    bundle = claim_bundle()
    add_person(bundle, "Fatima Khanum", "Aisha")
    return bundle


def test_rejecting_after_accept_all_takes_the_term_back() -> None:
    bundle = _bundle()
    hits = _postcodes(bundle)
    by_text = {h.text: h for h in hits}
    assert set(by_text) == {"SW1A 1AA", "EC1A 1BB", "N1 9GU"}
    accept_hits(bundle, hits)
    reject_hits(bundle, [by_text["EC1A 1BB"], by_text["N1 9GU"]], hits)
    assert sorted(t.text for t in bundle.register.terms) == ["SW1A 1AA"]
    assert hit_state(bundle.register, by_text["EC1A 1BB"]) == "rejected"
    assert hit_state(bundle.register, by_text["SW1A 1AA"]) == "accepted"


def test_one_place_of_the_same_words_rejected_is_shown_as_still_redacted() -> None:
    bundle = _bundle()
    hits = _postcodes(bundle)
    first, second = [h for h in hits if h.text == "SW1A 1AA"]
    accept_hits(bundle, hits)
    reject_hits(bundle, [first], hits)
    assert hit_state(bundle.register, first) == STILL_REDACTED  # never shown as simply "rejected"
    reject_hits(bundle, [second], hits)
    assert "SW1A 1AA" not in [t.text for t in bundle.register.terms]
    assert {hit_state(bundle.register, h) for h in (first, second)} == {"rejected"}


def test_accept_all_after_rejects_never_reaccepts_them() -> None:
    bundle = _bundle()
    hits = _postcodes(bundle)
    rejected = next(h for h in hits if h.text == "N1 9GU")
    reject_hits(bundle, [rejected], hits)
    accept_hits(bundle, hits)  # select all, accept
    assert rejected.key in bundle.register.rejected_hits
    assert "N1 9GU" not in [t.text for t in bundle.register.terms]
    accept_hits(bundle, [rejected], overturn=True)  # the user accepts that one place itself
    assert hit_state(bundle.register, rejected) == "accepted"


def test_rejecting_a_registered_persons_name_does_not_unprotect_them() -> None:
    bundle = _bundle()
    hits = detect_text("doc1", "Letter", [TEXT], targets_from_register(bundle.register))
    name = next(h for h in hits if h.category == "person")
    reject_hits(bundle, [name], hits)
    assert [p.name for p in bundle.register.people] == ["Fatima Khanum"]
    assert hit_state(bundle.register, name) == STILL_REDACTED


def _letter(path: Path) -> Path:
    pdf = Canvas(str(path))
    pdf.setFont("Helvetica", 12)
    for n, line in enumerate(["Visit to SW1A 1AA on Monday.", "The office is at EC1A 1BB.", "The depot is at N1 9GU."]):
        pdf.drawString(72, 760 - 30 * n, line)
    pdf.showPage()
    pdf.save()
    return path


def test_the_built_bundle_redacts_exactly_the_accepted_places(tmp_path: Path) -> None:
    require(shutil.which("pdftotext") is not None, "pdftotext (poppler-utils)")
    bundle = claim_bundle()
    add_document(bundle, tmp_path, _letter(tmp_path / "letter.pdf"), "C", title="Letter")
    project = tmp_path / "case.bundle.json"
    save_project(bundle, project)
    hits = [h for h in detect_bundle(project, bundle, tmp_path / "cache") if h.rule.startswith("pattern:")]
    accept_hits(bundle, hits)  # accept all
    reject_hits(bundle, [h for h in hits if h.text in ("EC1A 1BB", "N1 9GU")], hits)
    save_project(bundle, project)
    out = tmp_path / "bundle.pdf"
    assert main(["build", str(project), "-o", str(out), "--cache-dir", str(tmp_path / "cache")]) == 0
    text = subprocess.run(["pdftotext", str(out), "-"], capture_output=True, text=True, check=True).stdout
    assert "SW1A 1AA" not in text and "[REDACTED]" in text
    assert "EC1A 1BB" in text and "N1 9GU" in text  # the rejected places are left as they are
    reloaded = load_project(project)
    assert len(reloaded.register.rejected_hits) == 2  # decisions live in the project file


def test_the_cli_review_is_honoured_by_the_build(tmp_path: Path, capsys) -> None:
    require(shutil.which("pdftotext") is not None, "pdftotext (poppler-utils)")
    bundle = claim_bundle()
    add_document(bundle, tmp_path, _letter(tmp_path / "letter.pdf"), "C", title="Letter")
    project, cache = tmp_path / "case.bundle.json", str(tmp_path / "cache")
    save_project(bundle, project)
    listed = tmp_path / "hits.json"
    assert main(["detect", str(project), "--cache-dir", cache, "--accept-all", "pattern:postcode"]) == 0
    assert main(["detect", str(project), "--cache-dir", cache, "--json", str(listed)]) == 0
    hits = {h["text"]: h["key"] for h in json.loads(listed.read_text())}
    keys = [hits["EC1A 1BB"], hits["N1 9GU"]]
    assert main(["detect", str(project), "--cache-dir", cache, "--reject", keys[0], "--reject", keys[1]]) == 0
    capsys.readouterr()
    assert main(["detect", str(project), "--cache-dir", cache, "--accept-all", "pattern:postcode"]) == 0
    listing = capsys.readouterr().out
    assert f"{keys[0][:10]}  rejected " in listing  # accept-all again: the rejection stands
    assert sorted(t.text for t in load_project(project).register.terms) == ["SW1A 1AA"]
    out = tmp_path / "bundle.pdf"
    assert main(["build", str(project), "-o", str(out), "--cache-dir", cache]) == 0
    text = subprocess.run(["pdftotext", str(out), "-"], capture_output=True, text=True, check=True).stdout
    assert "SW1A 1AA" not in text and "EC1A 1BB" in text and "N1 9GU" in text
