"""The ITA catalog of a fiscal year, read from ``resources/catalogs/<year>.json``.

The criteria change every year and offices cannot wait for a release, so a year is one
data file: dropping ``2569.json`` beside the others adds the year with no code change.

This module is the only source of the shape of the assessment: which tools there are
(today IIT, EIT and OIT) with their weights, item prefixes (i, e, o) and parts (EIT's two
in 2568), which indicators and items, and which tools judge their items against full marks
(OIT). Everything else asks a :class:`Catalog`, so a year with another shape (four tools,
three parts) needs a new data file and no code change; ``tests/ita/test_catalog_shape.py``
checks both.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path

from itadesk.ita.fields import FieldError, check_item_code, check_text, check_tool_code
from itadesk.resources import resource_path

CATALOG_FORMAT = "itadesk-catalog"

# Years an officer can enter: the first year the program has rules for, up to the year after
# the fiscal year now running (see :func:`enterable_years`).
FIRST_YEAR = 2563

# What an item with no known title is called wherever it is shown: a blank is honest, a guess is not.
UNNAMED_ITEM = "ยังไม่ระบุชื่อข้อ"


class CatalogError(ValueError):
    """A catalog file that cannot be used; the message says which file and why."""


@dataclass(frozen=True)
class Item:
    code: str
    title: str = ""
    parts: tuple[int, ...] = ()
    source: str = ""  # where the title is confirmed ("" = not known)
    # The title is what the NACC's own text says (not a working name an officer typed).
    confirmed: bool = False


@dataclass(frozen=True)
class SubIndicator:
    code: str
    name: str
    items: tuple[str, ...] = ()


@dataclass(frozen=True)
class Indicator:
    number: int
    name: str
    tool: str
    items: tuple[Item, ...] = ()
    combine: str | None = None  # "mean", "mean_of_parts", or None when not known
    combine_note: str = ""
    sub_indicators: tuple[SubIndicator, ...] = ()

    def sub_indicator_of(self, item_code: str) -> SubIndicator | None:
        for sub in self.sub_indicators:
            if item_code in sub.items:
                return sub
        return None


@dataclass(frozen=True)
class Tool:
    code: str
    name: str
    name_en: str
    weight: float
    indicators: tuple[int, ...]
    parts: tuple[tuple[int, str], ...] = ()
    # Items judged against required elements (OIT): anything short of 100 lost points.
    items_must_be_full: bool = False
    item_prefix: str = ""  # the letter of the tool's item codes ("i" for i1, i2 ...)
    short_name: str = ""  # the name under a chart's bar, where the full name does not fit

    @property
    def part_numbers(self) -> tuple[int, ...]:
        return tuple(number for number, _name in self.parts)

    def part_key(self, part: int) -> str:
        """The key of a part's score in an evaluation and in the level rules ("EIT.1")."""
        return f"{self.code}.{part}"

    def item_limit(self, threshold: float) -> float:
        """Below this an item of the tool is a finding: full marks, or the threshold."""
        return 100.0 if self.items_must_be_full else threshold


