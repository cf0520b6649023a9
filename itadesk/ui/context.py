"""What every tab shares: the open document, the chosen organization and year, and undo.

Tabs never talk to each other. An edit is an operation (:mod:`itadesk.db.operations`) pushed
through :meth:`DocumentContext.push`; the undo stack holds the operations, and ``changed``
carries what each one changed (:class:`~itadesk.db.operations.Changes`), so that every view
refreshes only what it shows of that.
"""

from __future__ import annotations

import functools

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtGui import QUndoCommand, QUndoStack
from PySide6.QtWidgets import QWidget

from itadesk.db.errors import DocumentError
from itadesk.db.operations import EVERYTHING, Changes, Operation


def behind(view: QWidget) -> bool:
    """A tab of a shown window that another tab hides: it can catch up when it is shown."""
    return view.window().isVisible() and not view.isVisible()


def reading(method):
    """For a view's method that reads the document: a known failure of the file (stick pulled,
    damaged working copy) is said once in Thai (``DocumentContext.unreadable``) instead of
    escaping from a slot as if it were a bug; the view keeps what it showed."""

    @functools.wraps(method)
    def wrapper(self, *args, **kwargs):
        try:
            return method(self, *args, **kwargs)
        except DocumentError as exc:
            self.context.unreadable_file(exc)
            return None

    return wrapper


class OperationCommand(QUndoCommand):
    """An operation on the undo stack: redo applies it, undo applies its inverse.

    The first redo is run by :meth:`DocumentContext.push` before the stack sees the command,
    so an edit the file refuses never reaches the stack; the stack's own call is skipped.
    Undo and redo bring the officer back to the organization and year they change.
    """

    def __init__(self, context: "DocumentContext", text: str, operation: Operation):
        super().__init__(text)
        self._context = context
        self.operation = operation
        self._inverse = operation.inverse()
        self._skip_redo = True

    def redo(self) -> None:
        if self._skip_redo:
            self._skip_redo = False
            return
        if self._context._replay(self.operation):
            self._inverse = self.operation.inverse()

    def undo(self) -> None:
        self._context._replay(self._inverse)


