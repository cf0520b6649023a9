"""Work around a reference-count bug of PySide6 6.12 that crashes the program.

In PySide6 6.12.0 every ``signal.emit()`` called from Python returns ``True`` without
taking a reference to it, so each emit steals one reference to the ``True`` object. After
a few thousand edits (every edit emits several signals) CPython 3.11 deallocates ``True``
and aborts with "Fatal Python error: bool_dealloc" — an officer would lose the window in
the middle of typing. CPython 3.12 made ``True``/``False`` immortal; on 3.11 we get the same
effect by giving them a very large reference count, once, when the bug is detected.
"""

from __future__ import annotations

import ctypes
import sys

from PySide6.QtCore import QObject, Signal

_PAD = 1 << 40  # emits needed to exhaust it: far beyond any session's lifetime
_applied = False


class _Probe(QObject):
    ping = Signal()


def emit_steals_true() -> bool:
    """True when ``Signal.emit`` loses a reference to ``True`` (the PySide6 6.12 bug)."""
    probe = _Probe()
    before = sys.getrefcount(True)
    for _ in range(8):
        probe.ping.emit()
    after = sys.getrefcount(True)
    if before - after > 0:
        _pad(before - after)  # give back what the probe took
        return True
    return False


def _pad(count: int) -> None:
    for obj in (True, False):
        refcnt = ctypes.c_ssize_t.from_address(id(obj))
        refcnt.value += count


def apply() -> bool:
    """Make ``True``/``False`` effectively immortal if this PySide6 needs it; idempotent."""
    global _applied
    if _applied:
        return True
    if sys.version_info >= (3, 12):
        return False  # bools are immortal there
    if emit_steals_true():
        _pad(_PAD)
        _applied = True
    return _applied
