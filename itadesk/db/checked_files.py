"""Files already checked, known by their content: the same bytes are not checked twice.

:func:`itadesk.db.files.check_connection` reads every row of a file (``quick_check``, types,
every value by the editor's rules): seconds for a district's 200 MB file, on every summary,
merge and open. Its verdict depends only on the bytes and on this program's rules, so the
sha256 of a copy that passed, or of a file a save wrote (from a checked working copy, every
write checked by the same rules, the result ``quick_check``-ed), is noted in the data
folder. A copy with the same sha256, checked by the same rules, is taken as checked; a file
from elsewhere, or changed by one byte, is checked in full.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
from pathlib import Path

from itadesk import __version__

KEEP = 64  # notes kept; the oldest go first


def _rules_stamp() -> str:
    """This program's rules: its version, schema and the checking code itself (a rule changed
    while the version number stayed does not inherit old verdicts)."""
    from itadesk.db import files, results, schema, validate  # noqa: PLC0415 - they import this module lazily
    from itadesk.ita import fields, numbers  # noqa: PLC0415

    h = hashlib.sha256(f"{__version__}:{schema.SCHEMA_VERSION}".encode())
    for module in (files, validate, results, fields, numbers):  # results: how kept results are compared
        with contextlib.suppress(OSError, TypeError):
            h.update(Path(module.__file__).read_bytes())
    return h.hexdigest()[:16]


_STAMP: list[str] = []


def rules_stamp() -> str:
    """:func:`_rules_stamp`, computed once."""
    if not _STAMP:
        _STAMP.append(_rules_stamp())
    return _STAMP[0]


def _note(sha256: str) -> Path | None:
    from itadesk.db.datadir import data_dir  # noqa: PLC0415

    try:
        return data_dir() / "checked" / f"{rules_stamp()}-{sha256}"
    except OSError:
        return None


def is_checked(sha256: str) -> bool:
    note = _note(sha256)
    return note is not None and note.is_file()


def remember(sha256: str) -> None:
    """Note a content as checked; never fails (a read-only data folder only costs time)."""
    note = _note(sha256)
    if note is None:
        return
    with contextlib.suppress(OSError):
        note.parent.mkdir(parents=True, exist_ok=True)
        note.touch()
        notes = sorted(note.parent.iterdir(), key=lambda p: p.stat().st_mtime)
        for old in notes[:-KEEP]:
            os.unlink(old)
