"""Every value of a file checked against the rules the editor and the importer enforce.

A file from elsewhere can pass every schema check (types, CHECKs, foreign keys) and still
hold a value our code cannot read: a date that is not ISO, an unknown plan status, a
score with five decimals, a ``meta`` count that is not a number, a name with a direction
override. Such a row would crash ``summary``, the report or the window later, or travel
into a good file by a merge. So every row is checked here, with the same rules as input
(:mod:`itadesk.ita.fields`, :func:`itadesk.ita.numbers.parse_score`,
:func:`itadesk.ita.thai_dates.check_period`), before the file is used or merged; a file
with bad rows is refused with a Thai message naming the first of them by table and row.
"""

from __future__ import annotations

import json
import sqlite3
from datetime import date

from itadesk.db.errors import MESSAGES, DocumentError
from itadesk.db.schema import VERSIONED_TABLES, upgrade_row
from itadesk.db.versions import SYNCED_TABLES
from itadesk.ita.fields import (
    FieldError, check_day, check_item_code, check_text, check_timestamp, check_tool_code, check_uuid,
)
from itadesk.ita.catalog import CatalogError, parse_catalog_text
from itadesk.ita.model import ACTION_STATUSES, ORG_KINDS
from itadesk.ita.numbers import ScoreError, parse_score
from itadesk.ita.published import LEVEL, TOTAL
from itadesk.ita.thai_dates import PeriodError, check_completion, check_period

# How many bad rows a refusal names (the rest are counted).
SHOWN = 5
MAX_INDICATOR = 99  # indicator numbers of every catalog are 1..99

TABLE_NAMES = {
    "meta": "ข้อมูลไฟล์",
    "organizations": "หน่วยงาน",
    "assessments": "ผลการประเมิน",
    "indicator_scores": "คะแนนตัวชี้วัด",
    "item_scores": "คะแนนรายข้อ",
    "recommendations": "ข้อเสนอแนะ",
    "analyses": "บทวิเคราะห์",
    "actions": "แผนปฏิบัติการ",
    "units": "หน่วยงานผู้รับผิดชอบ",
    "tombstones": "รายการที่ลบ",
    "row_versions": "ประวัติรุ่นของแถว",
    "conflicts": "รายการขัดแย้ง",
    "published_figures": "ผลที่ ป.ป.ช. ประกาศ",
    "draft_bases": "คะแนนที่ใช้ร่างบทวิเคราะห์",
    "catalogs": "เกณฑ์การประเมินของปี",
}
FIELD_NAMES = {
    "uuid": "รหัสแถว", "org_uuid": "รหัสหน่วยงาน", "assessment_uuid": "รหัสผลการประเมิน",
    "row_uuid": "รหัสแถว", "updated_at": "เวลาแก้ไข", "deleted_at": "เวลาลบ", "created_at": "เวลาบันทึก",
    "resolved_at": "เวลาเลือกค่า",
    "name": "ชื่อ", "kind": "ประเภท", "district": "อำเภอ", "province": "จังหวัด", "code": "รหัส",
    "preparer_name": "ชื่อผู้จัดทำ", "preparer_position": "ตำแหน่งผู้จัดทำ",
    "approver_name": "ชื่อผู้อนุมัติ", "approver_position": "ตำแหน่งผู้อนุมัติ",
    "fiscal_year": "ปีงบประมาณ", "indicator": "ตัวชี้วัด", "score": "คะแนน", "part": "ส่วนที่",
    "tool": "เครื่องมือ", "text": "ข้อความ", "position": "ลำดับ", "measure": "มาตรการ",
    "owner": "ผู้รับผิดชอบ", "steps": "ขั้นตอน", "start_date": "วันเริ่มต้น", "end_date": "วันสิ้นสุด",
    "status": "สถานะ", "progress_note": "ความคืบหน้า", "table_name": "ชื่อตาราง", "hash": "รหัสรุ่น",
    "evidence": "หลักฐาน", "completed_date": "วันที่แล้วเสร็จ",
    "mine": "ค่าของไฟล์นี้", "theirs": "ค่าของอีกไฟล์", "theirs_hash": "รหัสรุ่นของอีกไฟล์",
    "source_name": "ชื่อไฟล์ต้นทาง", "description": "คำอธิบาย", "resolution": "ค่าที่เลือก",
    "value": "ค่า", "key": "ชื่อค่า", "figure": "รายการ", "basis": "คะแนนที่ใช้ร่าง",
    "catalog": "เกณฑ์การประเมิน",
}
_SYNCED = SYNCED_TABLES


