"""The window's actions, menus, toolbars and keyboard shortcuts."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, fields

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QAction, QKeySequence, QUndoStack
from PySide6.QtWidgets import QMainWindow, QMenu, QToolBar, QWidget

from bundler.core.model import Bundle
from bundler.gui.dialogs import show_about
from bundler.gui.icons import icon
from bundler.gui.mainwindow.build import BuildController
from bundler.gui.mainwindow.court import CourtActions, CourtController
from bundler.gui.mainwindow.edit import EditController
from bundler.gui.mainwindow.files import FileController
from bundler.gui.mainwindow.redact_copy import RedactCopyController
from bundler.gui.project.tree import ProjectTree

__all__ = ["Actions", "Controllers", "create_actions"]

Key = QKeySequence.StandardKey


@dataclass
class Actions:
    new: QAction
    open: QAction
    save: QAction
    save_as: QAction
    case_details: QAction
    build: QAction
    build_confidential: QAction
    open_folder: QAction
    quit: QAction
    undo: QAction
    redo: QAction
    add_files: QAction
    add_folder: QAction
    add_section: QAction
    rename: QAction
    remove: QAction
    move_up: QAction
    move_down: QAction
    choose_pages: QAction
    rotate_document: QAction
    split: QAction
    confirm_date: QAction
    export_redacted: QAction
    detect: QAction
    settings: QAction
    about: QAction
    court: CourtActions

    def update_enabled(self, busy: bool, bundle: Bundle, tree: ProjectTree) -> None:
        has_docs = bool(bundle.documents())
        selected = bool(tree.selectionModel().selectedRows())
        for action in (self.build, self.build_confidential, self.detect):
            action.setEnabled(has_docs and not busy)
        for action in (self.remove, self.rename, self.move_up, self.move_down, self.choose_pages):
            action.setEnabled(selected)
        document = bundle.find_document(tree.current_id() or "") is not None
        self.rotate_document.setEnabled(selected and document)
        self.split.setEnabled(selected and document)
        self.confirm_date.setEnabled(any(d.date_is_guess for _, d in bundle.documents()))
        self.export_redacted.setEnabled(selected and document and not busy)
        self.court.update_enabled(busy, has_docs, bundle.served is not None)


@dataclass(frozen=True)
class Controllers:
    """The controllers whose slots the actions trigger."""

    files: FileController
    edits: EditController
    build: BuildController
    court: CourtController
    redact_copy: RedactCopyController


def _action(
    parent: QObject,
    text: str,
    slot: Callable[[], object],
    icon_name: str = "",
    shortcut: QKeySequence | Key | str | None = None,
    tip: str = "",
) -> QAction:
    action = QAction(icon(icon_name), text, parent) if icon_name else QAction(text, parent)
    if shortcut is not None:
        action.setShortcut(QKeySequence(shortcut))
    plain = text.replace("&", "").rstrip("…")
    action.setStatusTip(tip or plain)
    keys = action.shortcut().toString(QKeySequence.SequenceFormat.NativeText)
    action.setToolTip(f"{plain} ({keys})" if keys else plain)
    action.triggered.connect(lambda _checked=False: slot())
    return action


def _tree_only(action: QAction, tree: QWidget) -> QAction:
    """Delete, F2 and Ctrl+arrows act on the tree only when it has focus (not on a hit list)."""
    action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
    tree.addAction(action)
    return action


def create_actions(
    w: QMainWindow, stack: QUndoStack, c: Controllers, tree: ProjectTree, tree_tools: QToolBar
) -> Actions:
    """The window's actions, in its menus and toolbars (``tree_tools`` above the tree)."""
    files, edits, build = c.files, c.edits, c.build
    undo = stack.createUndoAction(w, "&Undo")
    undo.setShortcut(QKeySequence(Key.Undo))
    undo.setIcon(icon("undo"))
    undo.setIconText("Undo")  # the menu says what; the toolbar stays the same width
    redo = stack.createRedoAction(w, "&Redo")
    redo.setShortcuts([QKeySequence(Key.Redo), QKeySequence("Ctrl+Shift+Z")])
    redo.setIcon(icon("redo"))
    redo.setIconText("Redo")
    actions = Actions(
        new=_action(w, "&New from template…", files.new_from_template, "new", Key.New),
        open=_action(w, "&Open…", files.open, "open", Key.Open),
        save=_action(w, "&Save", files.save, "save", Key.Save),
        save_as=_action(w, "Save &as…", files.save_as, "", "Ctrl+Shift+S"),
        case_details=_action(w, "Case &details…", edits.case_details, "rename", "Ctrl+I"),
        build=_action(
            w,
            "&Build bundle",
            build.build,
            "build",
            "Ctrl+B",
            "Build the bundle PDF beside the project file",
        ),
        build_confidential=_action(
            w,
            "Build &confidential bundle",
            lambda: build.build(confidential=True),
            "build-confidential",
            "Ctrl+Shift+B",
            "Build the unredacted bundle",
        ),
        open_folder=_action(w, "Open output &folder", build.open_output_folder, "folder-open"),
        quit=_action(w, "&Quit", w.close, "", Key.Quit),
        undo=undo,
        redo=redo,
        add_files=_action(
            w,
            "Add &files…",
            edits.add_files_dialog,
            "add-file",
            "Ctrl+Shift+A",
            "Add documents to the selected section (or drop them on it)",
        ),
        add_folder=_action(
            w,
            "Add f&older…",
            edits.add_folder_dialog,
            "add-folder",
            None,
            "Add every document in a folder to the selected section",
        ),
        add_section=_action(w, "Add &section", edits.add_section, "add-section", "Ctrl+Shift+N"),
        rename=_tree_only(_action(w, "Re&name", edits.rename, "rename", "F2"), tree),
        remove=_tree_only(_action(w, "Re&move", edits.remove, "remove", Key.Delete), tree),
        move_up=_tree_only(_action(w, "Move &up", lambda: edits.move_selected(-1), "move-up", "Ctrl+Up"), tree),
        choose_pages=_tree_only(_action(w, "&Pages to include…", edits.choose_pages, "preview"), tree),
        rotate_document=_tree_only(
            _action(
                w,
                "Rotate &document…",
                edits.rotate_document,
                "",
                None,
                "Turn every page of the document (the preview's buttons turn one page)",
            ),
            tree,
        ),
        split=_tree_only(
            _action(
                w,
                "Sp&lit at pages…",
                edits.split_document,
                "",
                None,
                "Make several documents of this one (e.g. a scan of many letters), each with its own title and date",
            ),
            tree,
        ),
        confirm_date=_tree_only(
            _action(
                w,
                "&Confirm date",
                edits.confirm_date,
                "",
                "Ctrl+D",
                "Keep the date the app guessed (from the file name or the PDF's properties) as the right one",
            ),
            tree,
        ),
        move_down=_tree_only(
            _action(w, "Move do&wn", lambda: edits.move_selected(1), "move-down", "Ctrl+Down"),
            tree,
        ),
        detect=_action(
            w,
            "Find &names and identifiers",
            build.detect,
            "detect",
            "Ctrl+Shift+F",
            "Search every document for the register's names and identifier patterns",
        ),
        export_redacted=_action(
            w,
            "Export &redacted copy…",
            c.redact_copy.export_current,
            "",
            None,
            "The selected document alone, redacted as the bundle redacts it (PDF, or DOCX for Word files)",
        ),
        settings=_action(w, "Se&ttings…", edits.settings, "settings", Key.Preferences),
        about=_action(w, "&About Bundler", lambda: show_about(w), "about"),
        court=c.court.create_actions(_action),
    )
    _menus(w, c, actions)
    _toolbars(w, tree_tools, actions)
    return actions


