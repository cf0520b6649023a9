"""A file of an older version opened twice without saving is upgraded once: the second opening
takes the upgraded copy kept in the data folder, and the file on the stick stays untouched
until the officer saves. Other bytes (the file changed, or saved) are upgraded afresh."""

from __future__ import annotations

import os
import shutil
import sqlite3
from pathlib import Path

import pytest

from itadesk.db import upgraded_copies
from itadesk.db.access import read_file
from itadesk.db.document import Document
from itadesk.db.files import sha256_file
from itadesk.db.schema import SCHEMA_VERSION

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"


def user_version(path: Path) -> int:
    conn = sqlite3.connect(path)
    try:
        return conn.execute("PRAGMA user_version").fetchone()[0]
    finally:
        conn.close()


def kept_upgrades() -> list[Path]:
    folder = upgraded_copies._folder()  # noqa: SLF001 - where the data folder keeps them
    return sorted(folder.glob("*.db")) if folder.is_dir() else []


def mark(path: Path) -> None:
    """Write a meta row into a kept upgrade: whoever opens from it shows it."""
    conn = sqlite3.connect(path)
    conn.execute("INSERT INTO meta(key, value) VALUES ('upgrade_mark', 'kept')")
    conn.commit()
    conn.close()


def marked(doc) -> bool:
    return doc._store.get_meta("upgrade_mark") == "kept"  # noqa: SLF001


@pytest.fixture(params=["v2.db", "v4.db", "v6-old-note.db"])
def old(request, tmp_path) -> Path:
    path = tmp_path / "stick" / request.param
    path.parent.mkdir()
    shutil.copyfile(FIXTURES / request.param, path)
    assert user_version(path) < SCHEMA_VERSION
    return path


def test_a_second_opening_takes_the_upgraded_copy_and_the_stick_is_untouched(old):
    before = old.read_bytes()
    first = Document.open(old)
    organizations = [o.name for o in first.organizations()]
    first.close()
    assert old.read_bytes() == before
    [kept] = kept_upgrades()
    assert sha256_file(old) in kept.name and user_version(kept) == SCHEMA_VERSION
    mark(kept)
    second = Document.open(old)
    try:
        assert marked(second)  # from the kept upgrade, not migrated again
        assert [o.name for o in second.organizations()] == organizations
        assert not second.dirty
    finally:
        second.close()
    with read_file(old) as doc:  # the command line reads it the same way
        assert [o.name for o in doc.organizations()] == organizations
    assert old.read_bytes() == before


def test_other_bytes_are_upgraded_afresh_and_a_save_writes_todays_version(old, tmp_path):
    Document.open(old).close()
    [kept] = kept_upgrades()
    mark(kept)
    changed = tmp_path / "changed.db"
    shutil.copyfile(old, changed)
    conn = sqlite3.connect(changed)
    conn.execute("UPDATE organizations SET district = district || ' ' WHERE rowid = (SELECT MIN(rowid) FROM organizations)")
    conn.commit()
    conn.close()
    other = Document.open(changed)
    try:
        assert not marked(other)  # its own bytes: checked and migrated
        other.save()
    finally:
        other.close()
    assert user_version(changed) == SCHEMA_VERSION
    again = Document.open(changed)  # today's version now: nothing to upgrade
    try:
        assert not marked(again)
    finally:
        again.close()


def test_only_the_last_few_upgrades_are_kept(tmp_path):
    for n, name in enumerate(["v2.db", "v4.db", "v6-old-note.db"]):
        path = tmp_path / f"{n}.db"
        shutil.copyfile(FIXTURES / name, path)
        Document.open(path, readonly=True).close()
    assert len(kept_upgrades()) == upgraded_copies.KEEP


@pytest.mark.parametrize("damage", ["cut in half", "empty"])
def test_a_damaged_kept_upgrade_is_dropped_and_the_intact_file_opens(old, damage):
    """A kept upgrade cut short (the computer switched off while it was written, no fsync) must
    not make the officer's intact file look damaged ("use the .bak") or unopenable: it is
    thrown away and the file is checked and migrated afresh."""
    first = Document.open(old)
    organizations = [o.name for o in first.organizations()]
    first.close()
    [kept] = kept_upgrades()
    with open(kept, "r+b") as fh:
        fh.truncate(kept.stat().st_size // 2 if damage == "cut in half" else 0)
    second = Document.open(old)
    try:
        assert [o.name for o in second.organizations()] == organizations
    finally:
        second.close()
    [kept] = kept_upgrades()  # kept again, whole
    assert user_version(kept) == SCHEMA_VERSION
    with open(kept, "r+b") as fh:
        fh.truncate(kept.stat().st_size // 2)
    with read_file(old) as doc:  # the command line too
        assert [o.name for o in doc.organizations()] == organizations


def test_a_copy_left_half_made_by_a_stopped_program_is_removed(old):
    """A program stopped while it copied an upgrade leaves a temp file as large as the file;
    the next upgrade kept removes it (not one another program is copying right now)."""
    folder = upgraded_copies._folder()  # noqa: SLF001 - where the data folder keeps them
    folder.mkdir(parents=True, exist_ok=True)
    left, now = folder / "0123abcd-ffff.4242.db-tmp", folder / "0123abcd-eeee.4343.db-tmp"
    for path in (left, now):
        path.write_bytes(b"\0" * 4096)
    hours_ago = left.stat().st_mtime - 2 * 3600
    os.utime(left, (hours_ago, hours_ago))
    Document.open(old).close()
    assert not left.exists() and now.exists()
    assert len(kept_upgrades()) == 1