@dataclass(frozen=True)
class Catalog:
    fiscal_year: int
    tools: tuple[Tool, ...]
    indicators: tuple[Indicator, ...]
    levels: dict = field(hash=False, compare=False, default_factory=dict)
    source: str = ""
    # The year whose rules these are: the fiscal year itself, or the latest earlier year when
    # the year has no catalog of its own (0 = the fiscal year).
    rules_year: int = 0
    # The year's rules were checked against the NACC's own text (the officer marks it).
    confirmed: bool = False
    # The earlier year this year's catalog was started from in the catalog editor (0 = none).
    started_from: int = 0
    # Where the catalog came from: "bundled" (shipped with the program) or "document" (kept in the file).
    origin: str = field(default="bundled", hash=False, compare=False)

    @property
    def rules_from(self) -> int:
        return self.rules_year or self.fiscal_year

    @property
    def borrowed(self) -> bool:
        """True when this year has no catalog of its own and runs on another year's rules."""
        return self.rules_from != self.fiscal_year

    def rules_note(self) -> str:
        """The sentence the window, the PDF and the CLI say about a borrowed catalog ("" when not)."""
        if not self.borrowed:
            if self.started_from and not self.confirmed:
                return (f"ปี {self.fiscal_year} ใช้เกณฑ์ที่เริ่มจากเกณฑ์ของปี {self.started_from} (เก็บไว้ในไฟล์นี้) "
                        f"ซึ่งยังไม่ได้ยืนยันว่าตรงกับเกณฑ์การประเมินของปี {self.fiscal_year}")
            return ""
        return (f"ปี {self.fiscal_year} ใช้เกณฑ์ของปี {self.rules_from} เพราะยังไม่มีเกณฑ์การประเมินของปี "
                f"{self.fiscal_year}: ตัวชี้วัด น้ำหนัก ระดับผลการประเมิน และรายการข้อ เป็นของปี {self.rules_from}")

    def item_label(self, code: str) -> str:
        """"o7 <title>" where the catalog knows the title, "o7 (ยังไม่ระบุชื่อข้อ)" where not."""
        item = self.item(code)
        title = " ".join(item.title.split()) if item is not None else ""
        return f"{code} {title}" if title else f"{code} ({UNNAMED_ITEM})"

    def describe(self) -> list[str]:
        """The rules in a few Thai lines, for the officer to review (what the rules banner opens)."""
        lines = [f"เกณฑ์การประเมินของปี {self.rules_from}" + (f" (ใช้กับปี {self.fiscal_year})" if self.borrowed else "")]
        if self.source:
            lines.append(f"ที่มา: {self.source}")
        for tool in self.tools:
            numbers = ", ".join(str(n) for n in tool.indicators)
            lines.append(f"{tool.code} {tool.name}: ตัวชี้วัดที่ {numbers} น้ำหนักร้อยละ {round(tool.weight * 100):d}")
        items = [item for ind in self.indicators for item in ind.items]
        named = sum(1 for item in items if item.title.strip())
        lines.append(f"รายการข้อ {len(items)} ข้อ มีชื่อข้อแล้ว {named} ข้อ" if items
                     else "ยังไม่มีรายการข้อของปีนี้")
        if self.levels.get("scheme") == "pass":
            for rule in self.levels.get("rules", ()):
                every = rule.get("every_tool_min")
                text = f"ระดับ {rule['name']}: คะแนนรวม {rule['overall_min']:g} ขึ้นไป"
                if every is not None:
                    text += f" และทุกเครื่องมือ {every:g} ขึ้นไป"
                if not rule.get("confirmed", True):
                    text += " (ยังไม่ได้รับการยืนยัน)"
                lines.append(text)
        elif self.levels.get("scheme") == "grade":
            lines.append("ระดับ: " + ", ".join(f"{g['name']} {g['min']:g} ขึ้นไป" for g in self.levels.get("grades", ())))
        return lines

    def items_label(self, codes: list[str]) -> str:
        """Several items named together: "e4, e5 (ยังไม่ระบุชื่อข้อ)" when none has a title."""
        if any(self.item(c) is not None and self.item(c).title.strip() for c in codes):
            return ", ".join(self.item_label(c) for c in codes)
        return f"{', '.join(codes)} ({UNNAMED_ITEM})"

    def tool(self, code: str) -> Tool:
        for tool in self.tools:
            if tool.code == code:
                return tool
        raise KeyError(code)

    def indicator(self, number: int) -> Indicator:
        for ind in self.indicators:
            if ind.number == number:
                return ind
        raise KeyError(number)

    @property
    def indicator_numbers(self) -> tuple[int, ...]:
        return tuple(ind.number for ind in self.indicators)

    def indicator_of_item(self, code: str) -> Indicator | None:
        for ind in self.indicators:
            if any(item.code == code for item in ind.items):
                return ind
        return None

    def item(self, code: str) -> Item | None:
        for ind in self.indicators:
            for item in ind.items:
                if item.code == code:
                    return item
        return None

    @property
    def has_tool_parts(self) -> bool:
        return any(tool.parts for tool in self.tools)

    @property
    def tool_codes(self) -> tuple[str, ...]:
        return tuple(tool.code for tool in self.tools)

    def tool_of_item(self, code: str) -> Tool | None:
        """The tool an item belongs to: by the catalog's items, else by its code's prefix."""
        ind = self.indicator_of_item(code)
        if ind is not None:
            return self.tool(ind.tool)
        return self.tool_of_prefix(code)

    def tool_of_prefix(self, code: str) -> Tool | None:
        """The tool whose item prefix starts ``code`` followed by digits only ("o12" → OIT)."""
        code = code.lower()
        for tool in self.tools:
            rest = code[len(tool.item_prefix):]
            if tool.item_prefix and code.startswith(tool.item_prefix) and rest.isdigit() and len(rest) <= 3:
                return tool
        return None

    def item_parts(self, code: str) -> tuple[int, ...]:
        """Parts an item may be scored in: its own, else its tool's; () for a single score."""
        item = self.item(code)
        if item is not None and item.parts:
            return item.parts
        tool = self.tool_of_item(code)
        return tool.part_numbers if tool is not None else ()

    @property
    def item_prefixes(self) -> tuple[str, ...]:
        return tuple(tool.item_prefix for tool in self.tools if tool.item_prefix)

    @property
    def full_item_tools(self) -> tuple[Tool, ...]:
        """Tools whose items are judged against full marks (OIT)."""
        return tuple(tool for tool in self.tools if tool.items_must_be_full)