class InvalidRowsError(DocumentError):
    """A file holding values the program does not write and cannot read; names the first bad rows."""

    def __init__(self, problems: list[str], path: str | None = None, total: int | None = None):
        self.problems = problems
        self.total = len(problems) if total is None else total
        super().__init__("INVALID", "; ".join(problems), path)

    @property
    def message(self) -> str:
        return str(self)

    def __str__(self) -> str:
        more = self.total - min(len(self.problems), SHOWN)
        text = MESSAGES["INVALID"] + " " + "; ".join(self.problems[:SHOWN])
        return text + (f" และอีก {more} รายการ" if more > 0 else "")


class RefusedValueError(DocumentError):
    """An edit or an import that would write a value the reader refuses (same rules both ways)."""

    def __init__(self, table: str, problem: str):
        self.table = table
        self.problem = problem
        super().__init__("REFUSED", f"{table}: {problem}")

    @property
    def message(self) -> str:
        return str(self)

    def __str__(self) -> str:
        return f"{MESSAGES['REFUSED']} {TABLE_NAMES.get(self.table, self.table)} {self.problem}"


def check_row(table: str, row: dict) -> None:
    """Refuse to write a row the reader would refuse (:class:`RefusedValueError`)."""
    problem = row_problem(table, row)
    if problem is not None:
        raise RefusedValueError(table, problem)


# -- single values -----------------------------------------------------------------

