"""Documents for the tests: a small realistic file, and the corpus of bad files."""

from __future__ import annotations

import os
import random
import re
import shutil
import sqlite3
import struct
import zlib
from datetime import date
from pathlib import Path

from itadesk.db.files import connect, new_document
from itadesk.db.schema import APPLICATION_ID, MIGRATIONS
from itadesk.db.store import Store
from itadesk.ita.model import Action, Organization


def fill(store: Store, *, name: str = "องค์การบริหารส่วนตำบลเชียงพิณ", province: str = "อุดรธานี",
         year: int = 2568, actions: int = 3, seed: int = 1) -> tuple[Organization, str]:
    """One organization with one assessment, ten indicator scores, texts and a small plan."""
    rng = random.Random(seed)
    org = store.save_organization(Organization(name=name, kind="อบต.", district="เมืองอุดรธานี", province=province))
    a = store.ensure_assessment(org.uuid, year)
    for number in range(1, 11):
        store.set_indicator_score(a, number, round(rng.uniform(60, 100), 2))
    store.set_item_score(a, "o1", 0, 100.0)
    store.set_recommendation(a, "IIT", "ควรเปิดเผยข้อมูลการใช้งบประมาณให้บุคลากรทราบ")
    store.set_analysis(a, 1, "บุคลากรส่วนใหญ่ปฏิบัติงานตามหน้าที่อย่างซื่อสัตย์")
    for i in range(actions):
        store.save_action(a, Action(indicator=(i % 10) + 1, measure=f"มาตรการที่ {i + 1}", owner="สำนักปลัด",
                                    start=date(2025, 10, 1), end=date(2026, 9, 30)))
    return org, a


def version_1_file(path: Path, **kwargs) -> Path:
    """A file as version 1 of the program wrote it (no row_versions, no conflicts), filled by
    today's store: the columns later versions added are there while it fills and dropped after."""
    added = [m.groups() for version, statements in MIGRATIONS.items() if version > 1 for s in statements
             if (m := re.match(r"ALTER TABLE (\w+) ADD COLUMN (\w+)", s))]
    conn = sqlite3.connect(path, isolation_level=None)
    for statement in MIGRATIONS[1] + [s for version, ss in MIGRATIONS.items() if version > 1 for s in ss
                                      if re.match(r"ALTER TABLE \w+ ADD COLUMN", s)]:
        conn.execute(statement)
    conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
    conn.execute("PRAGMA user_version = 1")
    conn.close()
    conn = connect(path)
    fill(Store(conn), **kwargs)
    conn.close()
    conn = sqlite3.connect(path, isolation_level=None)
    for table, column in added:
        conn.execute(f"ALTER TABLE {table} DROP COLUMN {column}")
    conn.close()
    return path


def make_good_file(path: Path, **kwargs) -> Path:
    new_document(path)
    conn = connect(path)
    try:
        fill(Store(conn), **kwargs)
    finally:
        conn.close()
    return path


def _png() -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    raw = b"\x00\xff\x00\x00" * 1
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))


def _edit_raw(path: Path, *statements: str, writable_schema: bool = False) -> None:
    conn = sqlite3.connect(path, isolation_level=None)
    try:
        if writable_schema:
            conn.execute("PRAGMA writable_schema = ON")
        for statement in statements:
            conn.execute(statement)
    finally:
        conn.close()


def _page_size(path: Path) -> int:
    with open(path, "rb") as fh:
        fh.seek(16)
        size = struct.unpack(">H", fh.read(2))[0]
    return 65536 if size == 1 else size


