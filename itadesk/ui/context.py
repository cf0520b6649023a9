"""What every tab shares: the open document, the chosen organization and year, and undo.

Tabs never talk to each other. An edit goes through :meth:`DocumentContext.push` as an
undoable command that writes to the store; ``changed`` then tells every view to re-read.
"""

from __future__ import annotations

import sqlite3
from typing import Callable

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtGui import QUndoCommand, QUndoStack

from itadesk.db.errors import DocumentError


class StoreCommand(QUndoCommand):
    """An undoable edit: two callables that write to the store, then a change notification.

    The first redo is run by :meth:`DocumentContext.push` before the stack sees the command,
    so an edit the file refuses never reaches the stack; the stack's own call is skipped.
    """

    def __init__(self, context: "DocumentContext", text: str, redo: Callable[[], None], undo: Callable[[], None]):
        super().__init__(text)
        self._context = context
        self._redo = redo
        self._undo = undo
        self._skip_redo = True

    def redo(self) -> None:
        if self._skip_redo:
            self._skip_redo = False
            return
        self._context._replay(self._redo)

    def undo(self) -> None:
        self._context._replay(self._undo)


class DocumentContext(QObject):
    changed = Signal()  # data in the store changed (any edit, undo, redo, merge, restore)
    selectionChanged = Signal()  # another organization or year was chosen
    documentChanged = Signal()  # a document was opened, created or closed
    failed = Signal(str)  # the file refused an edit (full, read-only, stick pulled): Thai message

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self.document = None  # itadesk.db.document.Document
        self.org_uuid: str | None = None
        self.year: int | None = None
        self.undo_stack = QUndoStack(self)
        # The store's edit count after the last write this context knows of; a write that
        # went around the undo stack shows up as a different count (see ``modified``).
        self._known_count: int | None = None

    @property
    def store(self):
        return self.document.store if self.document is not None else None

    @property
    def readonly(self) -> bool:
        return bool(self.document is not None and self.document.readonly)

    def set_document(self, document) -> None:
        self.document = document
        self.undo_stack.clear()
        if document is not None and getattr(document, "dirty", False):
            # Recovered work: the file on the stick does not hold it, whatever undo does.
            self.undo_stack.resetClean()
        self._known_count = self._edit_count()
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

    def assessment_uuid(self) -> str | None:
        """The chosen assessment, if anything was entered in it (browsing never creates one;
        an edit creates it inside its command, see :meth:`push_assessment_edit`)."""
        if self.store is None or self.org_uuid is None or self.year is None:
            return None
        return self.store.assessment_uuid(self.org_uuid, self.year)

    def catalog(self):
        """The chosen year's catalog, or None when no year is chosen or its rules cannot be read."""
        from itadesk.ita.catalog import CatalogError, load_catalog

        if self.year is None:
            return None
        try:
            return load_catalog(self.year)
        except CatalogError:
            return None

    def current_assessment(self):
        if self.store is None or self.org_uuid is None or self.year is None:
            return None
        return self.store.load_assessment(self.org_uuid, self.year)

    def previous_assessment(self):
        if self.store is None or self.org_uuid is None or self.year is None:
            return None
        return self.store.previous_assessment(self.org_uuid, self.year)

    # -- saved or not ------------------------------------------------------------------
    @property
    def modified(self) -> bool:
        """The document differs from its file: the undo stack is away from its clean state,
        or something wrote to the store around the stack (a merge, a restore, a bug).

        Undoing every edit back to the saved state is not a modification, although the
        store's edit count (``Document.dirty``) went up with each undo.
        """
        if self.document is None:
            return False
        return not self.undo_stack.isClean() or self._written_around_stack()

    def mark_saved(self) -> None:
        """The file now holds what the store holds (after save, save as)."""
        self.undo_stack.setClean()
        self._known_count = self._edit_count()

    def changed_outside_undo(self) -> None:
        """The store was changed by something that is not a command (merge, restore a backup):
        earlier commands may no longer apply, and no undo leads back to the saved file."""
        self.undo_stack.clear()
        self.undo_stack.resetClean()
        self._known_count = self._edit_count()
        self.changed.emit()

    def _edit_count(self) -> int | None:
        store = self.store
        if store is None:
            return None
        try:
            return store.edit_count()
        except (sqlite3.Error, DocumentError):
            return None  # the file cannot even be read: treat as changed (see _written_around_stack)

    def _written_around_stack(self) -> bool:
        count = self._edit_count()
        return count is None or count != self._known_count

    # -- edits ---------------------------------------------------------------------------
    def push(self, text: str, redo: Callable[[], None], undo: Callable[[], None]) -> bool:
        """Run an edit now and, when the file took it, make it undoable.

        A known failure of the file (:class:`DocumentError`: full, read-only, stick pulled)
        leaves nothing on the undo stack and is reported through ``failed``; anything else
        is a bug and propagates. Returns whether the edit was made.
        """
        if self.store is None:
            return False
        if self._written_around_stack():
            self.undo_stack.resetClean()
        try:
            redo()
        except DocumentError as exc:
            self._after_failure()
            self.failed.emit(str(exc))
            return False
        except BaseException:
            self._after_failure()
            raise
        self.undo_stack.push(StoreCommand(self, text, redo, undo))
        self._known_count = self._edit_count()
        self.changed.emit()
        return True

    def push_assessment_edit(
        self, text: str, redo: Callable[[str], None], undo: Callable[[str], None]
    ) -> bool:
        """An edit of the chosen organization's year, found (or created) each time it runs.

        ``redo`` and ``undo`` get the assessment's uuid. The assessment is created inside the
        command, so undoing the first edit of a year removes the year again (when nothing
        else was entered in it); looking it up each time keeps later commands valid after
        that. Undo and redo also bring the officer back to the year they change.
        """
        store, org_uuid, year = self.store, self.org_uuid, self.year
        if store is None or org_uuid is None or year is None:
            return False
        created: list[str] = []

        def do() -> None:
            self.select(org_uuid, year)
            a_uuid = store.assessment_uuid(org_uuid, year)
            created.clear()
            if a_uuid is None:
                a_uuid = store.ensure_assessment(org_uuid, year)
                created.append(a_uuid)
            try:
                redo(a_uuid)
            except BaseException:
                if created:
                    try:
                        store.delete_assessment_if_empty(a_uuid)
                    except DocumentError:
                        pass  # the failure itself is being reported; the year stays empty
                raise

        def undo_() -> None:
            self.select(org_uuid, year)
            a_uuid = store.assessment_uuid(org_uuid, year)
            if a_uuid is None:
                return
            undo(a_uuid)
            if created and created[0] == a_uuid:
                store.delete_assessment_if_empty(a_uuid)

        return self.push(text, do, undo_)

    def _replay(self, write: Callable[[], None]) -> None:
        """Undo or redo from the stack. If the file refuses it, the stack no longer matches
        the file: the history is dropped and the failure reported once the stack has
        finished this step (the message box's event loop must not delete the running command)."""
        if self._written_around_stack():
            self.undo_stack.resetClean()
        try:
            write()
        except DocumentError as exc:
            self._drop_history_later(str(exc))
        except BaseException:
            self._drop_history_later(None)
            raise
        finally:
            self._known_count = self._edit_count()
            self.changed.emit()

    def _after_failure(self) -> None:
        """A refused edit may have written part of itself before failing (an organization's
        a plan row's new
        responsible unit, say): if the edit count moved, the file no longer matches the saved one."""
        if self._written_around_stack():
            self.undo_stack.resetClean()
            self._known_count = self._edit_count()
        self.changed.emit()  # views re-read what the file holds

    def _drop_history_later(self, message: str | None) -> None:
        def drop() -> None:
            self.undo_stack.clear()
            self.undo_stack.resetClean()  # no undo leads back to the saved file any more
            self._known_count = self._edit_count()
            if message is not None:
                self.failed.emit(message)

        QTimer.singleShot(0, drop)
