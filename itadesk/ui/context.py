"""What every tab shares: the open document, the chosen organization and year, and undo.

Tabs never talk to each other. An edit goes through :meth:`DocumentContext.push` as an
undoable command that writes to the store; ``changed`` then tells every view to re-read.
"""

from __future__ import annotations

from typing import Callable

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QUndoCommand, QUndoStack


class StoreCommand(QUndoCommand):
    """An undoable edit: two callables that write to the store, then a change notification."""

    def __init__(self, context: "DocumentContext", text: str, redo: Callable[[], None], undo: Callable[[], None]):
        super().__init__(text)
        self._context = context
        self._redo = redo
        self._undo = undo

    def redo(self) -> None:
        self._redo()
        self._context.changed.emit()

    def undo(self) -> None:
        self._undo()
        self._context.changed.emit()


class DocumentContext(QObject):
    changed = Signal()  # data in the store changed (any edit, undo, redo, merge, restore)
    selectionChanged = Signal()  # another organization or year was chosen
    documentChanged = Signal()  # a document was opened, created or closed

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self.document = None  # itadesk.db.document.Document
        self.org_uuid: str | None = None
        self.year: int | None = None
        self.undo_stack = QUndoStack(self)

    @property
    def store(self):
        return self.document.store if self.document is not None else None

    @property
    def readonly(self) -> bool:
        return bool(self.document is not None and self.document.readonly)

    def set_document(self, document) -> None:
        self.document = document
        self.undo_stack.clear()
        self.org_uuid = None
        self.year = None
        self.documentChanged.emit()
        self.selectionChanged.emit()
        self.changed.emit()

    def select(self, org_uuid: str | None, year: int | None) -> None:
        if (org_uuid, year) == (self.org_uuid, self.year):
            return
        self.org_uuid, self.year = org_uuid, year
        self.selectionChanged.emit()

    def assessment_uuid(self, create: bool = False) -> str | None:
        """The chosen assessment; created on first edit so browsing never writes."""
        if self.store is None or self.org_uuid is None or self.year is None:
            return None
        if create:
            return self.store.ensure_assessment(self.org_uuid, self.year)
        return self.store.assessment_uuid(self.org_uuid, self.year)

    def current_assessment(self):
        if self.store is None or self.org_uuid is None or self.year is None:
            return None
        return self.store.load_assessment(self.org_uuid, self.year)

    def previous_assessment(self):
        if self.store is None or self.org_uuid is None or self.year is None:
            return None
        return self.store.previous_assessment(self.org_uuid, self.year)

    def push(self, text: str, redo: Callable[[], None], undo: Callable[[], None]) -> None:
        """Run an edit now (QUndoStack.push calls redo) and make it undoable."""
        self.undo_stack.push(StoreCommand(self, text, redo, undo))