def _parse(data: dict, origin: str) -> Catalog:
    if not isinstance(data, dict) or data.get("format") != CATALOG_FORMAT:
        raise CatalogError(f"{origin}: ไม่ใช่ไฟล์เกณฑ์ของ ITA Desk")
    try:
        tools = tuple(
            Tool(
                code=t["code"],
                name=t.get("name", ""),
                name_en=t.get("name_en", ""),
                weight=float(t["weight"]),
                indicators=tuple(int(n) for n in t["indicators"]),
                parts=tuple((int(p["part"]), p.get("name", "")) for p in t.get("parts", ())),
                items_must_be_full=bool(t.get("items_must_be_full", False)),
                item_prefix=str(t.get("item_prefix", "")).lower(),
                short_name=t.get("short_name", ""),
            )
            for t in data["tools"]
        )
        indicators = tuple(
            Indicator(
                number=int(d["number"]),
                name=d["name"],
                tool=d["tool"],
                items=tuple(
                    Item(code=i["code"].lower(), title=i.get("title", ""), parts=tuple(int(n) for n in i.get("parts", ())),
                         source=i.get("source", ""), confirmed=bool(i.get("confirmed", bool(i.get("source")))))
                    for i in d.get("items", ())
                ),
                combine=d.get("combine"),
                combine_note=d.get("combine_note", ""),
                sub_indicators=tuple(
                    SubIndicator(s["code"], s.get("name", ""), tuple(c.lower() for c in s.get("items", ())))
                    for s in d.get("sub_indicators", ())
                ),
            )
            for d in data["indicators"]
        )
        catalog = Catalog(
            fiscal_year=int(data["fiscal_year"]),
            tools=tools,
            indicators=indicators,
            levels=dict(data["levels"]),
            source=data.get("source", ""),
            confirmed=bool(data.get("confirmed", False)),
            started_from=int(data.get("started_from", 0)),
        )
    except (KeyError, TypeError, ValueError) as exc:
        raise CatalogError(f"{origin}: ข้อมูลเกณฑ์ไม่ครบหรือผิดรูปแบบ ({exc})") from exc
    weights = sum(t.weight for t in tools)
    if abs(weights - 1.0) > 1e-9:
        raise CatalogError(f"{origin}: น้ำหนักของเครื่องมือรวมกันไม่เท่ากับ 1")
    codes = {t.code for t in tools}
    for ind in indicators:
        if ind.tool not in codes:
            raise CatalogError(f"{origin}: ตัวชี้วัดที่ {ind.number} อ้างถึงเครื่องมือ {ind.tool} ซึ่งไม่มีในไฟล์")
    prefixes = [t.item_prefix for t in tools if t.item_prefix]
    if len(prefixes) != len(set(prefixes)):
        raise CatalogError(f"{origin}: อักษรนำหน้าข้อคำถามของเครื่องมือซ้ำกัน")
    problem = _shape_problem(catalog)
    if problem:
        raise CatalogError(f"{origin}: {problem}")
    return catalog


