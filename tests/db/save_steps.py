"""Stop, slow or fail a save between two of its steps, from a test or a crash harness's child.

The program has no hook for this: a save is a sequence of step functions in
:mod:`itadesk.db.files`, and these helpers wrap them, only in the process that asks (a test
restores them at once; a harness's forked child, which dies anyway, keeps them). The save
itself runs unchanged, so a kill or an injected error lands in the real code.
"""

from __future__ import annotations

import contextlib
import functools
from collections.abc import Callable

from itadesk.db import files

# Step name (what the harness reports and the tests name) -> the function that does it.
STEPS = {
    "begin": "_save_begin",
    "vacuum": "_save_vacuum",
    "fsync": "_save_write_temp",
    "check": "_save_check_temp",
    "settle": "_save_settle",
    "bak-copy": "_save_bak_copy",
    "bak-replace": "_save_bak_replace",
    "replace": "_save_replace",
    "dirsync": "_save_dirsync",
}


def _announced(step: str, function: Callable, callback: Callable[[str], None]) -> Callable:
    @functools.wraps(function)
    def step_function(*args, **kwargs):
        callback(step)
        return function(*args, **kwargs)

    return step_function


def install(callback: Callable[[str], None]) -> None:
    """``callback(step)`` runs as each step of every later save begins (for a child process)."""
    for step, name in STEPS.items():
        setattr(files, name, _announced(step, getattr(files, name), callback))


@contextlib.contextmanager
def watching(callback: Callable[[str], None]):
    """:func:`install` for the duration of a ``with`` block; raising in ``callback`` fails that step."""
    originals = {name: getattr(files, name) for name in STEPS.values()}
    install(callback)
    try:
        yield
    finally:
        for name, function in originals.items():
            setattr(files, name, function)
