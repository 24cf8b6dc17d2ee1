"""The anonymise panel, driven through its buttons and forms: what it asks the main window to do.

Hits come from the real detector (``detect_text``) on sample text, not hand-made.
"""

from __future__ import annotations

import os

import pytest
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import (
    QItemSelectionModel,
    Qt,
)  # noqa: E402
from PySide6.QtWidgets import QDialogButtonBox, QPushButton  # noqa: E402

from bundler.core.anonymise.detect import Hit, detect_text  # noqa: E402
from bundler.core.anonymise.schedule import ScheduleRow  # noqa: E402
from bundler.core.anonymise.terms import targets_from_register  # noqa: E402
from bundler.core.model import Person, RedactionBox, Register, Term  # noqa: E402
from bundler.gui.anonymise.dialogs import PersonDialog, TermDialog  # noqa: E402
from bundler.gui.anonymise.panel import AnonymisePanel  # noqa: E402

PAGES = [
    "Jane Doe wrote to the Home Office. Call 07700 900123 or email the caseworker.",
    "Jane lives at 14 Acacia Avenue. NHS number 943 476 5919. Her sister phoned 07700 900456.",
]


@pytest.fixture
def register() -> Register:
    return Register(
        people=[Person("Jane Doe", "AB", ["Jane"])],
        terms=[Term("14 Acacia Avenue", "address", reason="home address")],
        boxes=[RedactionBox("doc1", 2, (72.0, 100.0, 300.0, 140.0), "signature")],
    )


@pytest.fixture
def hits(register: Register) -> list[Hit]:
    found = detect_text("doc1", "Witness statement", PAGES, targets_from_register(register))
    assert {h.rule.split(":")[0] for h in found} == {
        "register",
        "pattern",
    }  # the sample exercises both
    return found


@pytest.fixture
def panel(qtbot: QtBot, register: Register, hits: list[Hit]) -> AnonymisePanel:
    widget = AnonymisePanel()
    qtbot.addWidget(widget)
    widget.resize(900, 600)
    widget.set_register(register)
    widget.set_hits(hits)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def _ok(dialog: PersonDialog | TermDialog) -> QPushButton:
    return dialog.buttons.button(QDialogButtonBox.StandardButton.Ok)


def _select(panel: AnonymisePanel, rows: list[int]) -> None:
    """Select rows of the hits table (as shown, after filtering), the first made current."""
    table, flags = panel.hits_tab.table, QItemSelectionModel.SelectionFlag
    table.selectionModel().clearSelection()
    for n, row in enumerate(rows):
        how = flags.Select | flags.Rows | (flags.Current if n == 0 else flags.NoUpdate)
        table.selectionModel().setCurrentIndex(table.model().index(row, 0), how)


def _shown_row(panel: AnonymisePanel, hit: Hit) -> int:
    proxy = panel.hits_tab.proxy
    return next(row for row in range(proxy.rowCount()) if proxy.hit(row) == hit)


# --- the register -------------------------------------------------------------------------


def test_add_person_form_sends_its_values(qtbot: QtBot, panel: AnonymisePanel) -> None:
    qtbot.mouseClick(panel.register_tab.add_person, Qt.MouseButton.LeftButton)
    dialog = panel.findChild(PersonDialog)
    assert dialog is not None and dialog.isVisible()
    qtbot.keyClicks(dialog.name, "Mohammed Al-Rashid")
    assert not _ok(dialog).isEnabled()  # a replacement needs a pseudonym
    qtbot.keyClicks(dialog.pseudonym, "CD")
    dialog.variants.setPlainText("Mohammed\n  Al-Rashid \n\nMr Al-Rashid")
    with qtbot.waitSignal(panel.addPersonRequested) as sent:
        qtbot.mouseClick(_ok(dialog), Qt.MouseButton.LeftButton)
    assert sent.args == [
        "Mohammed Al-Rashid",
        "CD",
        ["Mohammed", "Al-Rashid", "Mr Al-Rashid"],
        "replace",
    ]


def test_add_person_to_redact_needs_no_pseudonym(qtbot: QtBot, panel: AnonymisePanel) -> None:
    dialog = panel.register_tab.ask_person()
    qtbot.keyClicks(dialog.name, "Sam Smith")
    dialog.action.setCurrentIndex(dialog.action.findData("redact"))
    assert _ok(dialog).isEnabled()
    with qtbot.waitSignal(panel.addPersonRequested) as sent:
        qtbot.mouseClick(_ok(dialog), Qt.MouseButton.LeftButton)
    assert sent.args == ["Sam Smith", "", [], "redact"]


