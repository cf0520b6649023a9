"""``itadesk`` and ``python -m itadesk``: a known command runs the CLI, anything else opens the window.

A first word that cannot be a document (no extension, no folder, no such file) is taken as
a mistyped command and answered in Thai by the CLI, instead of a window that fails to open a
file called "sumary". Nothing on the command-line path imports Qt, so a server or a
terminal without a display never sees Qt's English start-up errors.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path


def looks_like_command(word: str) -> bool:
    """True for a bare word such as ``sumary``; False for anything that may name a file."""
    if word.startswith("-") or os.path.exists(word):
        return False
    return "/" not in word and "\\" not in word and not Path(word).suffix


def display_available() -> bool:
    """Whether Qt can open a window here: always on Windows and macOS; on Linux a display or a
    chosen Qt platform (offscreen in the tests) is needed."""
    if sys.platform in ("win32", "darwin"):
        return True
    return any(os.environ.get(name) for name in ("QT_QPA_PLATFORM", "DISPLAY", "WAYLAND_DISPLAY"))


NO_DISPLAY = ("itadesk: ไม่พบหน้าจอสำหรับเปิดหน้าต่างโปรแกรม (เครื่องนี้ไม่มี DISPLAY) "
              "ใช้คำสั่งทางบรรทัดคำสั่งแทน เช่น itadesk summary ไฟล์.itadesk (ดูวิธีใช้: itadesk --help)")


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    from itadesk import cli

    if argv and (argv[0] in cli.COMMANDS or looks_like_command(argv[0])):
        return cli.main(argv)
    if not display_available():
        print(NO_DISPLAY, file=sys.stderr)
        return 1
    try:
        from itadesk.ui.app import run
    except ImportError as exc:
        if "itadesk.ui.app" not in str(exc):
            raise
        return cli.main(argv or ["--help"])
    return run(argv)


if __name__ == "__main__":
    sys.exit(main())
