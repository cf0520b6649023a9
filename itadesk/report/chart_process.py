"""The report's charts drawn in a second process while this one lays the pages out.

Why: the first export of a report spends ~0.75 s of CPU loading Matplotlib and drawing its
four charts, and ~0.6 s laying out the pages; an office PC has two cores, so the two can run
side by side. The layout needs only each chart's size (:mod:`itadesk.report.chart_sizes`,
the same numbers the charts are built with), so a page shows a chart as a named PDF form
and the forms are written just before the file is saved, once the drawings have arrived
(:mod:`itadesk.report.chart_flowable`). The process is forked as soon as the report's data
is read, before ReportLab is loaded (:mod:`itadesk.report.chart_jobs`), and neither loads
nor imports what only the other needs.

Only where that is safe: a process that can fork (Linux, macOS) and runs no other thread
(``itadesk report``, see :func:`can_fork`). The window's export runs in a worker thread, and
Windows has no fork; there the charts are drawn in the process, ahead of the build, while the
officer is in the export dialog (:class:`~itadesk.report.chart_jobs.ChartsAhead`; a spawned
process was measured slower: its own start, imports and word list cost more than the drawing).
If the other process dies, its charts are drawn here; a chart that cannot be drawn says so in
its place.
"""

from __future__ import annotations

import gc
import os
import pickle
import threading
from collections.abc import Callable

from itadesk.report.chart_drawing import ChartDrawing

# Each chart's answer from the other process: its drawing, or why it could not be drawn.
Answer = ChartDrawing | str


def can_fork() -> bool:
    """Whether charts can be drawn in a forked process here: fork exists, two cores or more,
    and this process runs no other thread, ours or a library's (Qt's, OpenBLAS's once NumPy
    is loaded): a thread holding a lock while we fork would leave the child waiting forever."""
    if not hasattr(os, "fork") or (os.cpu_count() or 1) < 2:
        return False
    try:
        return len(os.listdir("/proc/self/task")) == 1  # Linux: every thread of the process
    except OSError:
        return threading.active_count() == 1


class ChartProcess:
    """``work()`` run in a forked child; :meth:`answers` waits for its list of answers."""

    def __init__(self, work: Callable[[], list[Answer]]):
        read, write = os.pipe()
        pid = os.fork()
        if pid == 0:  # the child: do the work, hand the answers back, leave without clean-up
            status = 0
            try:
                os.close(read)
                gc.disable()  # a short life: its few cycles are freed at exit, the collections cost ~5 %
                payload = pickle.dumps(work(), protocol=pickle.HIGHEST_PROTOCOL)
            except BaseException:
                payload, status = b"", 1
            try:
                with os.fdopen(write, "wb") as out:
                    out.write(payload)
            finally:
                os._exit(status)
        os.close(write)
        self._read, self._pid = read, pid
        self._answers: list[Answer] | None = None

    def answers(self) -> list[Answer] | None:
        """The child's answers (waiting for them); None if it failed or died."""
        if self._pid is not None:
            with os.fdopen(self._read, "rb") as pipe:
                payload = pipe.read()
            _, status = os.waitpid(self._pid, 0)
            self._pid = None
            if os.waitstatus_to_exitcode(status) == 0 and payload:
                try:
                    self._answers = pickle.loads(payload)
                except Exception:  # noqa: BLE001 - a broken answer is drawn again here
                    self._answers = None
        return self._answers

    close = answers  # reap the child even when the build stopped early