def test_add_term_form_sends_its_values(qtbot: QtBot, panel: AnonymisePanel) -> None:
    qtbot.mouseClick(panel.register_tab.add_term, Qt.MouseButton.LeftButton)
    dialog = panel.findChild(TermDialog)
    assert dialog is not None
    qtbot.keyClicks(dialog.text, "HO ref B1234567")
    dialog.category.setCurrentText("reference")
    dialog.action.setCurrentIndex(dialog.action.findData("replace"))
    assert not _ok(dialog).isEnabled()
    qtbot.keyClicks(dialog.replacement, "[Home Office reference]")
    qtbot.keyClicks(dialog.reason, "identifies the claimant")
    with qtbot.waitSignal(panel.addTermRequested) as sent:
        qtbot.mouseClick(_ok(dialog), Qt.MouseButton.LeftButton)
    assert sent.args == [
        "HO ref B1234567",
        "replace",
        "[Home Office reference]",
        "reference",
        "identifies the claimant",
    ]


def test_cancelled_form_sends_nothing(qtbot: QtBot, panel: AnonymisePanel) -> None:
    sent: list[object] = []
    panel.addPersonRequested.connect(lambda *args: sent.append(args))
    dialog = panel.register_tab.ask_person()
    qtbot.keyClicks(dialog.name, "Jo Bloggs")
    dialog.reject()
    assert sent == []


def test_register_table_and_remove(qtbot: QtBot, panel: AnonymisePanel, register: Register) -> None:
    model = panel.register_tab.model
    cells = [[model.index(r, c).data() for c in range(model.columnCount())] for r in range(model.rowCount())]
    assert cells[0][:5] == ["Person", "Jane Doe", "Jane", "replace", "AB"]
    assert cells[1][:6] == ["Term", "14 Acacia Avenue", "", "redact", "[REDACTED]", "address"]
    assert cells[2][:2] == ["Box", "Page 2"] and cells[2][6] == "signature"
    assert not panel.register_tab.remove.isEnabled()
    panel.register_tab.table.selectRow(1)
    with qtbot.waitSignal(panel.removeEntryRequested) as removed:
        qtbot.mouseClick(panel.register_tab.remove, Qt.MouseButton.LeftButton)
    assert removed.args == [register.terms[0].id]


# --- hits -----------------------------------------------------------------------------------


def test_set_hits_fills_the_table_and_kinds(panel: AnonymisePanel, hits: list[Hit], register: Register) -> None:
    proxy, kinds = panel.hits_tab.proxy, panel.hits_tab.kind
    assert proxy.rowCount() == len(hits)
    assert sorted(proxy.hit(r).key for r in range(proxy.rowCount())) == sorted(h.key for h in hits)
    labels = [kinds.itemText(i) for i in range(kinds.count())]
    assert labels[0] == "All kinds" and "Register: Jane Doe" in labels and "Pattern: uk phone" in labels
    first = next(r for r in range(proxy.rowCount()) if proxy.hit(r).text == "Jane Doe")
    assert [proxy.index(first, c).data() for c in range(7)] == [
        "Accepted",
        "Witness statement",
        1,
        "Jane Doe",
        proxy.hit(first).context,
        "Register: Jane Doe",
        "replace with AB",
    ]
    assert panel.hits_tab.summary.text() == f"{len(hits)} hits, 0 rejected"


def test_accept_and_reject_selected_hits(qtbot: QtBot, panel: AnonymisePanel, hits: list[Hit]) -> None:
    phone = next(h for h in hits if h.rule == "pattern:uk-phone")
    nhs = next(h for h in hits if h.rule == "pattern:nhs-number")
    _select(panel, [_shown_row(panel, phone)])
    with qtbot.waitSignal(panel.hitsAccepted) as accepted:
        qtbot.mouseClick(panel.hits_tab.accept, Qt.MouseButton.LeftButton)
    assert accepted.args == [[phone]]
    _select(panel, [_shown_row(panel, nhs), _shown_row(panel, phone)])
    with qtbot.waitSignal(panel.hitsRejected) as rejected:
        qtbot.mouseClick(panel.hits_tab.reject, Qt.MouseButton.LeftButton)
    assert sorted(rejected.args[0], key=lambda h: h.key) == sorted([phone, nhs], key=lambda h: h.key)


def test_all_of_a_kind(qtbot: QtBot, panel: AnonymisePanel, hits: list[Hit]) -> None:
    phone = next(h for h in hits if h.rule == "pattern:uk-phone")
    phones = [h for h in hits if h.rule == "pattern:uk-phone"]
    person = [h for h in hits if h.rule == hits[0].rule]
    assert len(phones) == 2 and len(person) == 2 and hits[0].text == "Jane Doe"
    _select(panel, [_shown_row(panel, phone)])
    with qtbot.waitSignal(panel.hitsAccepted) as accepted:
        qtbot.mouseClick(panel.hits_tab.accept_kind, Qt.MouseButton.LeftButton)
    assert accepted.args == [phones]
    _select(panel, [_shown_row(panel, hits[0])])
    with qtbot.waitSignal(panel.hitsRejected) as rejected:
        qtbot.mouseClick(panel.hits_tab.reject_kind, Qt.MouseButton.LeftButton)
    assert rejected.args == [person]


