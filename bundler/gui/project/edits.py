"""The project model's write side: each method applies one pure core edit and tells views.

Only undo commands call these, so every change to the tree is undoable. Moves use
Qt's move signals (not a reset), so selection and expansion survive.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

from PySide6.QtCore import QModelIndex

from bundler.core import edits
from bundler.core.build.planned import tree_page_labels, tree_page_ranges
from bundler.core.edits import move_document as core_move_document
from bundler.core.edits import remove_document as core_remove_document
from bundler.core.edits import rotate_page as core_rotate_page
from bundler.core.model import Bundle, Document, Section, Served

__all__ = ["ProjectEdits", "COLUMNS", "TITLE", "DATE", "PAGES", "INCLUDE", "SOURCE"]

COLUMNS = ("Title", "Date", "Pages", "Include", "Source")
TITLE, DATE, PAGES, INCLUDE, SOURCE = range(len(COLUMNS))


if TYPE_CHECKING:
    from PySide6.QtCore import QAbstractItemModel, SignalInstance

    class _Model(QAbstractItemModel):
        pagesChanged: SignalInstance
else:
    _Model = object  # the real base comes from ProjectModel


class ProjectEdits(_Model):
    """Mixed into ``ProjectModel`` (a ``QAbstractItemModel``)."""

    def _init_edits(self, bundle: Bundle) -> None:
        self.bundle = bundle
        self.ranges: dict[str, tuple[int, int] | None] = {}
        self.labels: dict[str, str | None] = {}
        self._totals: dict[str, int | None] = {}
        self._keys: dict[str, int] = {}  # section id → the internal id its documents' indexes carry
        self._served_ids: set[str] | None = None  # documents in the served bundle; None: not frozen
        self._refresh_served()
        self._refresh_pages()

    def _key(self, section: Section) -> int:
        return self._keys.setdefault(section.id, len(self._keys) + 1)

    def _section_row(self, key: int) -> int:
        section_id = next((sid for sid, k in self._keys.items() if k == key), None)
        return next(i for i, s in enumerate(self.bundle.sections) if s.id == section_id)

    def _section_index(self, section_id: str) -> QModelIndex:
        row = next(i for i, s in enumerate(self.bundle.sections) if s.id == section_id)
        return self.index(row, 0)

    def index_of(self, item_id: str, column: int = 0) -> QModelIndex:
        """The index of a section or document by id (invalid when unknown)."""
        for row, section in enumerate(self.bundle.sections):
            if section.id == item_id:
                return self.index(row, column)
            for doc_row, doc in enumerate(section.documents):
                if doc.id == item_id:
                    return self.index(doc_row, column, self.index(row, 0))
        return QModelIndex()

    def set_bundle(self, bundle: Bundle) -> None:
        self.beginResetModel()
        self.bundle, self._keys = bundle, {}
        self._refresh_served()
        self._refresh_pages(notify=False)
        self.endResetModel()

    def set_page_totals(self, totals: Mapping[str, int | None]) -> None:
        """Full page counts by document id (None: not known yet); the tree's numbers follow."""
        self._totals = dict(totals)
        self._refresh_pages()

    def page_total(self, doc_id: str) -> int | None:
        """A document's full page count (None: not known yet)."""
        return self._totals.get(doc_id)

    @property
    def page_totals(self) -> dict[str, int | None]:
        """Each document's full page count by id, as last given (None: not known yet)."""
        return dict(self._totals)

    def _refresh_pages(self, notify: bool = True) -> None:
        self.ranges = tree_page_ranges(self.bundle, self._totals)
        self.labels = tree_page_labels(self.bundle, self._totals)  # shown; differ once frozen
        if not notify:
            return
        for row, section in enumerate(self.bundle.sections):
            parent = self.index(row, 0)
            self.dataChanged.emit(self.index(row, PAGES), self.index(row, PAGES))
            if section.documents:
                last = len(section.documents) - 1
                self.dataChanged.emit(self.index(0, PAGES, parent), self.index(last, PAGES, parent))
        self.pagesChanged.emit()

    # --- documents -------------------------------------------------------------------
    def insert_documents(self, section_id: str, row: int, docs: list[Document]) -> None:
        parent = self._section_index(section_id)
        self.beginInsertRows(parent, row, row + len(docs) - 1)
        for offset, doc in enumerate(docs):
            edits.insert_document(self.bundle, section_id, row + offset, doc)
        self.endInsertRows()
        self._refresh_pages()

    def remove_document(self, doc_id: str) -> tuple[str, int, Document]:
        """Returns (section id, row, document) so undo can put it back."""
        section_id, row = edits.document_position(self.bundle, doc_id)
        self.beginRemoveRows(self._section_index(section_id), row, row)
        doc = core_remove_document(self.bundle, doc_id)
        self.endRemoveRows()
        self._refresh_pages()
        return section_id, row, doc

    def move_document(self, doc_id: str, section_id: str, row: int) -> tuple[str, int]:
        """Move to ``row`` counted after taking the document out; returns where it was."""
        from_id, from_row = edits.document_position(self.bundle, doc_id)
        if (from_id, from_row) == (section_id, row):
            return from_id, from_row
        # Qt counts the destination before the move takes the row out
        destination = row + 1 if from_id == section_id and row > from_row else row
        source, target = self._section_index(from_id), self._section_index(section_id)
        self.beginMoveRows(source, from_row, from_row, target, destination)
        core_move_document(self.bundle, doc_id, section_id, row)
        self.endMoveRows()
        self._refresh_pages()
        return from_id, from_row

    def set_document_field(self, doc_id: str, field: str, value: object) -> object:
        old = edits.set_document_field(self.bundle, doc_id, field, value)
        index = self.index_of(doc_id)
        self.dataChanged.emit(index.siblingAtColumn(TITLE), index.siblingAtColumn(SOURCE))
        if field == "pages":
            self._refresh_pages()
        return old

    def set_source_hash(self, doc_id: str, sha256: str) -> None:
        """The version of its file a document stands for (the user chose the changed one)."""
        found = self.bundle.find_document(doc_id)
        assert found is not None
        found[1].sha256 = sha256
        index = self.index_of(doc_id)
        self.dataChanged.emit(index.siblingAtColumn(TITLE), index.siblingAtColumn(SOURCE))
        self._refresh_pages()

    def set_date(self, doc_id: str, date: str | None, source: str) -> None:
        """A document's date and where it came from (a confirmed guess becomes "typed")."""
        found = self.bundle.find_document(doc_id)
        assert found is not None
        found[1].date, found[1].date_source = date, source
        index = self.index_of(doc_id)
        self.dataChanged.emit(index.siblingAtColumn(TITLE), index.siblingAtColumn(SOURCE))

    def rotate_page(self, doc_id: str, page: int, degrees: int) -> None:
        core_rotate_page(self.bundle, doc_id, page, degrees)
        index = self.index_of(doc_id)
        self.dataChanged.emit(index.siblingAtColumn(TITLE), index.siblingAtColumn(SOURCE))

    def set_page_rotations(self, doc_id: str, turns: Mapping[str, int]) -> None:
        """Every single-page turn of a document at once (the page grid's undo and redo)."""
        found = self.bundle.find_document(doc_id)
        assert found is not None
        found[1].page_rotations = dict(turns)
        index = self.index_of(doc_id)
        self.dataChanged.emit(index.siblingAtColumn(TITLE), index.siblingAtColumn(SOURCE))

    # --- service ---------------------------------------------------------------------
    def is_late(self, doc: Document) -> bool:
        """Added after the bundle was served (so it goes into the additions)."""
        return self._served_ids is not None and doc.id not in self._served_ids

    def _refresh_served(self) -> None:
        served = self.bundle.served
        self._served_ids = {d.document_id for d in served.documents} if served else None

    def set_served(self, served: Served | None) -> Served | None:
        """Replace the record of service; documents added since show as such."""
        old, self.bundle.served = self.bundle.served, served
        self._refresh_served()
        for row, section in enumerate(self.bundle.sections):
            if section.documents:
                parent = self.index(row, 0)
                last = len(section.documents) - 1
                self.dataChanged.emit(self.index(0, TITLE, parent), self.index(last, SOURCE, parent))
        return old

    # --- sections --------------------------------------------------------------------
    def insert_section(self, row: int, section: Section) -> None:
        self.beginInsertRows(QModelIndex(), row, row)
        edits.insert_section(self.bundle, row, section)
        self.endInsertRows()
        self._refresh_pages()

    def remove_section(self, section_id: str) -> tuple[int, Section]:
        row = self._section_index(section_id).row()
        self.beginRemoveRows(QModelIndex(), row, row)
        removed = edits.remove_section(self.bundle, section_id)
        self.endRemoveRows()
        self._refresh_pages()
        return removed

    def move_section(self, section_id: str, row: int) -> int:
        """Move to ``row`` counted after taking the section out; returns where it was."""
        from_row = self._section_index(section_id).row()
        if from_row == row:
            return from_row
        destination = row + 1 if row > from_row else row
        self.beginMoveRows(QModelIndex(), from_row, from_row, QModelIndex(), destination)
        edits.move_section(self.bundle, section_id, row)
        self.endMoveRows()
        self._refresh_pages()
        return from_row

    def rename_section(self, section_id: str, title: str) -> str:
        old = edits.rename_section(self.bundle, section_id, title)
        index = self._section_index(section_id)
        self.dataChanged.emit(index, index)
        return old
