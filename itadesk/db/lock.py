"""Who has a document open: a small lock file beside it, and a private lock on each working copy.

The lock beside the target (``.~lock.NAME#``, the way LibreOffice names it) tells a second
program instance, or another PC that has the same stick or network share, that the file
is in use, by whom and since when. It is advice, not enforcement: the officer may still
choose "open read-only" or "open anyway".

A lock left behind by a program that died is *stale*. On the same computer that is
certain (its process is gone, or its process id now belongs to a newer process). From
another computer it can only be guessed from its age (:data:`STALE_AFTER`); such a lock
is reported with ``stale=True`` and the choice is left to the officer.

The working copies in the local data folder carry an operating-system lock
(:class:`OwnerLock`) held for as long as their program runs; the system drops it when
the process dies, however it dies, which is how recovery tells an orphan from a working
copy that another running instance is still using.
"""

from __future__ import annotations

import contextlib
import errno
import getpass
import json
import os
import socket
import sys
import uuid as _uuid
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path

from itadesk.db.errors import DocumentError
from itadesk.db.tempfiles import beside, release_on_failure, unlink_quietly, write_atomically
from itadesk.ita.thai_dates import format_thai_datetime

# A lock from another computer older than this is probably left over (program killed, stick pulled).
STALE_AFTER = timedelta(hours=12)


def lock_path(target: str | os.PathLike) -> Path:
    """``.~lock.NAME#`` beside the target (shortened with a hash for a very long name)."""
    return beside(target, ".~lock.", "#")


def this_host() -> str:
    return socket.gethostname()


def this_user() -> str:
    try:
        return getpass.getuser()
    except Exception:  # noqa: BLE001 - no user name is not a reason to refuse to open a file
        return ""


@dataclass(frozen=True)
class LockInfo:
    host: str
    user: str
    pid: int
    time: datetime | None  # when the lock was taken or last refreshed (UTC)
    stale: bool
    token: str = ""
    path: str = ""

    @property
    def local_time_text(self) -> str:
        """"24 พ.ย. 2569 22:01 น." (Buddhist Era, local time), for the message."""
        if self.time is None:
            return "ไม่ทราบเวลา"
        return format_thai_datetime(self.time.astimezone())


class LockedError(DocumentError):
    """The document is open elsewhere; ``info`` says where. The GUI offers read-only or anyway."""

    def __init__(self, info: LockInfo, path: str | None = None):
        self.info = info
        super().__init__("INUSE_STALE" if info.stale else "INUSE", f"{info}", path)

    def __str__(self) -> str:
        info = self.info
        who = info.user or "ผู้ใช้ที่ไม่ทราบชื่อ"
        where = info.host or "เครื่องที่ไม่ทราบชื่อ"
        return self.message.format(user=who, host=where, time=info.local_time_text)


# -- process liveness ----------------------------------------------------------------