class DocumentContext(QObject):
    changed = Signal(object)  # Changes: what an edit, undo, redo, merge or restore changed
    selectionChanged = Signal()  # another organization or year was chosen
    documentChanged = Signal()  # a document was opened, created or closed
    failed = Signal(str)  # the file refused an edit (full, read-only, stick pulled): Thai message
    unreadable = Signal(str)  # the file could not be read for a view: Thai message (once per burst)

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self.document = None  # itadesk.db.document.Document
        self.org_uuid: str | None = None
        self.year: int | None = None
        self.undo_stack = QUndoStack(self)
        # The document's edit count after the last write this context knows of; a write that
        # went around the undo stack shows up as a different count (see ``modified``).
        self._known_count: int | None = None
        self._unreadable_pending = False
        self._catalogs = None  # see catalogs(); connected first, so it is forgotten before any view reads
        self.changed.connect(self._forget_catalogs)

    def unreadable_file(self, exc: DocumentError) -> None:
        """A view could not read the document; every view that tries in the same moment
        fails alike, so the officer is told once."""
        if self._unreadable_pending:
            return
        self._unreadable_pending = True

        def tell() -> None:
            self._unreadable_pending = False
            self.unreadable.emit(str(exc))

        QTimer.singleShot(0, tell)

    @property
    def readonly(self) -> bool:
        return bool(self.document is not None and self.document.readonly)

    @property
    def ready(self) -> bool:
        """A document, an organization and a year are chosen."""
        return self.document is not None and self.org_uuid is not None and self.year is not None

    def set_document(self, document, where: tuple[str | None, int | None] = (None, None)) -> None:
        """Show ``document`` at ``where`` (organization, year). Views read it once, on
        ``changed(EVERYTHING)``; ``documentChanged`` only tells them it is another document."""
        self.document = document
        self._catalogs = None
        self.undo_stack.clear()
        if document is not None and getattr(document, "dirty", False):
            # Recovered work: the file on the stick does not hold it, whatever undo does.
            self.undo_stack.resetClean()
        self._known_count = self._edit_count()
        self.org_uuid, self.year = where if document is not None else (None, None)
        self.documentChanged.emit()
        self.changed.emit(EVERYTHING)

    def select(self, org_uuid: str | None, year: int | None) -> None:
        if (org_uuid, year) == (self.org_uuid, self.year):
            return
        self.org_uuid, self.year = org_uuid, year
        self.selectionChanged.emit()

    def assessment_uuid(self) -> str | None:
        """The chosen assessment, if anything was entered in it (browsing never creates one;
        an edit creates it inside its operation)."""
        if not self.ready:
            return None
        return self.document.assessment_uuid(self.org_uuid, self.year)

    def catalog(self, year: int | None = None):
        """The catalog of ``year`` (default: the chosen year) as this document uses it, or None
        when there is no year or its rules cannot be read."""
        from itadesk.ita.catalog import CatalogError

        year = self.year if year is None else year
        if year is None:
            return None
        try:
            return self.catalogs().for_year(year)
        except CatalogError:
            return None

    def catalogs(self):
        """The open document's catalogs over the bundled ones (ita.catalog.Catalogs), read once
        and again only after a change that can touch them (a catalog edit, merge or restore
        says ``everything``): typing a score costs no read of them."""
        from itadesk.ita.catalog import BUNDLED

        if self.document is None:
            return BUNDLED
        if self._catalogs is None:
            self._catalogs = self.document.catalogs()
        return self._catalogs

    def _forget_catalogs(self, changes: Changes | None = None) -> None:
        if changes is None or changes.everything:
            self._catalogs = None

    def current_assessment(self):
        return self.document.load_assessment(self.org_uuid, self.year) if self.ready else None

    def previous_assessment(self):
        return self.document.previous_assessment(self.org_uuid, self.year) if self.ready else None

    # -- saved or not ------------------------------------------------------------------
    @property
    def modified(self) -> bool:
        """The document differs from its file: the undo stack is away from its clean state,
        or something wrote to the document around the stack (a merge, a restore, a bug).

        Undoing every edit back to the saved state is not a modification, although the
        document's edit count (``Document.dirty``) went up with each undo.
        """
        if self.document is None:
            return False
        return not self.undo_stack.isClean() or self._written_around_stack()

    def mark_saved(self) -> None:
        """The file now holds what the document holds (after save, save as)."""
        self.undo_stack.setClean()
        self._known_count = self._edit_count()

    def changed_outside_undo(self, changes: Changes = EVERYTHING) -> None:
        """The document was changed by something that is not an operation (merge, restore a
        backup, a conflict resolved): earlier commands may no longer apply, and no undo leads
        back to the saved file."""
        self.undo_stack.clear()
        self.undo_stack.resetClean()
        self._known_count = self._edit_count()
        self.changed.emit(changes)

    def _edit_count(self) -> int | None:
        if self.document is None:
            return None
        try:
            return self.document.edit_count()
        except DocumentError:
            return None  # the file cannot even be read: treat as changed (see _written_around_stack)

    def _written_around_stack(self) -> bool:
        count = self._edit_count()
        return count is None or count != self._known_count

    # -- edits ---------------------------------------------------------------------------
    def push(self, text: str, operation: Operation) -> bool:
        """Apply an edit operation now and, when the file took it, make it undoable.

        A known failure of the file (:class:`DocumentError`: full, read-only, stick pulled)
        leaves nothing on the undo stack and is reported through ``failed``; anything else
        is a bug and propagates. Returns whether the edit was made.
        """
        if self.document is None:
            return False
        if self._written_around_stack():
            self.undo_stack.resetClean()
        try:
            changes = self.document.apply(operation)
        except DocumentError as exc:
            self._after_failure(operation)
            self.failed.emit(str(exc))
            return False
        except BaseException:
            self._after_failure(operation)
            raise
        self.undo_stack.push(OperationCommand(self, text, operation))
        self._known_count = self._edit_count()
        self.changed.emit(changes)
        return True

    def _replay(self, operation: Operation) -> bool:
        """Undo or redo from the stack. If the file refuses it, the stack no longer matches
        the file: the history is dropped and the failure reported once the stack has
        finished this step (the message box's event loop must not delete the running command)."""
        if self._written_around_stack():
            self.undo_stack.resetClean()
        year = getattr(operation, "year", None)
        if year is not None:
            self.select(operation.org_uuid, year)
        changes = EVERYTHING
        try:
            changes = self.document.apply(operation)
            return True
        except DocumentError as exc:
            self._drop_history_later(str(exc))
            return False
        except BaseException:
            self._drop_history_later(None)
            raise
        finally:
            self._known_count = self._edit_count()
            self.changed.emit(changes)

    def _after_failure(self, operation: Operation) -> None:
        """A refused edit wrote nothing (one transaction); if the edit count moved anyway,
        the file no longer matches the saved one. Views re-read what the file holds."""
        if self._written_around_stack():
            self.undo_stack.resetClean()
            self._known_count = self._edit_count()
        self.changed.emit(EVERYTHING)

    def _drop_history_later(self, message: str | None) -> None:
        def drop() -> None:
            self.undo_stack.clear()
            self.undo_stack.resetClean()  # no undo leads back to the saved file any more
            self._known_count = self._edit_count()
            if message is not None:
                self.failed.emit(message)

        QTimer.singleShot(0, drop)
