"""The ``itadesk-assessment`` JSON interchange format: one assessment or a list of them.

Only ``organization.name``, ``fiscal_year`` and ``indicators`` are required. Everything is
checked before anything is written, and every refusal names the file, the place and the fix.
"""

from __future__ import annotations

import json
import re
import uuid
from datetime import date
from pathlib import Path

from itadesk.ita.catalog import BUNDLED, Catalogs
from itadesk.ita.consistency import name_key
from itadesk.ita.fields import FieldError, check_day, check_text
from itadesk.ita.findings import item_sort_key
from itadesk.ita.model import ACTION_STATUSES, ORG_DETAILS, ORG_KINDS, Action, Assessment, Organization, status_code
from itadesk.ita.numbers import ScoreError, parse_score
from itadesk.ita.published import parse_published, published_out
from itadesk.ita.thai_dates import PeriodError, check_completion, check_period
from itadesk.texts import status_label

FORMAT = "itadesk-assessment"
VERSION = 1
_NUMBER_KEY = re.compile(r"^[0-9]{1,3}$")
MAX_FILE_BYTES = 20 * 1024 * 1024  # a year of one organization is a few hundred KB
MAX_DIGITS = 15  # no number of the format is longer; Python refuses to convert 4,300 digits


class InterchangeError(ValueError):
    """A file that cannot be imported; ``str()`` is the Thai message (with where and why)."""


def _score(value, where: str) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float, str)):
        raise InterchangeError(f"{where}: คะแนนต้องเป็นตัวเลข 0–100")
    try:
        return parse_score(value)
    except ScoreError as exc:
        raise InterchangeError(f"{where}: {exc}") from exc


def _show(value) -> str:
    """A value as quoted in a message: short, and printable whatever it holds."""
    text = repr(value)
    return text if len(text) <= 40 else text[:39] + "…"


def _text(value, where: str, *, multiline: bool = True, required: bool = False) -> str:
    """A text field by the rules every field obeys (:mod:`itadesk.ita.fields`); None is empty."""
    if value is None and not required:
        return ""
    try:
        return check_text(value, multiline=multiline, required=required)
    except FieldError as exc:
        raise InterchangeError(f"{where}: {exc}") from exc


def _section(data: dict, key: str, kind: type, where: str):
    """An optional part of an assessment (items, texts, plan): absent, null, or of its own type."""
    value = data.get(key)
    if value is None:
        return kind()
    if not isinstance(value, kind):
        shape = "ออบเจ็กต์ JSON ({...})" if kind is dict else "รายการ JSON ([...])"
        raise InterchangeError(f"{where}: {key} ต้องเป็น{shape}")
    return value


def _status(value, where: str) -> str:
    """A plan status code; files written before codes (and people) may give the Thai word."""
    if value in (None, ""):
        return ACTION_STATUSES[0]
    code = status_code(value) if isinstance(value, str) else None
    if code is not None:
        return code
    known = ", ".join(f"{code} ({status_label(code)})" for code in ACTION_STATUSES)
    raise InterchangeError(f"{where}: สถานะ {_show(value)} ไม่รู้จัก (ใช้ได้: {known})")


def _date(value, where: str) -> date | None:
    if value in (None, ""):
        return None
    try:
        return check_day(value)
    except FieldError as exc:
        raise InterchangeError(f"{where}: {exc}") from exc


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


