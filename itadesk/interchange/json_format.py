"""The ``itadesk-assessment`` JSON interchange format: one assessment or a list of them.

Only ``organization.name``, ``fiscal_year`` and ``indicators`` are required. Everything is
checked before anything is written, and every refusal names the file, the place and the fix.
"""

from __future__ import annotations

import json
import uuid
from datetime import date
from pathlib import Path

from itadesk.ita.catalog import load_catalog
from itadesk.ita.consistency import name_key
from itadesk.ita.findings import item_sort_key
from itadesk.ita.model import ACTION_STATUSES, ORG_DETAILS, ORG_KINDS, Action, Assessment, Organization, status_code
from itadesk.ita.numbers import ScoreError, parse_score
from itadesk.ita.thai_dates import PeriodError, check_period
from itadesk.texts import status_label

FORMAT = "itadesk-assessment"
VERSION = 1


class InterchangeError(ValueError):
    """A file that cannot be imported; ``str()`` is the Thai message (with where and why)."""


def _score(value, where: str) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float, str)):
        raise InterchangeError(f"{where}: คะแนนต้องเป็นตัวเลข 0–100")
    try:
        return parse_score(value)
    except ScoreError as exc:
        raise InterchangeError(f"{where}: {exc}") from exc


def _status(value, where: str) -> str:
    """A plan status code; files written before codes (and people) may give the Thai word."""
    if value in (None, ""):
        return ACTION_STATUSES[0]
    code = status_code(value)
    if code is not None:
        return code
    known = ", ".join(f"{code} ({status_label(code)})" for code in ACTION_STATUSES)
    raise InterchangeError(f"{where}: สถานะ {value!r} ไม่รู้จัก (ใช้ได้: {known})")


def _date(value, where: str) -> date | None:
    if value in (None, ""):
        return None
    try:
        return date.fromisoformat(str(value))
    except ValueError as exc:
        raise InterchangeError(f"{where}: วันที่ต้องอยู่ในรูปแบบ ปปปป-ดด-วว (ค.ศ.) เช่น 2025-10-01") from exc


# Rows imported from the same JSON get the same UUIDs in every file, so two offices that
# imported one file and later merge their copies meet on the same plan rows (no duplicates).
_IMPORT_NAMESPACE = uuid.UUID("6f1f3c52-5d0e-4c55-9a43-7b1d2e8f0a61")


def imported_action_uuid(org: Organization, year: int, index: int, action: Action) -> str:
    key = "|".join([name_key(org.name), org.province, str(year), str(index), action.measure, action.owner, action.steps])
    return str(uuid.uuid5(_IMPORT_NAMESPACE, key))


def strip_place_prefix(text: str, *prefixes: str) -> str:
    """"จังหวัดอุดรธานี" and "จ.อุดรธานี" are stored as "อุดรธานี", so the same office matches."""
    for prefix in prefixes:
        if text.startswith(prefix):
            return text[len(prefix):].strip()
    return text