def _menus(w: QMainWindow, c: Controllers, a: Actions) -> None:
    bar = w.menuBar()
    file_menu = bar.addMenu("&File")
    file_menu.addActions([a.new, a.open])
    recent = QMenu("Open &recent", file_menu)
    recent.aboutToShow.connect(lambda: c.files.fill_recent_menu(recent))
    file_menu.addMenu(recent)
    file_groups: list[list[QAction]] = [
        [a.save, a.save_as],
        [a.case_details],
        [a.build, a.build_confidential, a.open_folder],
        [a.export_redacted],
        [a.quit],
    ]
    for group in file_groups:
        file_menu.addSeparator()
        file_menu.addActions(group)
    edit_menu = bar.addMenu("&Edit")
    edit_groups: list[list[QAction]] = [
        [a.undo, a.redo],
        [a.add_files, a.add_folder, a.add_section],
        [a.rename, a.remove, a.move_up, a.move_down, a.choose_pages, a.rotate_document, a.split, a.confirm_date],
        [a.detect],
        [a.settings],
    ]
    for group in edit_groups:
        edit_menu.addActions(group)
        edit_menu.addSeparator()
    c.court.fill_menu(bar.addMenu("&Court"), a.court)
    bar.addMenu("&Help").addAction(a.about)


def _toolbars(w: QMainWindow, tools: QToolBar, a: Actions) -> None:
    main = QToolBar("Main", w, movable=False)
    main.setObjectName("mainToolbar")
    main.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
    main.addActions([a.new, a.open, a.save])
    main.addSeparator()
    main.addActions([a.undo, a.redo])
    main.addSeparator()
    main.addActions([a.build, a.detect])
    w.addToolBar(main)
    tools.setObjectName("treeToolbar")
    tools.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonIconOnly)
    tools.addActions([a.add_files, a.add_folder, a.add_section])
    tools.addSeparator()
    tools.addActions([a.remove, a.move_up, a.move_down])


def all_actions(actions: Actions) -> list[QAction]:
    found = [getattr(actions, f.name) for f in fields(actions)]
    return [a for a in found if isinstance(a, QAction)] + actions.court.all()