def _shape_problem(catalog: Catalog) -> str | None:
    """What makes a parsed catalog unusable (a file typed or edited by hand), in Thai; None when sound.

    The same rules as every other input (:mod:`itadesk.ita.fields`): a title is one line of
    text, an item code has the shape of a code, and nothing is there twice."""
    if not 2500 <= catalog.fiscal_year <= 2700:
        return f"ปี {catalog.fiscal_year} ไม่ใช่ปีงบประมาณ พ.ศ. ที่ใช้ได้"
    try:
        check_text(catalog.source, multiline=True)
        for tool in catalog.tools:
            check_tool_code(tool.code)
            for text in (tool.name, tool.name_en, tool.short_name, *(name for _, name in tool.parts)):
                check_text(text)
    except FieldError as exc:
        return f"ข้อมูลเครื่องมือไม่ถูกต้อง: {exc}"
    numbers = [ind.number for ind in catalog.indicators]
    if len(numbers) != len(set(numbers)):
        return "มีตัวชี้วัดหมายเลขซ้ำกัน"
    for tool in catalog.tools:
        if not 0 <= tool.weight <= 1:
            return f"น้ำหนักของเครื่องมือ {tool.code} ต้องอยู่ระหว่าง 0 ถึง 1"
        for number in tool.indicators:
            if number not in numbers:
                return f"เครื่องมือ {tool.code} อ้างถึงตัวชี้วัดที่ {number} ซึ่งไม่มีในไฟล์"
    seen: set[str] = set()
    for ind in catalog.indicators:
        tool = catalog.tool(ind.tool)
        if not 1 <= ind.number <= 99 or ind.number not in tool.indicators:
            return f"ตัวชี้วัดที่ {ind.number} ไม่อยู่ในรายการตัวชี้วัดของเครื่องมือ {tool.code}"
        try:
            check_text(ind.name, required=True)
        except FieldError as exc:
            return f"ชื่อตัวชี้วัดที่ {ind.number}: {exc}"
        for item in ind.items:
            try:
                check_item_code(item.code)
                check_text(item.title)
                check_text(item.source, multiline=True)
            except FieldError as exc:
                return f"ข้อ {item.code[:20]} ของตัวชี้วัดที่ {ind.number}: {exc}"
            if item.code in seen:
                return f"มีข้อ {item.code} ซ้ำกัน"
            seen.add(item.code)
            rest = item.code[len(tool.item_prefix):]
            if tool.item_prefix and not (item.code.startswith(tool.item_prefix) and rest.isdigit()):
                return (f"ข้อ {item.code} อยู่ในตัวชี้วัดที่ {ind.number} ของ {tool.code} "
                        f"แต่รหัสข้อของ {tool.code} ต้องขึ้นต้นด้วย {tool.item_prefix} ตามด้วยตัวเลข")
            if not set(item.parts) <= set(tool.part_numbers):
                return f"ข้อ {item.code} มีส่วนที่ซึ่งเครื่องมือ {tool.code} ไม่มี"
        codes = {item.code for item in ind.items}
        for sub in ind.sub_indicators:
            missing = [c for c in sub.items if c not in codes]
            if missing:
                return f"ตัวชี้วัดย่อย {sub.code} อ้างถึงข้อ {', '.join(missing)} ซึ่งไม่อยู่ในตัวชี้วัดที่ {ind.number}"
    if catalog.levels.get("scheme") not in ("pass", "grade"):
        return "เกณฑ์ระดับผลการประเมินไม่ถูกต้อง (scheme ต้องเป็น pass หรือ grade)"
    return None


def catalogs_dir() -> Path:
    return resource_path("catalogs")


def _year_files() -> list[int]:
    return sorted(int(p.stem) for p in catalogs_dir().glob("*.json") if p.stem.isdigit())


def available_years() -> list[int]:
    """Years whose catalog file can be used; a broken file is left out (see catalog_problems)."""
    years = []
    for year in _year_files():
        try:
            _load_file(year)
        except CatalogError:
            continue
        years.append(year)
    return years


def catalog_problems() -> list[str]:
    """Thai messages for catalog files that were dropped in but cannot be used."""
    problems = []
    for year in _year_files():
        try:
            _load_file(year)
        except CatalogError as exc:
            problems.append(str(exc))
    return problems


@lru_cache(maxsize=None)
def _load_file(year: int) -> Catalog:
    path = catalogs_dir() / f"{year}.json"
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise CatalogError(f"{path.name}: อ่านไฟล์เกณฑ์ไม่ได้ ({exc})") from exc
    catalog = _parse(data, path.name)
    if catalog.fiscal_year != year:
        raise CatalogError(f"{path.name}: ปีในไฟล์ ({catalog.fiscal_year}) ไม่ตรงกับชื่อไฟล์")
    return catalog


