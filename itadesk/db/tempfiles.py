"""Every file and folder the program makes for a moment: named to fit, created exclusively, never left.

Beside the officer's file (a stick, a shared folder) anything may already sit at a name we
would pick, including a link planted by someone else. So a temp file is only ever created
with ``O_CREAT | O_EXCL`` under a random name (which refuses an existing file *and* a
link), and written through the descriptor we got, never reopened by name. Names built from
the officer's file name (temp files, the lock, ``.bak``) are shortened with a hash when they
would pass the 255-byte limit of a file name (a Thai name of 80 letters is already 240
bytes). A process killed halfway leaves its temp files and folders behind; the next one
that makes the same kind removes them once their process is gone.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import secrets
import shutil
import tempfile
import time
from collections.abc import Callable, Iterator
from datetime import datetime, timezone
from pathlib import Path

# Longest file name in bytes on ext4, NTFS (255 UTF-16 units, never more bytes of UTF-8), FAT, exFAT.
NAME_MAX = 255
# Width reserved for "<pid>-<random>" so that a name's shortening does not depend on the pid.
_UNIQUE_WIDTH = 10 + 1 + 8
# A temp file whose process cannot be judged (another computer) is removed once this old.
LEFTOVER_AGE = 3600.0
_FLAGS = os.O_RDWR | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0) | getattr(os, "O_NOFOLLOW", 0)


@contextlib.contextmanager
def release_on_failure() -> Iterator[contextlib.ExitStack]:
    """Collect what a multi-step operation takes (``stack.callback(release)``); if a later
    step fails, everything taken is released in reverse order, on success nothing is."""
    with contextlib.ExitStack() as stack:
        yield stack
        stack.pop_all()


def fit_name(name: str, prefix: str = "", suffix: str = "", reserve: int = 0) -> str:
    """``prefix + name + suffix``, with ``name`` cut and given a hash when the whole (plus
    ``reserve`` bytes) would not fit :data:`NAME_MAX`. The same name always gives the same result."""
    size = len(os.fsencode(prefix + name + suffix)) + reserve
    if size <= NAME_MAX:
        return prefix + name + suffix
    tag = "~" + hashlib.sha256(os.fsencode(name)).hexdigest()[:12]
    room = NAME_MAX - reserve - len(os.fsencode(prefix + tag + suffix))
    head, used = "", 0
    for char in name:  # cut between characters, never inside one
        width = len(os.fsencode(char))
        if used + width > room:
            break
        head, used = head + char, used + width
    return prefix + head + tag + suffix


def beside(target: str | os.PathLike, prefix: str = "", suffix: str = "") -> Path:
    """A file beside ``target`` whose name is derived from it (the lock, ``.bak``), fitted."""
    target = Path(target)
    return target.with_name(fit_name(target.name, prefix, suffix))


def _temp_stem(target: Path, kind: str) -> tuple[str, str]:
    """(start, end) of the names of ``kind`` temp files of ``target``: start + "<pid>-<random>" + end."""
    end = f".{kind}"
    start = fit_name(target.name, ".", ".", reserve=_UNIQUE_WIDTH + len(end))
    return start, end


def create_beside(target: str | os.PathLike, kind: str) -> tuple[Path, int]:
    """A new empty temp file in ``target``'s folder, created exclusively: (path, open descriptor).

    Its name says which file and which process it belongs to, so a later run can remove it
    when that process was killed (:func:`remove_leftovers`). The mode follows the umask like
    a normal new file (the saved document is meant to be shared), not ``mkstemp``'s 0600.
    """
    target = Path(target)
    start, end = _temp_stem(target, kind)
    for _ in range(100):
        path = target.with_name(f"{start}{os.getpid()}-{secrets.token_hex(4)}{end}")
        try:
            return path, os.open(path, _FLAGS, 0o644)
        except FileExistsError:
            continue
    raise FileExistsError(f"no free temp name beside {target}")


def write_all(fd: int, data: bytes | memoryview) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view):]


def copy_into(source: str | os.PathLike, fd: int) -> None:
    """Copy a file's bytes into an open descriptor (ours)."""
    with open(source, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            write_all(fd, block)


def unlink_quietly(path: str | os.PathLike) -> None:
    with contextlib.suppress(OSError):
        os.unlink(path)


def replace_with(path: str | os.PathLike, fill: Callable[[int], None], kind: str = "tmp") -> None:
    """Replace ``path`` by what ``fill`` writes into an exclusive temp file beside it: fsync, rename.

    A full or pulled stick never leaves half a file under the name, and a link planted at
    any name we might use is never followed (the rename replaces a link at ``path`` itself).
    Raises ``OSError``; nothing of ours is left behind.
    """
    path = Path(path)
    remove_leftovers(path, kind)
    tmp, fd = create_beside(path, kind)
    with release_on_failure() as undo:
        undo.callback(unlink_quietly, tmp)
        try:
            fill(fd)
            os.fsync(fd)
        finally:
            os.close(fd)
        os.replace(tmp, path)
    fsync_dir(path.parent)


def write_atomically(path: str | os.PathLike, data: bytes) -> None:
    """Replace ``path`` with ``data`` (see :func:`replace_with`)."""
    replace_with(path, lambda fd: write_all(fd, data))


def fsync_dir(path: str | os.PathLike) -> None:
    """Make a rename durable on POSIX; Windows has no directory handles to flush."""
    if os.name != "posix":
        return
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def _owner_gone(name: str, start: str, end: str, mtime: float, local: bool = False) -> bool:
    """Whether the process named in a temp name is dead, or the file is old enough to say so.

    A name without a pid (made by an older version, or not by us) is judged by age only.
    ``local``: the name was made on this computer (the system temp folder), so its pid can be
    asked about whatever its age; a long merge of a province's folder keeps its folder.
    """
    from itadesk.db.lock import pid_alive  # noqa: PLC0415 - lock imports this module

    if not local and time.time() - mtime > LEFTOVER_AGE:
        return True
    try:
        pid = int(name[len(start):len(name) - len(end)].split("-", 1)[0])
    except ValueError:
        return local and time.time() - mtime > LEFTOVER_AGE
    return not pid_alive(pid, since=datetime.fromtimestamp(mtime, timezone.utc))


def remove_leftovers(target: str | os.PathLike, *kinds: str) -> None:
    """Temp files of ``target`` left by killed processes (they waste stick space)."""
    target = Path(target)
    stems = [_temp_stem(target, kind) for kind in kinds]
    try:
        names = os.listdir(target.parent)
    except OSError:
        return
    for name in names:
        for start, end in stems:
            if name.startswith(start) and name.endswith(end) and len(name) > len(start) + len(end):
                path = target.parent / name
                with contextlib.suppress(OSError):
                    if _owner_gone(name, start, end, path.lstat().st_mtime):
                        path.unlink()


_SWEPT: set[tuple[Path, str]] = set()


@contextlib.contextmanager
def private_folder(kind: str) -> Iterator[Path]:
    """A folder of our own (mode 0700) in the system temp folder, removed afterwards.

    Its name holds our pid, so folders left by a killed process are removed by the next
    one (``itadesk-edit-*`` copies of a whole document must not pile up).
    """
    parent = Path(tempfile.gettempdir())
    start, end = f"itadesk-{kind}-", ""
    if (parent, kind) not in _SWEPT:  # once per process: the temp folder may be large
        _SWEPT.add((parent, kind))
        with contextlib.suppress(OSError):
            for entry in os.scandir(parent):
                if entry.name.startswith(start) and entry.is_dir(follow_symlinks=False):
                    with contextlib.suppress(OSError):
                        if _owner_gone(entry.name, start, end, entry.stat(follow_symlinks=False).st_mtime,
                                       local=True):
                            shutil.rmtree(entry.path, ignore_errors=True)
    folder = Path(tempfile.mkdtemp(prefix=f"{start}{os.getpid()}-", dir=parent))
    try:
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)
