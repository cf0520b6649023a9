"""Times shown to the officer (lock owner, recovery, backups) are Buddhist Era, from one function."""

from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path

from itadesk.db.backups import BackupInfo
from itadesk.db.document import RecoveryInfo
from itadesk.db.lock import LockInfo
from itadesk.ita.thai_dates import format_thai_date, format_thai_datetime

MOMENT = datetime(2026, 11, 24, 15, 1, 7, tzinfo=timezone.utc)


def test_lock_and_recovery_times_use_format_thai_datetime():
    local = MOMENT.astimezone()
    expected = format_thai_datetime(local)
    assert str(local.year + 543) in expected
    assert LockInfo("pc", "user", 1, MOMENT, False).local_time_text == expected
    assert LockInfo("pc", "user", 1, None, False).local_time_text == "ไม่ทราบเวลา"
    assert RecoveryInfo("t", None, Path("w.db"), MOMENT, 1).local_time_text == expected


def test_backup_times_keep_seconds_so_two_saves_in_a_minute_differ():
    local = MOMENT.astimezone()
    text = BackupInfo(Path("b.db"), "id", MOMENT, "", 0).local_time_text
    assert text == f"{format_thai_date(local.date(), short=True)} {local:%H:%M:%S} น."
    later = BackupInfo(Path("b.db"), "id", MOMENT.replace(second=40), "", 0).local_time_text
    assert text != later


def test_no_hand_written_buddhist_era_arithmetic_in_the_document_layer():
    folder = Path(__file__).resolve().parents[2] / "itadesk" / "db"
    offenders = [p.name for p in folder.glob("*.py") if "543" in p.read_text(encoding="utf-8")]
    assert offenders == []