@lru_cache(maxsize=None)
def load_catalog(year: int) -> Catalog:
    """The catalog of ``year``; a year with no usable file of its own uses the latest earlier one."""
    years = available_years()
    if not years:
        raise CatalogError("ไม่พบไฟล์เกณฑ์การประเมินที่ใช้ได้ในโฟลเดอร์ resources/catalogs")
    earlier = [y for y in years if y <= year]
    chosen = max(earlier) if earlier else min(years)
    catalog = _load_file(chosen)
    if chosen != year:
        # Same rules, but the catalog describes the year that was asked for, and says whose rules.
        catalog = replace(catalog, fiscal_year=year, rules_year=chosen)
    return catalog


def enterable_years(fiscal_year_now: int) -> list[int]:
    """Every year an officer may enter: from :data:`FIRST_YEAR` (or an older catalog) to the
    year after the running fiscal year, plus any later year a catalog was written for."""
    years = set(available_years())
    first = min(years | {FIRST_YEAR})
    return sorted(years | set(range(first, fiscal_year_now + 2)))


def clear_cache() -> None:
    """Forget loaded catalogs (after an officer drops in or fixes a year file)."""
    load_catalog.cache_clear()
    _load_file.cache_clear()


def parse_catalog_file(path: Path) -> Catalog:
    """Validate a catalog file an officer wants to drop in, before it is copied."""
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise CatalogError(f"{Path(path).name}: อ่านไฟล์เกณฑ์ไม่ได้ ({exc})") from exc
    return _parse(data, Path(path).name)


# -- catalogs as data: written out, read back, kept in a document ---------------------------

# A catalog is a few kilobytes; anything near this is not one (and would be a giant cell).
MAX_CATALOG_CHARS = 400_000


def catalog_to_dict(catalog: Catalog) -> dict:
    """The catalog in the format of ``resources/catalogs/<year>.json`` (what :func:`_parse` reads)."""
    def item(i: Item) -> dict:
        out = {"code": i.code, "title": i.title}
        if i.parts:
            out["parts"] = list(i.parts)
        if i.source:
            out["source"] = i.source
        out["confirmed"] = i.confirmed
        return out

    def indicator(d: Indicator) -> dict:
        out = {"number": d.number, "name": d.name, "tool": d.tool, "combine": d.combine,
               "items": [item(i) for i in d.items]}
        if d.combine_note:
            out["combine_note"] = d.combine_note
        if d.sub_indicators:
            out["sub_indicators"] = [{"code": s.code, "name": s.name, "items": list(s.items)} for s in d.sub_indicators]
        return out

    def tool(t: Tool) -> dict:
        out = {"code": t.code, "name": t.name, "name_en": t.name_en, "weight": t.weight,
               "indicators": list(t.indicators), "item_prefix": t.item_prefix, "short_name": t.short_name}
        if t.parts:
            out["parts"] = [{"part": n, "name": name} for n, name in t.parts]
        if t.items_must_be_full:
            out["items_must_be_full"] = True
        return out

    return {"format": CATALOG_FORMAT, "version": 1, "fiscal_year": catalog.fiscal_year,
            "source": catalog.source, "confirmed": catalog.confirmed,
            **({"started_from": catalog.started_from} if catalog.started_from else {}),
            "tools": [tool(t) for t in catalog.tools], "indicators": [indicator(d) for d in catalog.indicators],
            "levels": catalog.levels}


def catalog_json(catalog: Catalog) -> str:
    """The catalog as the text a document keeps and an export writes (stable: same catalog, same text)."""
    return json.dumps(catalog_to_dict(catalog), ensure_ascii=False, indent=1, sort_keys=False) + "\n"