def parse_assessment(data, where: str = "", catalogs: Catalogs = BUNDLED) -> tuple[Organization, Assessment]:
    where = where or "ข้อมูล"
    if not isinstance(data, dict):
        raise InterchangeError(f"{where}: ต้องเป็นออบเจ็กต์ JSON ของผลการประเมินหนึ่งรายการ")
    if "format" in data and data["format"] != FORMAT:
        raise InterchangeError(f"{where}: ไม่ใช่ไฟล์ผลการประเมินของ ITA Desk (format = {_show(data['format'])})")
    if "version" in data and data["version"] != VERSION:
        raise InterchangeError(f"{where}: ไฟล์รุ่น {_show(data['version'])} ใหม่กว่าที่โปรแกรมนี้รู้จัก กรุณาปรับปรุงโปรแกรม")
    org_data = data.get("organization")
    if not isinstance(org_data, dict) or org_data.get("name") in (None, ""):
        raise InterchangeError(f"{where}: ไม่มีชื่อหน่วยงาน (organization.name)")
    name = _text(org_data["name"], f"{where}: ชื่อหน่วยงาน (organization.name)", multiline=False, required=True)
    kind = _text(org_data.get("kind"), f"{where}: ประเภทหน่วยงาน", multiline=False)
    if kind and kind not in ORG_KINDS:
        raise InterchangeError(f"{where}: ประเภทหน่วยงาน {_show(kind)} ไม่รู้จัก (ใช้ได้: {', '.join(ORG_KINDS)})")
    details = {field: _text(org_data.get(field), f"{where}: organization.{field}", multiline=False).strip()
               for field in ORG_DETAILS}
    details["kind"] = kind
    details["district"] = strip_place_prefix(details["district"], "อำเภอ", "อ.")
    details["province"] = strip_place_prefix(details["province"], "จังหวัด", "จ.")
    org = Organization(name=name.strip(), **details)
    year = data.get("fiscal_year")
    if isinstance(year, bool) or not isinstance(year, int):
        raise InterchangeError(f"{where}: ไม่มีปีงบประมาณ (fiscal_year) หรือไม่ใช่ตัวเลข")
    if not 2500 <= year <= 2700:
        raise InterchangeError(f"{where}: ปีงบประมาณ {year} ต้องเป็นปี พ.ศ. (เช่น 2568)")
    catalog = catalogs.for_year(year)  # the importing document's catalog of the year, else the bundled one
    where = f"{where} ({org.name} ปี {year})"

    raw_inds = data.get("indicators")
    if not isinstance(raw_inds, dict):
        raise InterchangeError(f"{where}: ไม่มีคะแนนรายตัวชี้วัด (indicators)")
    indicators: dict[int, float] = {}
    for key, value in raw_inds.items():
        if not _NUMBER_KEY.match(key) or int(key) not in catalog.indicator_numbers:
            raise InterchangeError(f"{where}: ไม่มีตัวชี้วัดที่ {_show(key)} ในเกณฑ์ปี {year}")
        indicators[int(key)] = _score(value, f"{where} ตัวชี้วัดที่ {key}")
    missing = [n for n in catalog.indicator_numbers if n not in indicators]
    if missing:
        raise InterchangeError(f"{where}: ขาดคะแนนตัวชี้วัดที่ {', '.join(map(str, missing))}")

    items: dict = {}
    for code, value in _section(data, "items", dict, where).items():
        key = code.lower()
        if catalog.item(key) is None and catalog.tool_of_prefix(key) is None:
            examples = ", ".join(f"{p}{n}" for p, n in zip(catalog.item_prefixes, (1, 4, 12)))
            raise InterchangeError(f"{where}: รหัสข้อคำถาม {_show(code)} ไม่ถูกต้อง (เช่น {examples})")
        tool = catalog.tool_of_prefix(key) if catalog.item(key) is None else None
        if tool is not None and any(catalog.tool_of_item(i.code) is tool for ind in catalog.indicators for i in ind.items):
            # The year's catalog lists this tool's items and not this one: a typo or another
            # office's catalog (a tool whose items the catalog does not list takes any number).
            raise InterchangeError(f"{where}: ไม่มีข้อ {key} ในเกณฑ์ปี {year} ที่ไฟล์นี้ใช้ "
                                   f"(เพิ่มข้อนี้ในเกณฑ์ก่อน: itadesk catalog import หรือเมนู ข้อมูล → เกณฑ์การประเมินปี…)")
        if isinstance(value, dict):
            parts = {}
            allowed = [str(p) for p in catalog.item_parts(key)]
            for part, score in value.items():
                if part not in allowed:
                    choices = " หรือ ".join(allowed) if allowed else "ไม่มี (ข้อนี้มีคะแนนเดียว)"
                    raise InterchangeError(f"{where} ข้อ {key}: ส่วนที่ต้องเป็น {choices}")
                parts[int(part)] = _score(score, f"{where} ข้อ {key} ส่วนที่ {part}")
            items[key] = parts
        else:
            items[key] = _score(value, f"{where} ข้อ {key}")

    recommendations = {}
    for tool, text in _section(data, "recommendations", dict, where).items():
        if tool not in catalog.tool_codes:
            codes = list(catalog.tool_codes)
            named = ", ".join(codes[:-1]) + " หรือ " + codes[-1] if len(codes) > 1 else "".join(codes)
            raise InterchangeError(f"{where}: ข้อเสนอแนะต้องเป็นของ {named} (พบ {_show(tool)})")
        recommendations[tool] = _text(text, f"{where} ข้อเสนอแนะ {tool}")

    analysis = {}
    for key, text in _section(data, "analysis", dict, where).items():
        if not _NUMBER_KEY.match(key) or int(key) not in catalog.indicator_numbers:
            raise InterchangeError(f"{where}: การวิเคราะห์อ้างถึงตัวชี้วัดที่ {_show(key)} ซึ่งไม่มีในเกณฑ์")
        analysis[int(key)] = _text(text, f"{where} การวิเคราะห์ตัวชี้วัดที่ {key}")

    actions = []
    for index, row in enumerate(_section(data, "actions", list, where), start=1):
        here = f"{where} แผนปฏิบัติการแถวที่ {index}"
        if not isinstance(row, dict):
            raise InterchangeError(f"{here}: ต้องเป็นออบเจ็กต์")
        indicator = row.get("indicator")
        if indicator is not None and (type(indicator) is not int or indicator not in catalog.indicator_numbers):
            raise InterchangeError(f"{here}: ตัวชี้วัด {_show(indicator)} ไม่มีในเกณฑ์")
        status = _status(row.get("status"), here)
        start, end = _date(row.get("start"), here), _date(row.get("end"), here)
        completed = _date(row.get("completed"), f"{here} วันที่แล้วเสร็จ")
        try:
            check_period(start, end, year)
            check_completion(start, completed)
        except PeriodError as exc:
            raise InterchangeError(f"{here}: {exc}") from exc
        actions.append(
            Action(
                indicator=indicator,
                measure=_text(row.get("measure"), f"{here} มาตรการ"),
                owner=_text(row.get("owner"), f"{here} ผู้รับผิดชอบ"),
                steps=_text(row.get("steps"), f"{here} ขั้นตอน"),
                start=start,
                end=end,
                status=status,
                progress_note=_text(row.get("progress_note"), f"{here} ความคืบหน้า"),
                evidence=_text(row.get("evidence"), f"{here} หลักฐาน"),
                completed=completed,
            )
        )
    for index, action in enumerate(actions):
        action.uuid = imported_action_uuid(org, year, index, action)
    try:
        published = parse_published(data.get("published") or {}, catalog.tool_codes)
    except ValueError as exc:
        raise InterchangeError(f"{where}: {exc}") from exc
    assessment = Assessment(year, indicators, items, recommendations, analysis, actions, published)
    return org, assessment