# name -> what opening must give: a DocumentError kind, or "readonly".
EXPECTED = {
    "empty.db": "EMPTY",
    "random.db": "NOTADB",
    "picture.png.db": "NOTADB",
    "spreadsheet.csv.db": "NOTADB",
    "header-only.db": {"CORRUPT", "NOTADB"},
    "truncated-half.db": "CORRUPT",
    "truncated-odd.db": "CORRUPT",
    "zeroed-pages.db": {"CORRUPT", "NOTADB"},
    "garbage-page.db": {"CORRUPT", "NOTADB"},
    "other-program.db": "FOREIGN",
    "wrong-application-id.db": "FOREIGN",
    "no-version.db": "FOREIGN",
    "newer-version.db": "NEWER",
    "trigger.db": "CRAFTED",
    "view.db": "CRAFTED",
    "extra-table.db": "CRAFTED",
    "altered-check.db": "CRAFTED",
    "text-as-score.db": {"CRAFTED", "CORRUPT"},
    "huge-cell.db": "TOOBIG",
    "bad-utf8.db": "CORRUPT",
    "orphan-rows.db": "CORRUPT",
    "broken-schema-sql.db": "CORRUPT",
    "folder.db": "CANTOPEN",
    # Complete only with the file beside it: opens for writing, read together with it.
    "hot-journal.db": "with-sidecar",
    "wal.db": "with-sidecar",
}
HOT_MARK, WAL_MARK = "แก้ไขค้าง", "บันทึกใน WAL"
# What a reader must see in each of those: the rolled-back text, the WAL's committed text.
SIDECAR_MARK = {"hot-journal.db": (HOT_MARK, False), "wal.db": (WAL_MARK, True)}


def leave_hot_journal(path: Path, source: Path | None = None) -> Path:
    """``path`` (made from ``source``, default itself) as a program leaves it when it dies
    mid-transaction: half-written (pages already spilled), with the hot journal that rolls it back."""
    live = path.with_name(".live-" + path.name)
    shutil.copyfile(source or path, live)
    conn = sqlite3.connect(live, isolation_level=None)
    conn.execute("PRAGMA cache_size = 1")
    conn.execute("BEGIN")
    conn.execute(f"UPDATE actions SET measure = measure || ' {HOT_MARK}', steps = hex(randomblob(2000))")
    shutil.copyfile(live, path)
    shutil.copyfile(f"{live}-journal", f"{path}-journal")
    conn.execute("ROLLBACK")
    conn.close()
    live.unlink()
    assert Path(f"{path}-journal").stat().st_size > 0
    return path


def leave_in_wal(path: Path, source: Path | None = None) -> Path:
    """``path`` (made from ``source``, default itself) left in WAL mode by another program:
    its last committed edit is only in ``-wal``."""
    live = path.with_name(".live-" + path.name)
    shutil.copyfile(source or path, live)
    conn = sqlite3.connect(live, isolation_level=None)
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("PRAGMA wal_autocheckpoint = 0")
    conn.execute(f"UPDATE actions SET measure = measure || ' {WAL_MARK}'")
    for suffix in ("", "-wal", "-shm"):
        shutil.copyfile(f"{live}{suffix}", f"{path}{suffix}")
    conn.close()
    for suffix in ("", "-wal", "-shm"):
        Path(f"{live}{suffix}").unlink(missing_ok=True)
    assert Path(f"{path}-wal").stat().st_size > 0
    return path