def parse_catalog_text(text: str, origin: str, year: int | None = None) -> Catalog:
    """A catalog from its JSON text (a document's row, an imported file), checked like a bundled
    file; ``year``: the year it must describe. :class:`CatalogError` says why it cannot be used."""
    if not isinstance(text, str):
        raise CatalogError(f"{origin}: ไม่ใช่ข้อความเกณฑ์การประเมิน")
    if len(text) > MAX_CATALOG_CHARS:
        raise CatalogError(f"{origin}: ไฟล์เกณฑ์ยาวเกินกว่าที่รับได้ ({len(text):,} ตัวอักษร)")
    try:
        data = json.loads(text)
    except ValueError as exc:
        raise CatalogError(f"{origin}: ไม่ใช่ข้อมูล JSON ที่อ่านได้ ({exc})") from exc
    catalog = _parse(data, origin)
    if year is not None and catalog.fiscal_year != year:
        raise CatalogError(f"{origin}: เกณฑ์นี้เป็นของปี {catalog.fiscal_year} ไม่ใช่ปี {year}")
    return catalog


class Catalogs:
    """Which catalog each year uses: the document's own (kept in the file, made or imported by
    the officer) over the bundled read-only defaults; a year with neither uses the latest
    earlier year's and says so (:attr:`Catalog.borrowed`).

    The one place every reader gets a year's rules from: ``Document.catalogs()`` hands one
    out for the open file, and :func:`load_catalog` is the one with no document catalogs."""

    def __init__(self, own: dict[int, Catalog] | None = None):
        self.own = {year: replace(c, origin="document") for year, c in (own or {}).items()}
        self._resolved: dict[int, Catalog] = {}  # an instance is made again when the catalogs change

    def years(self) -> list[int]:
        """Years with a catalog of their own, bundled or in the document."""
        return sorted(set(available_years()) | set(self.own))

    def for_year(self, year: int) -> Catalog:
        if not self.own:
            return load_catalog(year)
        if year not in self._resolved:
            years = self.years()
            earlier = [y for y in years if y <= year]
            chosen = max(earlier) if earlier else min(years)
            catalog = self.own.get(chosen) or _load_file(chosen)
            if chosen != year:
                catalog = replace(catalog, fiscal_year=year, rules_year=chosen)
            self._resolved[year] = catalog
        return self._resolved[year]

    def enterable_years(self, fiscal_year_now: int) -> list[int]:
        return sorted(set(enterable_years(fiscal_year_now)) | set(self.own))


BUNDLED = Catalogs()


def catalog_of(assessment) -> Catalog:
    """The catalog an assessment is judged by: the one it was read with from its document
    (``assessment.catalog``, see ``Store.load_assessment_by_uuid``), else the bundled one."""
    return getattr(assessment, "catalog", None) or load_catalog(assessment.fiscal_year)


# -- editing a year's catalog (the window's catalog editor; pure, each returns a new catalog) ---

def start_from(previous: Catalog, year: int) -> Catalog:
    """A new year's catalog started from an earlier one: same tools, indicators, items and
    titles; the year's rules and the titles are not confirmed for the new year until the
    officer says so."""
    return replace(previous, fiscal_year=year, rules_year=0, confirmed=False, origin="document",
                   started_from=previous.rules_from,
                   source=f"เริ่มจากเกณฑ์ปี {previous.rules_from} (ยังไม่ได้ตรวจกับเกณฑ์ของปี {year})",
                   indicators=tuple(replace(ind, items=tuple(replace(i, confirmed=False) for i in ind.items))
                                    for ind in previous.indicators))


def own_copy(catalog: Catalog) -> Catalog:
    """A year's catalog to keep in the document: the one it uses now, made its own (a borrowed
    one becomes the year's, started from the earlier year's)."""
    if catalog.borrowed:
        return start_from(replace(catalog, fiscal_year=catalog.rules_from, rules_year=0), catalog.fiscal_year)
    return replace(catalog, origin="document")


def _with_items(catalog: Catalog, number: int, items: tuple[Item, ...]) -> Catalog:
    indicators = []
    for ind in catalog.indicators:
        if ind.number == number:
            codes = {i.code for i in items}
            subs = tuple(replace(s, items=tuple(c for c in s.items if c in codes)) for s in ind.sub_indicators)
            ind = replace(ind, items=items, sub_indicators=subs)
        indicators.append(ind)
    return replace(catalog, indicators=tuple(indicators))


def with_item(catalog: Catalog, code: str, **changes) -> Catalog:
    """The catalog with one item's title, source or confirmation changed."""
    ind = catalog.indicator_of_item(code)
    if ind is None:
        raise KeyError(code)
    items = tuple(replace(i, **changes) if i.code == code else i for i in ind.items)
    return _with_items(catalog, ind.number, items)


