"""The check of every row of a file, run after its first screen is shown.

A province's file never seen on this computer took ~12–15 s to open: every row checked by the
editor's rules and every kept result compared with a fresh evaluation
(:func:`itadesk.db.files.check_content`) before anything showed. The window now opens it with
:func:`~itadesk.db.files.check_structure` only (ours, exactly our schema, no trigger or view,
the small tables' value types) and this check runs in a thread over the working copy as it
was opened (one read transaction begun at opening: edits made meanwhile are not what is
checked, and the sha256 noted as checked is the file's own). Until it ends the window says
that the figures shown are the file's own, not yet checked; anything that leaves the program
waits for it (:meth:`itadesk.db.document.Document.wait_checked`).
"""

from __future__ import annotations

import sqlite3
import threading
from pathlib import Path

from itadesk.db import checked_files
from itadesk.db.errors import translate
from itadesk.db.files import check_content, connect

# SQLite calls the progress handler every this many virtual-machine steps.
STEPS_PER_CALL = 20_000
# The steps of check_content: where each ends (as it tells) and about how many progress calls
# it makes per page of the file (measured on 8,000 organizations, 46,900 pages: the types scan
# runs most of SQLite's steps, checking every value mostly Python), to move within a step.
STEPS = ((0.02, 0.023), (0.03, 0.005), (0.25, 0.10), (0.75, 0.0155), (1.0, 0.011))
JOIN_ON_CLOSE_S = 5.0


class ContentCheck:
    """:func:`check_content` of ``path`` (a working copy in WAL mode) in a thread of its own.

    ``label``: the officer's file, which an error names; ``sha256``: of the bytes the working
    copy was made from, noted as checked when every row passed and the results agreed."""

    def __init__(self, path: str | Path, label: str, sha256: str | None):
        self._label, self._sha256 = label, sha256
        self._conn = connect(path, readonly=True, label=label)
        try:
            self._conn.execute("BEGIN")  # the content as opened, whatever is edited meanwhile
            pages = self._conn.execute("PRAGMA page_count").fetchone()[0]
        except sqlite3.Error as exc:
            self._conn.close()
            raise translate(exc, label) from exc
        self._pages = max(1, pages)
        self._calls = 0
        self._step_at = (0, 0.0, 0)  # step under way, where it started, calls made before it
        self._cancelled = False
        self._start_lock = threading.Lock()
        self._thread: threading.Thread | None = None
        self._done = threading.Event()
        self.results_ok: bool | None = None  # whether the kept results agreed (once done)
        # Why the file is refused (once done): a DocumentError, or a bug raised as it was.
        self.error: BaseException | None = None

    @property
    def done(self) -> bool:
        return self._done.is_set()

    @property
    def progress(self) -> float:
        """How far the check got, 0..1 (an estimate until it is done)."""
        if self.done:
            return 1.0
        index, start, calls = self._step_at
        end, per_page = STEPS[min(index, len(STEPS) - 1)]
        return min(0.99, start + (end - start) * min(1.0, (self._calls - calls) / (per_page * self._pages)))

    def _tell(self, fraction: float) -> None:
        self._step_at = (self._step_at[0] + 1, fraction, self._calls)

    def start(self) -> None:
        with self._start_lock:
            if self._thread is None:
                self._thread = threading.Thread(target=self._run, name="content-check", daemon=True)
                self._thread.start()

    def wait(self) -> None:
        """Until the check is over (started here if it was not)."""
        self.start()
        self._done.wait()

    def close(self) -> None:
        """Stop the check (the document is closed) and release the working copy."""
        self._cancelled = True
        if self._thread is not None and not self.done:
            self._thread.join(JOIN_ON_CLOSE_S)
        if self._thread is None:
            self._finish()

    def _step(self) -> int:
        self._calls += 1
        return 1 if self._cancelled else 0  # non-zero interrupts the statement running

    def _run(self) -> None:
        try:
            self._conn.set_progress_handler(self._step, STEPS_PER_CALL)
            ok = check_content(self._conn, self._label, results=True, progress=self._tell, quick=True)
            if ok and self._sha256 is not None and not self._cancelled:
                checked_files.remember(self._sha256)
            self.results_ok = ok
        except Exception as exc:  # noqa: BLE001 - handed to whoever waits (a bug stays a bug)
            if not self._cancelled:  # close() interrupts the statement running: nobody waits
                self.error = exc
        finally:
            self._finish()

    def _finish(self) -> None:
        try:
            self._conn.close()
        except sqlite3.Error:
            pass
        self._done.set()
