"""``itadesk`` and ``python -m itadesk``: a known command runs the CLI, anything else opens the window."""

from __future__ import annotations

import sys


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    from itadesk import cli

    if argv and argv[0] in cli.COMMANDS:
        return cli.main(argv)
    try:
        from itadesk.ui.app import run
    except ImportError as exc:
        if "itadesk.ui.app" not in str(exc):
            raise
        return cli.main(argv or ["--help"])
    return run(argv)


if __name__ == "__main__":
    sys.exit(main())
