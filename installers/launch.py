"""Entry point of the frozen program: the same ``main`` as ``itadesk`` and ``python -m itadesk``.

Two things only a frozen Windows program needs: the window program (no console) has no
stdout/stderr at all, so a stray print must go nowhere instead of crashing; and a piped or
redirected console (a script, the CI smoke test) would otherwise get the ANSI code page,
in which Thai cannot be written, so pipes get UTF-8.
"""

import os
import sys

from itadesk.__main__ import main


def _usable_streams() -> None:
    for name in ("stdout", "stderr"):
        stream = getattr(sys, name)
        if stream is None:
            setattr(sys, name, open(os.devnull, "w", encoding="utf-8"))
        elif not stream.isatty():
            stream.reconfigure(encoding="utf-8")


if __name__ == "__main__":
    _usable_streams()
    sys.exit(main())
