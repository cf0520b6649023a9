"""Watch the steps of a save from outside, for the crash harness and the failure tests.

:func:`itadesk.db.files.save_copy` has no test hook of its own (production code should not
carry one). Its steps are calls it makes through its module's globals (``os.open`` of the
temp file, ``fsync_file``, ``connect`` for the check, ``shutil.copyfile`` for the backup,
``os.replace``, ``fsync_dir``), so :func:`save_steps` wraps those while it is active and
calls ``hook(step)`` just before each step, with the names the harness has always used:

    begin, vacuum, fsync, check, bak-copy, bak-replace, replace, dirsync, done

A hook may raise (an injected failure), sleep (a slow stick) or kill the process.
"""

from __future__ import annotations

import contextlib
import os
import shutil
from typing import Callable, Iterator

from itadesk.db import files

STEPS = ("begin", "vacuum", "fsync", "check", "bak-copy", "bak-replace", "replace", "dirsync", "done")


class _Proxy:
    """A module whose named functions are replaced; everything else is the module's own."""

    def __init__(self, module, **functions):
        self._module = module
        self.__dict__.update(functions)

    def __getattr__(self, name):
        return getattr(self._module, name)


def watch_save_steps(hook: Callable[[str], None]) -> Callable[[], None]:
    """Call ``hook(step)`` before each step of every save from now on; returns the function
    that stops watching (call it in a ``finally``)."""
    remove_leftovers, fsync_file, connect, fsync_dir = files._remove_leftovers, files.fsync_file, files.connect, files.fsync_dir  # noqa: SLF001

    def begin(target):
        hook("begin")
        return remove_leftovers(target)

    def open_(path, flags, *args, **kwargs):
        if str(path).endswith(".saving") and flags & os.O_CREAT:  # not the fsync's own open
            hook("vacuum")
        return os.open(path, flags, *args, **kwargs)

    def fsync(path):
        if str(path).endswith(".saving") and not str(path).endswith(".bak-saving"):
            hook("fsync")
        return fsync_file(path)

    def check(path, *args, **kwargs):
        if str(path).endswith(".saving"):
            hook("check")
        return connect(path, *args, **kwargs)

    def copyfile(src, dst, *args, **kwargs):
        if str(dst).endswith(".bak-saving"):
            hook("bak-copy")
        return shutil.copyfile(src, dst, *args, **kwargs)

    def replace(src, dst):
        if str(src).endswith(".bak-saving"):
            hook("bak-replace")
        elif str(src).endswith(".saving"):
            hook("replace")
        return os.replace(src, dst)

    def dirsync(folder):
        hook("dirsync")
        result = fsync_dir(folder)
        hook("done")
        return result

    saved = {name: getattr(files, name) for name in ("_remove_leftovers", "fsync_file", "connect", "fsync_dir", "os", "shutil")}
    files._remove_leftovers = begin  # noqa: SLF001
    files.fsync_file, files.connect, files.fsync_dir = fsync, check, dirsync
    files.os = _Proxy(os, open=open_, replace=replace)
    files.shutil = _Proxy(shutil, copyfile=copyfile)

    def stop() -> None:
        for name, value in saved.items():
            setattr(files, name, value)

    return stop


@contextlib.contextmanager
def save_steps(hook: Callable[[str], None]) -> Iterator[None]:
    """Call ``hook(step)`` before each step of every save made inside the block."""
    stop = watch_save_steps(hook)
    try:
        yield
    finally:
        stop()
