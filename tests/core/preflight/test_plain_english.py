"""Preflight speaks English (issue 14): no PDF key names, no "(s)", rules titled in words.

Rule ids ("open-action", "link-zoom") stay for --json and scripts; every message and
every heading a person reads is checked twice: in the source (each string a check can
say) and on real bad bundles built by ``test_check``'s fixture.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

from pypdf import PdfWriter
from pypdf.generic import ArrayObject, NameObject

import bundler.core.preflight as preflight_package
from bundler.core.preflight.check import run_preflight
from bundler.core.preflight.findings import RULE_TITLES, Finding
from bundler.core.preflight.project import project_rules
from bundler.core.preflight.rules import RULES
from tests.core.preflight.test_check import Defects, Fit, make_bundle

PDF_KEY = re.compile(r"/[A-Z][A-Za-z]+")  # /Rotate, /XYZ, /PageLabels, /OpenAction ...
SAYERS = {"Verdict", "Finding", "_mismatches"}  # calls whose string arguments a user reads


def _jargon(text: str) -> list[str]:
    found = PDF_KEY.findall(text)
    found += ["(s)"] * ("(s)" in text)
    found += [rule for rule in RULE_TITLES if re.search(rf"(?<![\w-]){re.escape(rule)}(?![\w-])", text) and "-" in rule]
    return found


def _said_strings(tree: ast.AST) -> list[tuple[int, str]]:
    """Every string literal (and f-string part) inside a call that makes a finding, or yielded as text."""
    said: list[tuple[int, str]] = []
    for node in ast.walk(tree):
        is_call = isinstance(node, ast.Call) and getattr(node.func, "id", getattr(node.func, "attr", "")) in SAYERS
        is_text = isinstance(node, ast.Yield) and isinstance(node.value, (ast.JoinedStr, ast.Constant))
        if is_call or is_text:
            for part in ast.walk(node):
                if isinstance(part, ast.Constant) and isinstance(part.value, str):
                    said.append((part.lineno, part.value))
    return said


def test_no_message_in_the_source_uses_pdf_key_names_or_plural_brackets():
    folder = Path(preflight_package.__file__).parent
    bad = []
    for path in sorted(folder.glob("*.py")):
        for line, text in _said_strings(ast.parse(path.read_text("utf-8"))):
            if text not in RULE_TITLES and _jargon(text):  # a Finding's first argument is its id
                bad.append(f"{path.name}:{line}: {text!r}")
    assert not bad, "\n".join(bad)
    assert len([1 for p in folder.glob("*.py") for _ in _said_strings(ast.parse(p.read_text("utf-8")))]) > 60


def test_every_rule_has_a_title_in_words(tmp_path):
    ids = [r.id for r in RULES] + [r.id for r in project_rules(tmp_path / "x.bundle.json", None)]  # type: ignore[arg-type]
    assert not [i for i in ids if i not in RULE_TITLES]
    assert all(not _jargon(title) and title[0].isupper() for title in RULE_TITLES.values())


def _bad_bundle(tmp_path: Path) -> Path:
    """Upside-down page 4, a page with no text, an author, links that change the zoom, opening fitted."""
    path = make_bundle(
        tmp_path,
        Defects(rotation={4: 180}, scanned={6}, author="Jane Smith", link_fit=Fit.fit(), open_zoom=None),
    )
    w = PdfWriter(clone_from=path)
    w._root_object[NameObject("/OpenAction")] = ArrayObject([w.pages[0].indirect_reference, NameObject("/Fit")])
    w.write(path)
    return path


def test_findings_on_a_bad_bundle_read_as_english(tmp_path):
    report = run_preflight(_bad_bundle(tmp_path))
    by_rule: dict[str, list[Finding]] = {}
    for finding in report.findings:
        by_rule.setdefault(finding.rule, []).append(finding)
    assert by_rule["orientation"][0].message == "Page 4 is turned upside down (rotated 180°): check it."
    opened = by_rule["open-action"][0]
    assert opened.status == "fail" and "opens at a zoom other than 100% (fitted to the window)" in opened.message
    assert by_rule["link-zoom"][0].status == "fail" and "changes the reader's zoom" in by_rule["link-zoom"][0].message
    assert "The file's properties name an author (Jane Smith)" in by_rule["metadata-author"][0].message
    assert not [f"{f.rule}: {f.message}" for f in report.findings if _jargon(f.message)]

    text = report.format_text()
    for rule_id in ("open-action", "metadata-author", "link-zoom", "orientation"):
        assert rule_id not in text  # the ids are for --json; people read the titles
    assert "How the bundle opens" in text and "Upside-down pages" in text and "(page 4)" in text
    assert {f["rule"] for f in report.to_dict()["findings"]} >= {"open-action", "link-zoom"}  # ids kept for machines