def _int(value, low: int, high: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise FieldError(f"ต้องเป็นจำนวนเต็ม {low}–{high} (พบ {str(value)[:40]!r})")
    return value


def _choice(value, allowed) -> str:
    if value not in allowed:
        raise FieldError(f"{str(value)[:40]!r} ไม่รู้จัก (ใช้ได้: {', '.join(a or '(ว่าง)' for a in allowed)})")
    return value


def _score(value) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise FieldError("คะแนนต้องเป็นตัวเลข 0–100")
    try:
        return parse_score(value)
    except ScoreError as exc:
        raise FieldError(str(exc)) from exc


def parse_day(value) -> date | None:
    """A stored plan date: NULL or ``YYYY-MM-DD`` (what the store writes)."""
    return check_day(value)


def _name(v):
    return check_text(v, required=True)


def _line(v):
    return check_text(v)


def _free(v):
    return check_text(v, multiline=True)


def _optional_indicator(v):
    return None if v is None else _int(v, 1, MAX_INDICATOR)


def _hash(v):
    if not isinstance(v, str) or not 1 <= len(v) <= 80:
        raise FieldError("รหัสรุ่นไม่ถูกต้อง")
    return v


def _stored_version(v):
    """A version in row_versions: a name (text), or since schema version 7 a hash's 16 bytes."""
    if isinstance(v, bytes):
        if len(v) != 16:
            raise FieldError("รหัสรุ่นไม่ถูกต้อง")
        return v
    return _hash(v)


def _json_row(v):
    if v is None:
        return None
    try:
        data = json.loads(v)
    except ValueError as exc:
        raise FieldError("ไม่ใช่ข้อมูล JSON") from exc
    if not isinstance(data, dict):
        raise FieldError("ไม่ใช่ข้อมูลของแถว")
    return data


def _figure(v):
    """A published figure's name: the total, the level or a tool's code."""
    return v if v in (TOTAL, LEVEL) else check_tool_code(v)


def _published_value(figure, v):
    """The level as its name; a score as the two-decimal text the store writes."""
    check_text(v, required=True)
    if figure == LEVEL:
        return v
    try:
        number = float(v)
    except ValueError as exc:
        raise FieldError(f"คะแนนต้องเป็นตัวเลข 0–100 (พบ {v[:40]!r})") from exc
    return _score(number)


def _basis(v):
    """What a draft was built from: a JSON object of label -> score as printed."""
    data = _json_row(v)
    if data is None or not all(isinstance(k, str) and isinstance(x, str) and len(k) <= 200 and len(x) <= 40
                               for k, x in data.items()):
        raise FieldError("ต้องเป็นรายการคะแนนที่ใช้ร่าง (ข้อความ JSON)")
    return data


def _catalog(v):
    """A year's catalog as the document keeps it: JSON text a catalog file could hold."""
    try:
        return parse_catalog_text(v, "เกณฑ์")
    except CatalogError as exc:
        raise FieldError(str(exc)) from exc


RULES = {  # table -> column -> rule (raises FieldError)
    "organizations": {
        "uuid": check_uuid, "name": _name, "kind": lambda v: _choice(v, ("", *ORG_KINDS)),
        "district": _line, "province": _line, "code": _line, "preparer_name": _line,
        "preparer_position": _line, "approver_name": _line, "approver_position": _line,
        "updated_at": check_timestamp,
    },
    "assessments": {
        "uuid": check_uuid, "org_uuid": check_uuid, "fiscal_year": lambda v: _int(v, 2500, 2700),
        "updated_at": check_timestamp,
    },
    "indicator_scores": {
        "uuid": check_uuid, "assessment_uuid": check_uuid, "indicator": lambda v: _int(v, 1, MAX_INDICATOR),
        "score": _score, "updated_at": check_timestamp,
    },
    "item_scores": {
        "uuid": check_uuid, "assessment_uuid": check_uuid, "code": check_item_code,
        "part": lambda v: _int(v, 0, 9), "score": _score, "updated_at": check_timestamp,
    },
    "recommendations": {
        "uuid": check_uuid, "assessment_uuid": check_uuid, "tool": check_tool_code,
        "text": _free, "updated_at": check_timestamp,
    },
    "analyses": {
        "uuid": check_uuid, "assessment_uuid": check_uuid, "indicator": lambda v: _int(v, 1, MAX_INDICATOR),
        "text": _free, "updated_at": check_timestamp,
    },
    "actions": {
        "uuid": check_uuid, "assessment_uuid": check_uuid, "position": lambda v: _int(v, 0, 2**31 - 1),
        "indicator": _optional_indicator, "measure": _free, "owner": _free, "steps": _free,
        "start_date": parse_day, "end_date": parse_day, "status": lambda v: _choice(v, ACTION_STATUSES),
        "progress_note": _free, "evidence": _free, "completed_date": parse_day, "updated_at": check_timestamp,
    },
    "units": {"uuid": check_uuid, "name": _name, "updated_at": check_timestamp},
    "tombstones": {
        "uuid": check_uuid, "table_name": lambda v: _choice(v, _SYNCED), "deleted_at": check_timestamp,
    },
    "row_versions": {  # a table by its name before schema version 7, by its code since
        "table_name": lambda v: _choice(v, _SYNCED), "table_code": lambda v: _int(v, 0, len(VERSIONED_TABLES) - 1),
        "row_uuid": check_uuid, "hash": _stored_version,
    },
    "conflicts": {
        "uuid": check_uuid, "table_name": lambda v: _choice(v, _SYNCED), "row_uuid": check_uuid,
        "mine": _json_row, "theirs": _json_row, "theirs_hash": _hash, "source_name": _free,
        "description": _free, "created_at": check_timestamp,
        "resolved_at": lambda v: None if v is None else check_timestamp(v),
        "resolution": lambda v: None if v is None else _choice(v, ("mine", "theirs", "same")),
    },
    "meta": {"key": _line, "value": _free},
    "published_figures": {
        "uuid": check_uuid, "assessment_uuid": check_uuid, "figure": _figure,
        "value": lambda v: check_text(v, required=True), "updated_at": check_timestamp,
    },
    "draft_bases": {
        "uuid": check_uuid, "assessment_uuid": check_uuid, "indicator": lambda v: _int(v, 1, MAX_INDICATOR),
        "basis": _basis, "updated_at": check_timestamp,
    },
    "catalogs": {
        "uuid": check_uuid, "fiscal_year": lambda v: _int(v, 2500, 2700), "catalog": _catalog,
        "updated_at": check_timestamp,
    },
}


def row_problem(table: str, row: dict) -> str | None:
    """The first value of ``row`` the rules refuse, as "field: reason", or None when all are good."""
    for column, rule in RULES.get(table, {}).items():
        if column not in row:
            continue
        try:
            rule(row[column])
        except FieldError as exc:
            return f"{FIELD_NAMES.get(column, column)}: {exc}"
    try:
        if table == "actions":
            check_period(parse_day(row.get("start_date")), parse_day(row.get("end_date")))
            check_completion(parse_day(row.get("start_date")), parse_day(row.get("completed_date")))
        elif table == "published_figures" and "value" in row:
            try:
                _published_value(row.get("figure"), row["value"])
            except FieldError as exc:
                return f"{FIELD_NAMES['value']}: {exc}"
        elif table == "catalogs" and "catalog" in row and "fiscal_year" in row:
            year = parse_catalog_text(row["catalog"], "เกณฑ์").fiscal_year
            if year != row["fiscal_year"]:
                return f"{FIELD_NAMES['catalog']}: เกณฑ์ในแถวเป็นของปี {year} ไม่ใช่ปี {row['fiscal_year']}"
        elif table == "meta" and row.get("key") == "edit_count" and not str(row.get("value", "")).isdigit():
            return f"{FIELD_NAMES['value']}: จำนวนครั้งที่แก้ไขต้องเป็นตัวเลข (พบ {str(row.get('value'))[:40]!r})"
        elif table == "conflicts":
            for side in ("mine", "theirs"):
                stored = _json_row(row.get(side))
                if stored is not None:
                    inner = row_problem(row["table_name"], upgrade_row(row["table_name"], stored))
                    if inner:
                        return f"{FIELD_NAMES[side]}: {inner}"
    except (PeriodError, FieldError) as exc:
        return str(exc)
    return None


def where(table: str, rowid: int) -> str:
    return f"ตาราง{TABLE_NAMES.get(table, table)} ({table}) แถวที่ {rowid}"


def invalid_rows(conn: sqlite3.Connection, limit: int = SHOWN) -> tuple[list[str], int]:
    """Thai descriptions of the first ``limit`` bad rows of every table, and how many there are."""
    problems, total = [], 0
    for table, rules in RULES.items():
        cols = [r[1] for r in conn.execute(f'PRAGMA table_info("{table}")')]
        if not cols:
            continue  # a table of a later schema version than this file's
        names = [c for c in cols if c in rules] + [c for c in cols if c not in rules]
        select = ", ".join(f'"{c}"' for c in names)
        # A table WITHOUT ROWID (row_versions; the score tables since schema version 7) has no
        # rowid: its rows are numbered in the order read.
        sql = conn.execute("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ?", (table,)).fetchone()[0]
        rowid_sql = "NULL" if "WITHOUT ROWID" in " ".join(sql.upper().split()) else "rowid"
        for number, (rowid, *values) in enumerate(conn.execute(f'SELECT {rowid_sql}, {select} FROM "{table}"'), 1):
            # A file of an older version is judged as the migration will store it (its plan
            # statuses as codes), so an old file the program wrote is never refused.
            problem = row_problem(table, upgrade_row(table, dict(zip(names, values))))
            if problem is None:
                continue
            total += 1
            if len(problems) < limit:
                problems.append(f"{where(table, number if rowid is None else rowid)}: {problem}")
    return problems, total


def check_rows(conn: sqlite3.Connection, path: str | None = None) -> None:
    """Raise :class:`InvalidRowsError` when any row holds a value the program would not write."""
    problems, total = invalid_rows(conn)
    if problems:
        raise InvalidRowsError(problems, path, total)