def parse_assessment(data, where: str = "") -> tuple[Organization, Assessment]:
    where = where or "ข้อมูล"
    if not isinstance(data, dict):
        raise InterchangeError(f"{where}: ต้องเป็นออบเจ็กต์ JSON ของผลการประเมินหนึ่งรายการ")
    if "format" in data and data["format"] != FORMAT:
        raise InterchangeError(f"{where}: ไม่ใช่ไฟล์ผลการประเมินของ ITA Desk (format = {data['format']!r})")
    if "version" in data and data["version"] != VERSION:
        raise InterchangeError(f"{where}: ไฟล์รุ่น {data['version']} ใหม่กว่าที่โปรแกรมนี้รู้จัก กรุณาปรับปรุงโปรแกรม")
    org_data = data.get("organization")
    if not isinstance(org_data, dict) or not str(org_data.get("name", "")).strip():
        raise InterchangeError(f"{where}: ไม่มีชื่อหน่วยงาน (organization.name)")
    kind = str(org_data.get("kind", "") or "")
    if kind and kind not in ORG_KINDS:
        raise InterchangeError(f"{where}: ประเภทหน่วยงาน {kind!r} ไม่รู้จัก (ใช้ได้: {', '.join(ORG_KINDS)})")
    details = {field: str(org_data.get(field, "") or "").strip() for field in ORG_DETAILS}
    details["kind"] = kind
    details["district"] = strip_place_prefix(details["district"], "อำเภอ", "อ.")
    details["province"] = strip_place_prefix(details["province"], "จังหวัด", "จ.")
    org = Organization(name=str(org_data["name"]).strip(), **details)
    year = data.get("fiscal_year")
    if isinstance(year, bool) or not isinstance(year, int):
        raise InterchangeError(f"{where}: ไม่มีปีงบประมาณ (fiscal_year) หรือไม่ใช่ตัวเลข")
    if not 2500 <= year <= 2700:
        raise InterchangeError(f"{where}: ปีงบประมาณ {year} ต้องเป็นปี พ.ศ. (เช่น 2568)")
    catalog = load_catalog(year)
    where = f"{where} ({org.name} ปี {year})"

    raw_inds = data.get("indicators")
    if not isinstance(raw_inds, dict):
        raise InterchangeError(f"{where}: ไม่มีคะแนนรายตัวชี้วัด (indicators)")
    indicators: dict[int, float] = {}
    for key, value in raw_inds.items():
        if not str(key).isdigit() or int(key) not in catalog.indicator_numbers:
            raise InterchangeError(f"{where}: ไม่มีตัวชี้วัดที่ {key} ในเกณฑ์ปี {year}")
        indicators[int(key)] = _score(value, f"{where} ตัวชี้วัดที่ {key}")
    missing = [n for n in catalog.indicator_numbers if n not in indicators]
    if missing:
        raise InterchangeError(f"{where}: ขาดคะแนนตัวชี้วัดที่ {', '.join(map(str, missing))}")

    items: dict = {}
    for code, value in (data.get("items") or {}).items():
        key = str(code).lower()
        if catalog.item(key) is None and catalog.tool_of_prefix(key) is None:
            examples = ", ".join(f"{p}{n}" for p, n in zip(catalog.item_prefixes, (1, 4, 12)))
            raise InterchangeError(f"{where}: รหัสข้อคำถาม {code!r} ไม่ถูกต้อง (เช่น {examples})")
        if isinstance(value, dict):
            parts = {}
            allowed = [str(p) for p in catalog.item_parts(key)]
            for part, score in value.items():
                if str(part) not in allowed:
                    choices = " หรือ ".join(allowed) if allowed else "ไม่มี (ข้อนี้มีคะแนนเดียว)"
                    raise InterchangeError(f"{where} ข้อ {key}: ส่วนที่ต้องเป็น {choices}")
                parts[int(part)] = _score(score, f"{where} ข้อ {key} ส่วนที่ {part}")
            items[key] = parts
        else:
            items[key] = _score(value, f"{where} ข้อ {key}")

    recommendations = {}
    for tool, text in (data.get("recommendations") or {}).items():
        if tool not in catalog.tool_codes:
            codes = list(catalog.tool_codes)
            named = ", ".join(codes[:-1]) + " หรือ " + codes[-1] if len(codes) > 1 else "".join(codes)
            raise InterchangeError(f"{where}: ข้อเสนอแนะต้องเป็นของ {named} (พบ {tool!r})")
        recommendations[tool] = str(text or "")

    analysis = {}
    for key, text in (data.get("analysis") or {}).items():
        if not str(key).isdigit() or int(key) not in catalog.indicator_numbers:
            raise InterchangeError(f"{where}: การวิเคราะห์อ้างถึงตัวชี้วัดที่ {key} ซึ่งไม่มีในเกณฑ์")
        analysis[int(key)] = str(text or "")

    actions = []
    for index, row in enumerate(data.get("actions") or [], start=1):
        here = f"{where} แผนปฏิบัติการแถวที่ {index}"
        if not isinstance(row, dict):
            raise InterchangeError(f"{here}: ต้องเป็นออบเจ็กต์")
        indicator = row.get("indicator")
        if indicator is not None and (isinstance(indicator, bool) or indicator not in catalog.indicator_numbers):
            raise InterchangeError(f"{here}: ตัวชี้วัด {indicator!r} ไม่มีในเกณฑ์")
        status = _status(row.get("status"), here)
        start, end = _date(row.get("start"), here), _date(row.get("end"), here)
        try:
            check_period(start, end, year)
        except PeriodError as exc:
            raise InterchangeError(f"{here}: {exc}") from exc
        actions.append(
            Action(
                indicator=indicator,
                measure=str(row.get("measure", "") or ""),
                owner=str(row.get("owner", "") or ""),
                steps=str(row.get("steps", "") or ""),
                start=start,
                end=end,
                status=status,
                progress_note=str(row.get("progress_note", "") or ""),
            )
        )
    for index, action in enumerate(actions):
        action.uuid = imported_action_uuid(org, year, index, action)
    assessment = Assessment(year, indicators, items, recommendations, analysis, actions)
    return org, assessment


def read_file(path: str | Path) -> list[tuple[Organization, Assessment]]:
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError as exc:
        raise InterchangeError(f"{path.name}: ไม่พบไฟล์") from exc
    except UnicodeDecodeError as exc:
        raise InterchangeError(f"{path.name}: ไฟล์ไม่ได้เข้ารหัสแบบ UTF-8") from exc
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InterchangeError(
            f"{path.name}: รูปแบบ JSON ไม่ถูกต้องที่บรรทัด {exc.lineno} คอลัมน์ {exc.colno} "
            "(ตรวจสอบเครื่องหมายจุลภาค วงเล็บ และเครื่องหมายคำพูด)"
        ) from exc
    entries = data if isinstance(data, list) else [data]
    if not entries:
        raise InterchangeError(f"{path.name}: ไม่มีผลการประเมินในไฟล์")
    return [parse_assessment(entry, f"{path.name} รายการที่ {i}" if len(entries) > 1 else path.name)
            for i, entry in enumerate(entries, start=1)]


def to_dict(org: Organization, a: Assessment) -> dict:
    org_dict = {"name": org.name}
    for field in ORG_DETAILS:
        if getattr(org, field):
            org_dict[field] = getattr(org, field)
    out = {
        "format": FORMAT,
        "version": VERSION,
        "organization": org_dict,
        "fiscal_year": a.fiscal_year,
        "indicators": {str(n): a.indicators[n] for n in sorted(a.indicators)},
    }
    if a.items:
        out["items"] = {
            code: ({str(p): v for p, v in sorted(value.items())} if isinstance(value, dict) else value)
            for code, value in sorted(a.items.items(), key=lambda kv: item_sort_key(kv[0]))
        }
    if a.recommendations:
        out["recommendations"] = dict(a.recommendations)
    if a.analysis:
        out["analysis"] = {str(n): t for n, t in sorted(a.analysis.items())}
    if a.actions:
        out["actions"] = [
            {k: v for k, v in {
                "indicator": x.indicator, "measure": x.measure, "owner": x.owner, "steps": x.steps,
                "start": x.start.isoformat() if x.start else None,
                "end": x.end.isoformat() if x.end else None,
                "status": x.status, "progress_note": x.progress_note,
            }.items() if v not in (None, "")}
            for x in a.actions
        ]
    return out