def make_corpus(folder: Path) -> dict[str, Path]:
    """Write every bad file of :data:`EXPECTED` into ``folder``; returns name -> path."""
    folder.mkdir(parents=True, exist_ok=True)
    rng = random.Random(20250101)
    good = make_good_file(folder / ".good-template", actions=40)
    data = good.read_bytes()
    page = _page_size(good)
    out: dict[str, Path] = {}

    def write(name: str, content: bytes) -> None:
        (folder / name).write_bytes(content)
        out[name] = folder / name

    def copy(name: str) -> Path:
        shutil.copyfile(good, folder / name)
        out[name] = folder / name
        return folder / name

    write("empty.db", b"")
    write("random.db", bytes(rng.randrange(256) for _ in range(8192)))
    write("picture.png.db", _png())
    write("spreadsheet.csv.db", "หน่วยงาน,ปี,คะแนน\nอบต.เชียงพิณ,2568,88.5\n".encode("utf-8"))
    write("header-only.db", b"SQLite format 3\x00" + bytes(1008))
    write("truncated-half.db", data[: (len(data) // page // 2) * page])
    write("truncated-odd.db", data[: len(data) - 1000])
    zeroed = bytearray(data)
    for n in range(1, len(data) // page, 2):
        zeroed[n * page:(n + 1) * page] = bytes(page)
    write("zeroed-pages.db", bytes(zeroed))
    garbage = bytearray(data)
    garbage[page:2 * page] = bytes(rng.randrange(256) for _ in range(page))
    write("garbage-page.db", bytes(garbage))

    other = folder / "other-program.db"
    _edit_raw(other, "CREATE TABLE moz_places (id INTEGER PRIMARY KEY, url TEXT)",
              "INSERT INTO moz_places(url) VALUES ('https://example.org')")
    out[other.name] = other
    _edit_raw(copy("wrong-application-id.db"), "PRAGMA application_id = 1196444487")  # GeoPackage "GPKG"
    _edit_raw(copy("no-version.db"), "PRAGMA user_version = 0")
    _edit_raw(copy("newer-version.db"), "PRAGMA user_version = 99")
    _edit_raw(copy("trigger.db"),
              "CREATE TRIGGER wipe AFTER INSERT ON indicator_scores BEGIN DELETE FROM organizations; END")
    _edit_raw(copy("view.db"), "CREATE VIEW organizations_v AS SELECT * FROM organizations")
    _edit_raw(copy("extra-table.db"), "CREATE TABLE payload (x TEXT)")
    # Same table name, looser constraint: written by someone else's tool, not by us.
    _edit_raw(copy("altered-check.db"),
              "UPDATE sqlite_master SET sql = replace(sql, 'score BETWEEN 0 AND 100', 'score BETWEEN 0 AND 1000') "
              "WHERE name = 'indicator_scores'", writable_schema=True)
    _edit_raw(copy("text-as-score.db"), "PRAGMA ignore_check_constraints = ON",
              "UPDATE indicator_scores SET score = 'เก้าสิบ' WHERE indicator = 1")
    big = copy("huge-cell.db")
    conn = sqlite3.connect(big, isolation_level=None)
    conn.execute("UPDATE recommendations SET text = ? WHERE tool = 'IIT'", ("ก" * (3 * 1024 * 1024),))
    conn.close()
    _edit_raw(copy("bad-utf8.db"), "UPDATE analyses SET text = CAST(X'C3FFFE41' AS TEXT)")
    _edit_raw(copy("orphan-rows.db"), "PRAGMA foreign_keys = OFF",
              "UPDATE assessments SET org_uuid = 'no-such-organization'")
    _edit_raw(copy("broken-schema-sql.db"),
              "UPDATE sqlite_master SET sql = 'CREATE TABLE units (uuid TEXT PRIMARY KEY, name TEXT NOT NULL UNIQUE' "
              "WHERE name = 'units'", writable_schema=True)
    (folder / "folder.db").mkdir(exist_ok=True)
    out["folder.db"] = folder / "folder.db"

    out["hot-journal.db"] = leave_hot_journal(folder / "hot-journal.db", good)
    out["wal.db"] = leave_in_wal(folder / "wal.db", good)
    good.unlink()
    assert set(out) == set(EXPECTED), set(EXPECTED) ^ set(out)
    return out


def tree_state(folder: Path) -> dict[str, str]:
    """Name -> sha256 of every file under ``folder`` (and "<dir>" for folders)."""
    import hashlib

    state = {}
    for root, dirs, files in os.walk(folder):
        for d in dirs:
            state[os.path.relpath(os.path.join(root, d), folder)] = "<dir>"
        for f in files:
            p = os.path.join(root, f)
            state[os.path.relpath(p, folder)] = hashlib.sha256(Path(p).read_bytes()).hexdigest()
    return state


__all__ = ["EXPECTED", "HOT_MARK", "SIDECAR_MARK", "WAL_MARK", "leave_hot_journal", "leave_in_wal", "fill", "make_corpus", "make_good_file", "tree_state"]
