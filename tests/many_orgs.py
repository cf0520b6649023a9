"""A district's or province's file for the tests: organizations × years from bench/generate_orgs.py,
imported through the program's own import (``edit_file`` + ``import_entries``), as an officer's
``itadesk import`` would."""

from __future__ import annotations

import json
import sys
from pathlib import Path

BENCH = Path(__file__).resolve().parents[1] / "bench"


def generated_entries(orgs: int, first: int = 2563, last: int = 2568, seed: int = 2568) -> list[dict]:
    sys.path.insert(0, str(BENCH))
    try:
        from generate_orgs import generate
    finally:
        sys.path.remove(str(BENCH))
    return generate(orgs, first, last, seed)


def import_dicts(target: Path, entries: list[dict], folder: Path) -> Path:
    """Write ``entries`` as interchange JSON and import them into ``target`` (created)."""
    from itadesk.db.access import edit_file
    from itadesk.interchange.sources import read_sources

    source = folder / f"{target.stem}.json"
    source.write_text(json.dumps(entries, ensure_ascii=False), encoding="utf-8")
    batch = read_sources([source])
    assert not batch.problems, batch.problems
    with edit_file(target, create=True) as doc:
        doc.import_entries(batch.entries)
    source.unlink()
    return target


def many_orgs_file(folder: Path, orgs: int = 300, first: int = 2563, last: int = 2568) -> Path:
    return import_dicts(folder / f"orgs{orgs}.db", generated_entries(orgs, first, last), folder)
