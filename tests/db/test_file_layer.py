"""The file layer under attack (issue 9, file-level classes): foreign -journal and -wal files,
long Thai names, links planted at temp names, failures after the lock, leftovers, messages.

Everything runs on real files on disk; where nothing may change, hashes are compared.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from itadesk import cli
from itadesk.db import tempfiles
from itadesk.db.document import Document
from itadesk.db.errors import MESSAGES, DocumentError
from itadesk.db.files import bak_path, read_snapshot
from itadesk.db.lock import lock_path, read_lock
from itadesk.db.store import Store
from itadesk.db.versions import content_digest

from . import save_steps
from .conftest import ROOT, remount
from .samples import HOT_MARK as MARK
from .samples import WAL_MARK, leave_hot_journal, leave_in_wal, make_good_file

SIDECARS = ("-journal", "-wal", "-shm")


def sha(path: Path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def digest_of(path: Path) -> str:
    with read_snapshot(path) as conn:
        return content_digest(conn)


def measures(path: Path) -> list[str]:
    with read_snapshot(path) as conn:
        return [r[0] for r in conn.execute("SELECT measure FROM actions")]


def sidecars_of(path: Path) -> list[str]:
    return [s for s in SIDECARS if Path(f"{path}{s}").exists()]


def run_cli(*args, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "itadesk", *map(str, args)], capture_output=True, text=True,
                          cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT), **(env or {})})


def other_office(folder: Path) -> Path:
    return make_good_file(folder / "other.db", name="เทศบาลตำบลหนองแสง", seed=7)


def our_file(folder: Path) -> Path:
    """A good file of an office that neither the reference JSON nor :func:`other_office` holds."""
    return make_good_file(folder / "ita.db", name="เทศบาลตำบลบ้านดุง", seed=3)


def org_names(path: Path) -> set[str]:
    with read_snapshot(path) as conn:
        return {r[0] for r in conn.execute("SELECT name FROM organizations")}


def raw_integrity(path: Path) -> str:
    """What any SQLite program sees opening the file in place (with whatever lies beside it)."""
    conn = sqlite3.connect(path)
    try:
        return conn.execute("PRAGMA integrity_check").fetchone()[0]
    finally:
        conn.close()


# -- 1. a stale -journal beside the target ----------------------------------------------

@pytest.mark.parametrize("command", ["import", "merge"])
def test_cli_write_over_a_file_with_a_hot_journal(stick, tmp_path, reference_json, command):
    target = our_file(stick)
    rolled_back = digest_of(target)
    leave_hot_journal(target)
    assert all(MARK not in m for m in measures(target))  # read rolled back, not half-written
    source = reference_json if command == "import" else other_office(tmp_path)
    proc = run_cli(command, target, source)
    assert proc.returncode == 0, proc.stderr
    assert sidecars_of(target) == [] and raw_integrity(target) == "ok"
    assert all(MARK not in m for m in measures(target)) and len(org_names(target)) == 2
    assert digest_of(bak_path(target)) == rolled_back  # the .bak holds the real old content
    assert raw_integrity(bak_path(target)) == "ok"


def test_save_over_a_file_with_a_hot_journal(sample):
    rolled_back = digest_of(sample)
    leave_hot_journal(sample)
    doc = Document.open(sample)
    assert not doc.readonly
    assert all(MARK not in r[0] for r in doc._conn.execute("SELECT measure FROM actions"))
    doc._store.set_meta("typed", "1")
    doc.save()
    doc.close()
    assert sidecars_of(sample) == [] and raw_integrity(sample) == "ok"
    assert digest_of(bak_path(sample)) == rolled_back
    with read_snapshot(sample) as conn:
        assert Store(conn).get_meta("typed") == "1"


def test_a_foreign_journal_beside_a_new_target_or_its_bak_is_removed_before_the_rename(stick, tmp_path):
    donor = make_good_file(tmp_path / "donor.db", name="เทศบาลเมืองอื่น")
    leave_hot_journal(donor)
    journal = Path(f"{donor}-journal").read_bytes()
    Path(f"{stick / 'new.db'}-journal").write_bytes(journal)
    doc = Document.new()
    doc._store.set_meta("mine", "1")
    doc.save_as(stick / "new.db")
    assert sidecars_of(stick / "new.db") == [] and raw_integrity(stick / "new.db") == "ok"
    first = digest_of(stick / "new.db")
    Path(f"{bak_path(stick / 'new.db')}-journal").write_bytes(journal)
    doc._store.set_meta("mine", "2")
    doc.save()
    doc.close()
    assert sidecars_of(bak_path(stick / "new.db")) == [] and raw_integrity(bak_path(stick / "new.db")) == "ok"
    assert digest_of(bak_path(stick / "new.db")) == first


def test_a_journal_that_damages_the_file_is_refused_and_nothing_is_touched(stick, tmp_path, reference_json):
    """A journal from another file: the content read with it is damaged, so nothing is written."""
    target = make_good_file(stick / "ita.db")
    donor = make_good_file(tmp_path / "donor.db", actions=40)
    leave_hot_journal(donor)
    shutil.copyfile(f"{donor}-journal", f"{target}-journal")
    before = {p.name: sha(p) for p in stick.iterdir()}
    for args in (("import", target, reference_json), ("merge", target, other_office(tmp_path))):
        proc = run_cli(*args)
        assert proc.returncode == 2 and "Traceback" not in proc.stderr, proc.stderr
        assert f"{target}: {MESSAGES['CORRUPT']}" in proc.stderr
        assert {p.name: sha(p) for p in stick.iterdir()} == before


# -- 2. a stale -wal beside the target ---------------------------------------------------

def test_open_reads_the_wal_and_save_leaves_none(sample):
    leave_in_wal(sample)
    doc = Document.open(sample)
    assert all(WAL_MARK in r[0] for r in doc._conn.execute("SELECT measure FROM actions"))
    doc._store.set_meta("typed", "1")
    doc.save()
    doc.close()
    assert sidecars_of(sample) == [] and raw_integrity(sample) == "ok"
    assert all(WAL_MARK in m for m in measures(sample))
    assert all(WAL_MARK in m for m in measures(bak_path(sample)))


@pytest.mark.parametrize("command", ["import", "merge"])
def test_cli_write_keeps_the_wal_edits_and_leaves_no_wal(stick, tmp_path, reference_json, command):
    target = our_file(stick)
    leave_in_wal(target)
    source = reference_json if command == "import" else other_office(tmp_path)
    proc = run_cli(command, target, source)
    assert proc.returncode == 0, proc.stderr
    assert sidecars_of(target) == [] and raw_integrity(target) == "ok"
    assert sum(WAL_MARK in m for m in measures(target)) == 3 and len(org_names(target)) == 2


def test_merge_and_summary_read_a_source_in_wal_mode_without_touching_it(stick, tmp_path):
    target = make_good_file(stick / "ita.db")
    source = other_office(tmp_path)
    leave_in_wal(source)
    before = {p.name: sha(p) for p in tmp_path.iterdir() if p.is_file()}
    summary = run_cli("summary", source, "--json")
    assert summary.returncode == 0, summary.stderr
    proc = run_cli("merge", target, source)
    assert proc.returncode == 0, proc.stderr
    assert any(WAL_MARK in m for m in measures(target))
    assert {p.name: sha(p) for p in tmp_path.iterdir() if p.is_file()} == before


# -- 7. long Thai names ------------------------------------------------------------------

def name_of(size: int, suffix: str = ".db") -> str:
    """A Thai file name of exactly ``size`` bytes of UTF-8 (about 77-84 letters)."""
    letters, rest = divmod(size - len(suffix), 3)
    name = "ก" * letters + "x" * rest + suffix
    assert len(os.fsencode(name)) == size
    return name


@pytest.mark.parametrize("size", [232, 247, 255])
def test_long_thai_names_work_everywhere(stick, tmp_path, reference_json, size):
    target = stick / name_of(size)
    seen: set[str] = set()

    def look(step: str) -> None:
        seen.update(os.listdir(stick))

    with save_steps.watching(look):
        assert cli.main(["import", str(target), str(reference_json)]) == 0
        source = stick / name_of(size - 3, ".db")
        shutil.copyfile(other_office(tmp_path), source)
        assert cli.main(["merge", str(target), str(source)]) in (0, 1)
        doc = Document.open(target)
        seen.update(os.listdir(stick))  # the lock
        doc._store.set_meta("typed", "1")
        doc.save()
        doc._store.set_meta("typed", "2")
        doc.save()
        assert len(doc.backups()) == 2
        doc.close()
        out = stick / name_of(size, ".json")
        assert cli.main(["export", str(target), "--org", "อบต.เชียงพิณ", "--year", "2568", "-o", str(out)]) == 0
    seen.update(os.listdir(stick))
    assert all(len(os.fsencode(n)) <= 255 for n in seen), max(seen, key=lambda n: len(os.fsencode(n)))
    assert any(n.endswith(".saving") for n in seen) and any(n.endswith(".bak-saving") for n in seen)
    assert lock_path(target).name in seen
    assert sorted(os.listdir(stick)) == sorted([target.name, bak_path(target).name, source.name, out.name])
    assert json.loads(out.read_text(encoding="utf-8"))["fiscal_year"] == 2568
    assert bak_path(target).name.endswith(".bak") and digest_of(bak_path(target))


def test_fitted_names_keep_the_start_and_differ_by_a_hash():
    a, b = name_of(255)[:-4] + "ก.db", name_of(255)[:-4] + "ข.db"
    fa, fb = (tempfiles.fit_name(n, ".~lock.", "#") for n in (a, b))
    assert fa != fb and len(os.fsencode(fa)) <= 255 and fa.startswith(".~lock.ก") and fa.endswith("#")
    assert tempfiles.fit_name("ita.db", ".~lock.", "#") == ".~lock.ita.db#"


# -- 8. temp files: exclusive, never through a link ------------------------------------------

def test_export_does_not_follow_a_link_planted_at_the_old_temp_name(stick, tmp_path, sample):
    victim = tmp_path / "victim.txt"
    victim.write_text("เอกสารสำคัญ", encoding="utf-8")
    before = sha(victim)
    out = stick / "out.json"
    (stick / ".out.json.tmp").symlink_to(victim)
    assert cli.main(["export", str(sample), "--org", "อบต.เชียงพิณ", "--year", "2568", "-o", str(out)]) == 0
    assert sha(victim) == before and json.loads(out.read_text(encoding="utf-8"))["fiscal_year"] == 2568


def test_save_and_lock_never_write_through_a_link_at_the_name_they_pick(sample, tmp_path, monkeypatch):
    """Links planted at exactly the temp names the save and the lock would pick first."""
    victim = tmp_path / "victim.db"
    victim.write_bytes(b"precious")
    names = iter(["deadbeef"] * 3 + [f"{n:08x}" for n in range(1000)])
    monkeypatch.setattr(tempfiles.secrets, "token_hex", lambda n: next(names))
    for owner, kind in ((sample, "saving"), (sample, "bak-saving"), (lock_path(sample), "tmp")):
        start, end = tempfiles._temp_stem(owner, kind)
        (sample.parent / f"{start}{os.getpid()}-deadbeef{end}").symlink_to(victim)
    doc = Document.open(sample)
    doc.refresh_lock()  # rewrites the lock through a temp file
    doc._store.set_meta("typed", "1")
    doc.save()
    doc.close()
    assert victim.read_bytes() == b"precious"
    with read_snapshot(sample) as conn:
        assert Store(conn).get_meta("typed") == "1"


# -- 9. a failed open releases what it took ----------------------------------------------

def _damage_page(path: Path) -> None:
    data = bytearray(path.read_bytes())
    data[4096 * 2:4096 * 3] = b"\xff" * 4096
    path.write_bytes(bytes(data))


def _meta_not_a_number(path: Path) -> None:
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("UPDATE meta SET value = 'ไม่ใช่ตัวเลข' WHERE key = 'edit_count'")
    conn.execute("INSERT OR IGNORE INTO meta(key, value) VALUES ('edit_count', 'ไม่ใช่ตัวเลข')")
    conn.close()


@pytest.mark.parametrize("damage", [_damage_page, _meta_not_a_number])
def test_a_failed_open_releases_the_lock_and_everything_else(sample, data_dir, damage):
    damage(sample)
    before = sha(sample)
    with pytest.raises((DocumentError, ValueError)):
        Document.open(sample)
    assert read_lock(sample) is None and not lock_path(sample).exists()
    assert sha(sample) == before and sorted(os.listdir(sample.parent)) == ["ita.db"]
    assert list((data_dir / "working").glob("*")) == []


def test_a_failed_open_after_the_lock_on_a_full_local_disk_releases_it(tmpfs, sample, monkeypatch):
    local = tmpfs("64k")
    monkeypatch.setenv("ITADESK_DATA_DIR", str(local))
    before = sha(sample)
    with pytest.raises(DocumentError) as info:
        Document.open(sample)
    assert info.value.kind == "FULL"
    assert not lock_path(sample).exists() and sha(sample) == before
    assert list((local / "working").glob("*")) == []


# -- 11. leftovers -------------------------------------------------------------------------

def _dead_pid() -> int:
    proc = subprocess.Popen([sys.executable, "-c", "pass"])
    proc.wait()
    return proc.pid


def test_a_killed_cli_write_leaves_nothing_the_next_run_does_not_remove(stick, tmp_path, reference_json):
    tmp = tmp_path / "tmp"
    tmp.mkdir()
    dead, alive = _dead_pid(), os.getpid()
    for pid in (dead, alive):
        folder = tmp / f"itadesk-edit-{pid}-abcd1234"
        folder.mkdir()
        (folder / "work.db").write_bytes(b"x" * 4096)
    target = make_good_file(stick / "ita.db")
    start, end = tempfiles._temp_stem(target, "saving")
    (stick / f"{start}{dead}-00000000{end}").write_bytes(b"half a save")
    proc = run_cli("import", target, reference_json, env={"TMPDIR": str(tmp)})
    assert proc.returncode == 0, proc.stderr
    assert sorted(os.listdir(tmp)) == [f"itadesk-edit-{alive}-abcd1234"]  # only a running process's
    assert sorted(os.listdir(stick)) == ["ita.db", "ita.db.bak"]


def _fill(folder: Path) -> None:
    with open(folder / "filler", "wb", buffering=0) as fh:
        for size in (1 << 16, 4096, 512, 1):
            try:
                while True:
                    fh.write(b"\0" * size)
            except OSError:
                pass
    assert os.statvfs(folder).f_bavail == 0


def test_a_full_stick_is_left_without_an_empty_lock_or_temp_file(tmpfs, reference_json):
    stick = tmpfs("1m")
    target = make_good_file(stick / "ita.db")
    _fill(stick)
    before = {p.name: sha(p) for p in stick.iterdir()}
    proc = run_cli("import", target, reference_json)
    assert proc.returncode == 2 and MESSAGES["FULL"] in proc.stderr, proc.stderr
    assert {p.name: sha(p) for p in stick.iterdir()} == before
    doc = Document.open(target)  # a full stick opens; the lock could not be written and is not there
    assert not lock_path(target).exists()
    doc._store.set_meta("typed", "1")
    with pytest.raises(DocumentError) as info:
        doc.save()
    assert info.value.kind == "FULL"
    doc.close()
    assert {p.name: sha(p) for p in stick.iterdir()} == before


# -- 12. messages ----------------------------------------------------------------------------

def test_damaged_file_messages_name_the_officers_file(stick, tmp_path):
    bad = make_good_file(stick / "เสีย.db")
    _damage_page(bad)
    header_only = stick / "หัวเปล่า.db"
    header_only.write_bytes(b"SQLite format 3\x00" + bytes(1008))
    good = make_good_file(tmp_path / "good.db")
    for path in (bad, header_only):
        for args in (("check", path), ("summary", path), ("merge", good, path)):
            proc = run_cli(*args)
            assert proc.returncode == 2 and "Traceback" not in proc.stderr
            assert str(path) in proc.stderr or path.name in proc.stderr, proc.stderr
            assert "snapshot.db" not in proc.stderr and "itadesk-read-" not in proc.stderr, proc.stderr


def test_check_names_the_file(sample):
    proc = run_cli("check", sample)
    assert proc.returncode in (0, 1) and sample.name in proc.stdout.splitlines()[-1]


def test_report_to_a_read_only_stick_says_so_in_thai(tmpfs, sample):
    stick = tmpfs("1m")
    remount(stick, "ro")
    proc = run_cli("report", sample, "--org", "อบต.เชียงพิณ", "--year", "2568", "-o", stick / "รายงาน.pdf")
    assert proc.returncode == 1
    message = proc.stderr.strip().replace(str(stick / "รายงาน.pdf"), "").replace("รายงาน.pdf", "")
    assert message.startswith("itadesk: ") and "อ่านได้อย่างเดียว" in message
    assert re.findall(r"[A-Za-z]{3,}", message.removeprefix("itadesk: ")) == [], message


def test_a_stick_turned_read_only_says_read_only_not_in_use(tmpfs, reference_json):
    stick = tmpfs("2m")
    target = make_good_file(stick / "ita.db")
    doc = Document.open(target)  # this program holds the lock
    doc._store.set_meta("typed", "1")
    remount(stick, "ro")
    try:
        for command in ("import", "merge"):
            proc = run_cli(command, target, reference_json if command == "import" else target)
            if command == "merge":  # a merge with nothing new writes nothing: no message at all
                assert proc.returncode == 0, proc.stderr
                continue
            assert proc.returncode == 2 and MESSAGES["READONLY"] in proc.stderr, proc.stderr
        with pytest.raises(DocumentError) as info:
            doc.save()
        assert info.value.kind == "READONLY"
        doc._lock = None  # as if "open anyway" elsewhere took it: save must still say read-only
        with pytest.raises(DocumentError) as info:
            doc.save()
        assert info.value.kind == "READONLY"
    finally:
        remount(stick, "rw")
        doc.close(discard=True)


def test_the_full_disk_message_and_the_docs_say_a_save_needs_two_extra_copies():
    assert "สองเท่าของขนาดไฟล์" in MESSAGES["FULL"]
    docs = (ROOT / "docs" / "reliability.md").read_text(encoding="utf-8")
    assert "two extra copies" in docs and MESSAGES["FULL"] in docs


def _refuse_replacing(path: Path) -> bool:
    """Make ``path`` a file this user may not replace, as a folder's permissions would (root:
    the immutable attribute; others: a folder without write permission). False: not possible."""
    if subprocess.run(["chattr", "+i", str(path)], capture_output=True).returncode == 0:
        return True
    if os.geteuid() != 0:
        path.parent.chmod(0o555)
        return True
    return False


def _allow_replacing(path: Path) -> None:
    subprocess.run(["chattr", "-i", str(path)], capture_output=True)
    path.parent.chmod(0o755)


def test_a_file_the_officer_may_not_replace_says_read_only_at_once_not_busy(tmp_path):
    """A permission refused (not a program holding the file open): the save says READONLY
    (save elsewhere) instead of waiting and then saying 'in use, try again'; the file on the
    stick is unchanged and the edit is kept. The refusal, a real one of this system, is not
    taken for a holder (files.held_open; on Windows it also asks for the delete right)."""
    from itadesk.db import files

    folder = tmp_path / "shared"
    folder.mkdir()
    path = make_good_file(folder / "ita.db")
    before = sha(path)
    doc = Document.open(path)
    try:
        doc._store.set_meta("typed", "kept")
        probe = folder / "probe"
        probe.write_bytes(b"")
        names = sorted(p.name for p in folder.iterdir() if not p.name.endswith(".bak"))
        if not _refuse_replacing(path):
            pytest.skip("this system cannot refuse replacing a file to this user")
        try:
            with pytest.raises(PermissionError) as refused:
                os.replace(probe, path)
            assert not files.held_open(refused.value, probe, path)
            with pytest.raises(DocumentError) as info:
                doc.save()
            assert info.value.kind == "READONLY"
            assert sha(path) == before
            assert doc.dirty and doc._store.get_meta("typed") == "kept"
        finally:
            _allow_replacing(path)
        assert sorted(p.name for p in folder.iterdir() if not p.name.endswith(".bak")) == names
        doc.save()
        assert not doc.dirty
    finally:
        doc.close()