def test_filter_by_kind_and_select_hit(qtbot: QtBot, panel: AnonymisePanel, hits: list[Hit]) -> None:
    tab = panel.hits_tab
    tab.kind.setCurrentIndex(tab.kind.findData("pattern:nhs-number"))
    assert tab.proxy.rowCount() == 1
    nhs = tab.proxy.hit(0)
    assert nhs.text == "943 476 5919" and nhs.page == 2
    cell = tab.table.visualRect(tab.proxy.index(0, 2)).center()
    with qtbot.waitSignal(panel.hitSelected) as selected:
        qtbot.mouseClick(tab.table.viewport(), Qt.MouseButton.LeftButton, pos=cell)
    assert selected.args == [nhs]
    tab.kind.setCurrentIndex(0)
    assert tab.proxy.rowCount() == len(hits)


def test_rejected_hits_are_marked(panel: AnonymisePanel, hits: list[Hit], register: Register) -> None:
    register.rejected_hits.append(hits[1].key)
    panel.set_register(register)
    proxy = panel.hits_tab.proxy
    status = {proxy.hit(r).key: proxy.index(r, 0).data() for r in range(proxy.rowCount())}
    assert status[hits[1].key] in ("Rejected", "Rejected, still redacted")
    assert status[hits[0].key] in ("Accepted", "To decide")
    assert proxy.headerData(0, Qt.Orientation.Horizontal) == "Status"
    assert panel.hits_tab.summary.text() == f"{len(hits)} hits, 1 rejected"


def test_run_detection_and_busy(qtbot: QtBot, panel: AnonymisePanel) -> None:
    panel.tabs.setCurrentWidget(panel.hits_tab)
    with qtbot.waitSignal(panel.detectRequested):
        qtbot.mouseClick(panel.hits_tab.run, Qt.MouseButton.LeftButton)
    panel.set_busy(True)
    assert not panel.hits_tab.run.isEnabled() and panel.hits_tab.busy.isVisible()
    panel.set_busy(False)
    assert panel.hits_tab.run.isEnabled() and not panel.hits_tab.busy.isVisible()


def test_box_mode_toggle(qtbot: QtBot, panel: AnonymisePanel) -> None:
    with qtbot.waitSignal(panel.boxModeToggled) as on:
        qtbot.mouseClick(panel.box_mode, Qt.MouseButton.LeftButton)
    assert on.args == [True]
    with qtbot.waitSignal(panel.boxModeToggled) as off:
        qtbot.mouseClick(panel.box_mode, Qt.MouseButton.LeftButton)
    assert off.args == [False]


def test_schedule_is_shown(panel: AnonymisePanel) -> None:
    rows = [
        ScheduleRow("B", "Witness statement", "12", "person", "replaced with 'AB'"),
        ScheduleRow("B", "Witness statement", "12", "person", "replaced with 'AB'"),
        ScheduleRow("B", "Witness statement", "", "author", "document property cleared", cleanup=True),
        ScheduleRow("B", "Witness statement", "13", "manual box", "redacted", "signature"),
    ]
    panel.set_schedule(rows)
    model = panel.schedule
    assert model.rowCount() == 3  # the repeated row once; the clean-up after the redactions
    assert [model.headerData(c, Qt.Orientation.Horizontal) for c in range(7)][:4] == [
        "Section",
        "Tab",
        "Document",
        "Page",
    ]
    assert [model.index(1, c).data() for c in range(7)] == [
        "Redaction",
        "B",
        "Witness statement",
        "13",
        "manual box",
        "redacted",
        "signature",
    ]
    assert model.index(2, 0).data() == "Metadata clean-up"


def test_models_pass_the_model_tester(qtmodeltester: ModelTester, panel: AnonymisePanel) -> None:
    panel.set_schedule([ScheduleRow("A", "Claim form", "1", "person", "replaced with 'AB'")])
    for model in (
        panel.register_tab.model,
        panel.hits_tab.model,
        panel.hits_tab.proxy,
        panel.schedule,
    ):
        qtmodeltester.check(model)


def test_accept_all_of_a_kind_never_overturns_a_rejection(
    qtbot: QtBot, panel: AnonymisePanel, hits: list[Hit], register: Register
) -> None:
    phones = [h for h in hits if h.rule == "pattern:uk-phone"]
    register.rejected_hits.append(phones[1].key)
    panel.set_register(register)
    _select(panel, [_shown_row(panel, phones[0])])
    assert panel.hits_tab.accept_kind.text() == "Accept all 1 of this &kind"  # the count before accepting
    with qtbot.waitSignal(panel.hitsAccepted) as accepted:
        qtbot.mouseClick(panel.hits_tab.accept_kind, Qt.MouseButton.LeftButton)
    assert accepted.args == [[phones[0]]]