def add_item(catalog: Catalog, number: int) -> tuple[Catalog, str]:
    """The catalog with a new, unnamed item at the end of indicator ``number``: its code is the
    tool's prefix and the next number after the tool's highest (renumber afterwards to close gaps)."""
    ind = catalog.indicator(number)
    tool = catalog.tool(ind.tool)
    used = [int(i.code[len(tool.item_prefix):]) for n in tool.indicators for i in catalog.indicator(n).items
            if i.code[len(tool.item_prefix):].isdigit()]
    code = f"{tool.item_prefix or 'x'}{max(used, default=0) + 1}"
    item = Item(code=code, parts=tool.part_numbers)
    return _with_items(catalog, number, ind.items + (item,)), code


def remove_item(catalog: Catalog, code: str) -> Catalog:
    ind = catalog.indicator_of_item(code)
    if ind is None:
        raise KeyError(code)
    return _with_items(catalog, ind.number, tuple(i for i in ind.items if i.code != code))


def renumbered(catalog: Catalog) -> tuple[Catalog, dict[str, str]]:
    """Each tool's items numbered 1, 2, 3 … in the order the indicators list them; and which
    codes changed (old -> new), so that the items' scores can move with them."""
    recode: dict[str, str] = {}
    for tool in catalog.tools:
        if not tool.item_prefix:
            continue
        counter = 0
        for number in tool.indicators:
            for item in catalog.indicator(number).items:
                counter += 1
                new = f"{tool.item_prefix}{counter}"
                if new != item.code:
                    recode[item.code] = new
    if not recode:
        return catalog, {}
    indicators = []
    for ind in catalog.indicators:
        items = tuple(replace(i, code=recode.get(i.code, i.code)) for i in ind.items)
        subs = tuple(replace(s, items=tuple(recode.get(c, c) for c in s.items)) for s in ind.sub_indicators)
        indicators.append(replace(ind, items=items, sub_indicators=subs))
    return replace(catalog, indicators=tuple(indicators)), recode


def catalog_differences(mine: Catalog, theirs: Catalog) -> list[tuple[str, str, str]]:
    """What differs between two versions of a year's catalog, as (what, mine, theirs) in Thai:
    for the officer choosing between two offices' catalogs after a merge."""
    def yes(flag: bool) -> str:
        return "ใช่" if flag else "ไม่"

    def title(item: Item) -> str:
        return item.title or f"({UNNAMED_ITEM})"

    rows = []
    if mine.source != theirs.source:
        rows.append(("ที่มาของเกณฑ์", mine.source, theirs.source))
    if mine.confirmed != theirs.confirmed:
        rows.append(("ตรวจกับเกณฑ์ของ ป.ป.ช. แล้ว", yes(mine.confirmed), yes(theirs.confirmed)))
    ours = {i.code: i for ind in mine.indicators for i in ind.items}
    other = {i.code: i for ind in theirs.indicators for i in ind.items}
    digits = lambda code: (code[:1], int("".join(c for c in code if c.isdigit()) or 0), code)  # noqa: E731
    for code in sorted(set(ours) | set(other), key=digits):
        a, b = ours.get(code), other.get(code)
        if a is None or b is None:
            rows.append((f"ข้อ {code}", "(ไม่มีข้อนี้)" if a is None else title(a), "(ไม่มีข้อนี้)" if b is None else title(b)))
            continue
        if a.title != b.title:
            rows.append((f"ชื่อข้อ {code}", title(a), title(b)))
        if a.source != b.source:
            rows.append((f"ที่มาของชื่อข้อ {code}", a.source, b.source))
        if a.confirmed != b.confirmed:
            rows.append((f"ยืนยันชื่อข้อ {code} แล้ว", yes(a.confirmed), yes(b.confirmed)))
    if (mine.tools, [replace(i, items=()) for i in mine.indicators], mine.levels) != \
            (theirs.tools, [replace(i, items=()) for i in theirs.indicators], theirs.levels):
        rows.append(("เครื่องมือ ตัวชี้วัด หรือเกณฑ์ระดับ", "ต่างจากอีกไฟล์", "ต่างจากไฟล์นี้"))
    return rows
