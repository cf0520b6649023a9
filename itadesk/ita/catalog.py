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
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from itadesk.resources import resource_path

CATALOG_FORMAT = "itadesk-catalog"


class CatalogError(ValueError):
    """A catalog file that cannot be used; the message says which file and why."""


@dataclass(frozen=True)
class Item:
    code: str
    title: str = ""
    parts: tuple[int, ...] = ()


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
                    Item(code=i["code"].lower(), title=i.get("title", ""), parts=tuple(i.get("parts", ())))
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
    return catalog


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
        # Same rules, but the catalog describes the year that was asked for.
        catalog = Catalog(year, catalog.tools, catalog.indicators, catalog.levels, catalog.source)
    return catalog


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