def _linux_proc_start(pid: int) -> float | None:
    """Start time of a Linux process (epoch seconds), or None when unknown."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as fh:
            fields = fh.read().rsplit(b")", 1)[1].split()
        state, ticks = fields[0], int(fields[19])
        if state in (b"Z", b"X"):
            return -1.0  # a zombie has already died
        with open("/proc/stat", "rb") as fh:
            btime = next(int(line.split()[1]) for line in fh if line.startswith(b"btime"))
        return btime + ticks / os.sysconf("SC_CLK_TCK")
    except (OSError, ValueError, IndexError, StopIteration):
        return None


def _windows_process(pid: int) -> tuple[bool, float | None]:
    import ctypes
    from ctypes import wintypes

    kernel32 = ctypes.WinDLL("kernel32", use_last_error=True)
    PROCESS_QUERY_LIMITED_INFORMATION = 0x1000
    STILL_ACTIVE = 259
    handle = kernel32.OpenProcess(PROCESS_QUERY_LIMITED_INFORMATION, False, pid)
    if not handle:
        # Access denied means it exists (another user's process); anything else: gone.
        return ctypes.get_last_error() == 5, None
    try:
        code = wintypes.DWORD()
        if kernel32.GetExitCodeProcess(handle, ctypes.byref(code)) and code.value != STILL_ACTIVE:
            return False, None
        created, exited, k, u = (wintypes.FILETIME() for _ in range(4))
        if kernel32.GetProcessTimes(handle, ctypes.byref(created), ctypes.byref(exited), ctypes.byref(k), ctypes.byref(u)):
            ft = (created.dwHighDateTime << 32) | created.dwLowDateTime
            return True, ft / 10_000_000 - 11_644_473_600
        return True, None
    finally:
        kernel32.CloseHandle(handle)


def pid_alive(pid: int, since: datetime | None = None) -> bool:
    """Whether process ``pid`` still runs and (when known) started before ``since``.

    A process that started after the lock was written merely reuses the number of the
    process that wrote it, so the lock is stale.
    """
    if pid <= 0:
        return False
    if pid == os.getpid():
        return True
    started: float | None = None
    if sys.platform == "win32":
        alive, started = _windows_process(pid)
        if not alive:
            return False
    else:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return False
        except PermissionError:
            pass
        if sys.platform.startswith("linux"):
            started = _linux_proc_start(pid)
            if started == -1.0:
                return False
    if started is not None and since is not None and started > since.timestamp() + 2.0:
        return False
    return True


# -- the lock file beside the target ------------------------------------------------

def _open_exclusive(path: Path) -> int:
    """Create ``path`` only if it does not exist. Tests replace this to emulate a read-only stick."""
    return os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o644)


def _hide(path: Path) -> None:
    if sys.platform == "win32":
        with contextlib.suppress(Exception):
            import ctypes

            ctypes.windll.kernel32.SetFileAttributesW(str(path), 0x02)  # FILE_ATTRIBUTE_HIDDEN


def read_lock(target: str | os.PathLike) -> LockInfo | None:
    """The lock beside ``target``, or None when there is none."""
    path = lock_path(target)
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return None
    except OSError:
        return LockInfo("", "", 0, None, stale=False, path=str(path))
    try:
        data = json.loads(raw.decode("utf-8"))
        when = datetime.fromisoformat(data["time"])
        info = dict(host=str(data.get("host", "")), user=str(data.get("user", "")), pid=int(data.get("pid", 0)),
                    time=when, token=str(data.get("token", "")))
    except (ValueError, KeyError, TypeError, UnicodeDecodeError):
        # Half written by a program that died while creating it: nobody can be holding it.
        return LockInfo("", "", 0, None, stale=True, path=str(path))
    return LockInfo(**info, stale=_is_stale(info["host"], info["pid"], when), path=str(path))


def _is_stale(host: str, pid: int, when: datetime) -> bool:
    if host == this_host():
        return not pid_alive(pid, since=when)
    return datetime.now(timezone.utc) - when > STALE_AFTER


def stale_beyond_doubt(info: LockInfo) -> bool:
    """A lock we may take over without asking: ours to judge (same computer) or unreadable."""
    return info.stale and (info.host in ("", this_host()))


class TargetLock:
    """The lock this program holds on one target file."""

    def __init__(self, target: str | os.PathLike):
        self.target = Path(target)
        self.path = lock_path(target)
        self.token = _uuid.uuid4().hex

    def _payload(self) -> bytes:
        return json.dumps(
            {
                "app": "ITA Desk",
                "host": this_host(),
                "user": this_user(),
                "pid": os.getpid(),
                "time": datetime.now(timezone.utc).isoformat(),
                "token": self.token,
            },
            ensure_ascii=False,
        ).encode("utf-8")

    def acquire(self, *, take_over: bool = False) -> None:
        """Take the lock, or raise :class:`LockedError` (or an OSError: read-only or missing stick).

        ``take_over`` is "open anyway": replace whoever's lock is there.
        A lock that is stale beyond doubt is taken over without asking.
        """
        try:
            fd = _open_exclusive(self.path)
        except FileExistsError:
            info = read_lock(self.target)
            if info is not None and not take_over and not stale_beyond_doubt(info):
                if not os.access(self.path.parent, os.W_OK):
                    # Nobody can write here: that is what the officer must hear, not who
                    # (perhaps a program that lost the stick) left a lock.
                    raise PermissionError(errno.EROFS, "folder cannot be written", str(self.path)) from None
                raise LockedError(info, str(self.target)) from None
            self._replace()
        else:
            with release_on_failure() as undo:  # a full stick leaves no empty lock file
                undo.callback(unlink_quietly, self.path)
                try:
                    os.write(fd, self._payload())
                    os.fsync(fd)
                finally:
                    os.close(fd)
            _hide(self.path)
        self._verify()

    def _replace(self) -> None:
        write_atomically(self.path, self._payload())
        _hide(self.path)

    def _verify(self) -> None:
        """Two programs taking over the same stale lock at once: the last writer wins, the other learns it."""
        info = read_lock(self.target)
        if info is None or info.token != self.token:
            if info is None:
                info = LockInfo("", "", 0, None, stale=True)
            raise LockedError(info, str(self.target))

    def held(self) -> bool:
        info = read_lock(self.target)
        return info is not None and info.token == self.token

    def refresh(self) -> None:
        """Renew the time so another computer does not take a long session for a stale lock."""
        if self.held():
            self._replace()

    def release(self) -> None:
        """Remove the lock if it is still ours (after "open anyway" elsewhere it is not)."""
        with contextlib.suppress(OSError):
            if self.held():
                self.path.unlink()


# -- the private lock on a working copy ---------------------------------------------

class OwnerLock:
    """An OS lock on a small file, held while a working copy is in use; released by the OS on death."""

    def __init__(self, path: str | os.PathLike):
        self.path = Path(path)
        self._fd: int | None = None

    def try_acquire(self) -> bool:
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT | getattr(os, "O_BINARY", 0), 0o600)
        try:
            if sys.platform == "win32":
                import msvcrt

                msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
            else:
                import fcntl

                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError as exc:
            os.close(fd)
            if exc.errno in (errno.EACCES, errno.EAGAIN, errno.EWOULDBLOCK, errno.EDEADLK) or isinstance(exc, PermissionError):
                return False
            raise
        self._fd = fd
        return True

    def release(self) -> None:
        if self._fd is None:
            return
        fd, self._fd = self._fd, None
        with contextlib.suppress(OSError):
            if sys.platform == "win32":
                import msvcrt

                os.lseek(fd, 0, os.SEEK_SET)
                msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)
        os.close(fd)

    @property
    def held(self) -> bool:
        return self._fd is not None