def read_file(path: str | Path, catalogs: Catalogs = BUNDLED) -> list[tuple[Organization, Assessment]]:
    path = Path(path)
    try:
        if path.stat().st_size > MAX_FILE_BYTES:
            raise InterchangeError(f"{path.name}: ไฟล์ใหญ่เกินกว่าจะเป็นผลการประเมิน (เกิน {MAX_FILE_BYTES // 2**20} MB)")
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError as exc:
        raise InterchangeError(f"{path.name}: ไม่พบไฟล์") from exc
    except UnicodeDecodeError as exc:
        raise InterchangeError(f"{path.name}: ไฟล์ไม่ได้เข้ารหัสแบบ UTF-8") from exc
    except OSError as exc:
        raise InterchangeError(f"{path.name}: เปิดอ่านไฟล์ไม่ได้ (ตรวจสอบว่าเป็นไฟล์ ไม่ใช่โฟลเดอร์ และมีสิทธิ์อ่าน)") from exc
    data = loads(text, path.name)
    entries = data if isinstance(data, list) else [data]
    if not entries:
        raise InterchangeError(f"{path.name}: ไม่มีผลการประเมินในไฟล์")
    out = [parse_assessment(entry, f"{path.name} รายการที่ {i}" if len(entries) > 1 else path.name, catalogs)
           for i, entry in enumerate(entries, start=1)]
    seen: dict[tuple[str, str, int], int] = {}
    for i, (org, a) in enumerate(out, start=1):
        first = seen.setdefault((name_key(org.name), org.province, a.fiscal_year), i)
        if first != i:
            raise InterchangeError(f"{path.name}: รายการที่ {first} และ {i} เป็นผลการประเมินของ {org.name} "
                                   f"ปี {a.fiscal_year} เหมือนกัน กรุณาเก็บไว้เพียงรายการเดียว")
    return out


def loads(text: str, name: str):
    """JSON as we accept it: no duplicate keys (the last one would silently win), no NaN or
    Infinity, no number longer than :data:`MAX_DIGITS`, no nesting deep enough to exhaust
    the parser. Every refusal is an :class:`InterchangeError` naming the file."""

    def pairs(items: list[tuple[str, object]]) -> dict:
        out: dict = {}
        for key, value in items:
            if key in out:
                raise InterchangeError(f"{name}: มีชื่อข้อมูล {_show(key)} ซ้ำกันในออบเจ็กต์เดียวกัน "
                                       "(ค่าหนึ่งจะทับอีกค่าหนึ่ง) กรุณาแก้ให้เหลือเพียงหนึ่งค่า")
            out[key] = value
        return out

    def number(digits: str) -> int:
        if len(digits.lstrip("-")) > MAX_DIGITS:
            raise InterchangeError(f"{name}: ตัวเลข {digits[:12]}… ยาวเกินไป ({len(digits):,} หลัก)")
        return int(digits)

    def constant(word: str):
        raise InterchangeError(f"{name}: ค่า {word} ไม่ใช่ตัวเลขที่ใช้ได้ (ใช้ตัวเลข 0–100)")

    try:
        return json.loads(text, object_pairs_hook=pairs, parse_int=number, parse_constant=constant)
    except json.JSONDecodeError as exc:
        raise InterchangeError(
            f"{name}: รูปแบบ JSON ไม่ถูกต้องที่บรรทัด {exc.lineno} คอลัมน์ {exc.colno} "
            "(ตรวจสอบเครื่องหมายจุลภาค วงเล็บ และเครื่องหมายคำพูด)"
        ) from exc
    except RecursionError as exc:
        raise InterchangeError(f"{name}: ข้อมูล JSON ซ้อนกันลึกเกินไป ไม่ใช่ไฟล์ผลการประเมิน") from exc


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
                "status": x.status, "progress_note": x.progress_note, "evidence": x.evidence,
                "completed": x.completed.isoformat() if x.completed else None,
            }.items() if v not in (None, "")}
            for x in a.actions
        ]
    if a.published:
        out["published"] = published_out(a.published)
    return out
