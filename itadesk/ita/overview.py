"""The overview of many organizations in one year: one row each, the level counts, the weak spots.

Computed with the same rules as one organization's scores tab (:func:`itadesk.ita.scoring.evaluate`,
:func:`itadesk.ita.comparison.Change`), so the overview and the organization's own page agree.
"""

from __future__ import annotations

import re
from collections import Counter
from functools import lru_cache
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from itadesk.ita.catalog import BUNDLED, Catalog, Catalogs, available_years, load_catalog
from itadesk.ita.comparison import Change
from itadesk.ita.findings import DEFAULT_THRESHOLD, item_limit, item_sort_key
from itadesk.ita.levels import compare_levels, level_names
from itadesk.ita.model import Assessment, Organization
from itadesk.ita.numbers import is_below, to_arabic_digits
from itadesk.ita.results import Result, result_of
from itadesk.texts import level_label

NO_DATA = "ยังไม่มีข้อมูล"  # the level column of an organization without scores of the year


@dataclass(frozen=True)
class OverviewRow:
    org_uuid: str
    name: str
    kind: str
    district: str
    province: str
    year: int
    tools: dict[str, float | None]  # "IIT", "EIT", "OIT" as published (two decimals), None unknown
    total: float | None
    level: str | None  # None: no level (scores missing or no data)
    has_data: bool
    previous_year: int | None
    previous_total: float | None
    previous_level: str | None
    change: float | None  # points against the previous year
    level_direction: str | None  # texts.RISE / FALL / SAME
    indicators: dict[int, float]

    @property
    def level_label(self) -> str:
        return self.level or (NO_DATA if not self.has_data else "-")


class OverviewRows(Sequence):
    """The overview rows of one year, by organization name, each computed when first asked for:
    the first screen needs a few dozen of a province's 8,000 (:meth:`compute` does the rest in
    slices, :meth:`all` at once)."""

    def __init__(self, year: int, organizations: list[Organization], current: Mapping[str, Assessment],
                 previous: Mapping[str, Assessment], catalogs: Catalogs = BUNDLED,
                 results: Mapping[str, Result] | None = None):
        self.year = year
        self._results = results or {}  # assessment uuid -> its result as the file keeps it
        self._resolver = catalogs  # the document's catalogs over the bundled ones
        self._orgs = organizations
        self._current, self._previous = current, previous
        self._rows: list[OverviewRow | None] = [None] * len(organizations)
        self._next = 0  # rows before this one are all computed
        self._catalogs: dict[int, Catalog] = {}
        self._rules = self._catalog(year).levels

    def _catalog(self, y: int) -> Catalog:
        if y not in self._catalogs:
            self._catalogs[y] = self._resolver.for_year(y)
        return self._catalogs[y]

    def __len__(self) -> int:
        return len(self._rows)

    def __getitem__(self, index):
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(len(self)))]
        row = self._rows[index]
        if row is None:
            row = self._rows[index] = self._row(self._orgs[index])
        return row

    def __iter__(self):
        return iter(self.all())

    @property
    def complete(self) -> bool:
        return self._next >= len(self._rows)

    def compute(self, count: int) -> bool:
        """Compute up to ``count`` more rows; whether every row is now computed."""
        stop = min(len(self._rows), self._next + count)
        for i in range(self._next, stop):
            self[i]
        self._next = stop
        return self.complete

    def all(self) -> list[OverviewRow]:
        self.compute(len(self._rows))
        return list(self._rows)

    def _result(self, a: Assessment | None) -> Result | None:
        """The result the file keeps, or evaluated here where it has none up to date."""
        if a is None or not a.indicators:
            return None
        return self._results.get(a.uuid) or result_of(a, self._catalog(a.fiscal_year))

    def _row(self, org: Organization) -> OverviewRow:
        year = self.year
        cur = self._current.get(org.uuid)
        prev = self._previous.get(org.uuid)
        ev = self._result(cur)
        # An earlier year only gives its total and level: its kept result is enough (its
        # scores were not even read); one with no indicators has neither, as with no result.
        pev = (self._results.get(prev.uuid) or self._result(prev)) if prev is not None else None
        total = ev.total if ev else None
        prev_total = pev.total if pev else None
        level = level_label(ev.level) if ev and ev.level else None
        prev_level = level_label(pev.level) if pev and pev.level else None
        direction = compare_levels(prev_level, level, self._rules) if level and prev_level else None
        return OverviewRow(
            org.uuid, org.name, org.kind, org.district, org.province, year,
            dict(ev.tools) if ev else {},
            total, level, cur is not None and bool(cur.indicators),
            prev.fiscal_year if prev is not None else None, prev_total, prev_level,
            Change(prev_total, total).points, direction,
            dict(cur.indicators) if cur is not None else {})


def overview_rows(year: int, organizations: list[Organization], current: Mapping[str, Assessment],
                  previous: Mapping[str, Assessment], catalogs: Catalogs = BUNDLED,
                  results: Mapping[str, Result] | None = None) -> OverviewRows:
    """One row per organization (those without scores of ``year`` too, marked ``has_data=False``),
    computed as they are read; by name, numbers in names as numbers ("ที่2" before "ที่10")."""
    return OverviewRows(year, sorted(organizations, key=lambda o: natural_key(o.name)), current, previous,
                        catalogs, results)


def part_item_codes(catalogs: Catalogs = BUNDLED, also: int | None = None) -> list[str]:
    """Items scored in parts in any year's catalog (and ``also``'s): their part scores can decide a level."""
    codes = set()
    for y in sorted(set(catalogs.years()) | ({also} if also is not None else set())):
        catalog = catalogs.for_year(y)
        for tool in catalog.tools:
            if tool.parts:
                codes.update(item.code for number in tool.indicators for item in catalog.indicator(number).items)
    return sorted(codes)


def level_order(year: int, catalog: Catalog | None = None) -> list[str]:
    """The year's levels best to worst, then "no level" (scores missing) and "no data"."""
    return level_names((catalog or load_catalog(year)).levels) + ["-", NO_DATA]


def level_counts(rows: list[OverviewRow], catalog: Catalog | None = None) -> dict[str, int]:
    """Organizations per level label, best level first (every level of the year, zeros too)."""
    counts = Counter(r.level_label for r in rows)
    year = rows[0].year if rows else None
    order = level_order(year, catalog) if year else []
    out = {name: counts.get(name, 0) for name in order if name not in ("-", NO_DATA) or counts.get(name)}
    out.update({k: v for k, v in counts.items() if k not in out})
    return out


@dataclass(frozen=True)
class WeakSpot:
    """An indicator or an item where many offices fall short: ``below`` of ``offices`` are under ``limit``."""

    kind: str  # "indicator" or "item"
    code: str
    title: str
    tool: str
    limit: float
    offices: int
    below: int

    @property
    def share(self) -> float:
        return self.below / self.offices * 100 if self.offices else 0.0


def weak_indicators(rows: list[OverviewRow], catalog: Catalog,
                    threshold: float = DEFAULT_THRESHOLD) -> list[WeakSpot]:
    """Every indicator with the share of offices below the threshold, the weakest first."""
    out = []
    for ind in catalog.indicators:
        scores = [r.indicators[ind.number] for r in rows if ind.number in r.indicators]
        below = sum(1 for s in scores if is_below(s, threshold))
        out.append(WeakSpot("indicator", str(ind.number), ind.name, ind.tool, threshold, len(scores), below))
    return sorted(out, key=lambda w: (-w.share, int(w.code)))


def item_limits(catalog: Catalog, threshold: float = DEFAULT_THRESHOLD) -> dict[str, float]:
    """The limit of every item of the tools judged on full marks (OIT: 100)."""
    return {item.code: item_limit(tool, threshold)
            for tool in catalog.full_item_tools for number in tool.indicators
            for item in catalog.indicator(number).items}


def weak_items(counts: dict[str, tuple[int, int]], catalog: Catalog,
               threshold: float = DEFAULT_THRESHOLD) -> list[WeakSpot]:
    """Items with their share of offices short of the limit, the weakest first (counts from the file)."""
    limits = item_limits(catalog, threshold)
    out = []
    for code, (offices, below) in counts.items():
        tool = catalog.tool_of_item(code)
        item = catalog.item(code)
        out.append(WeakSpot("item", code, item.title if item else "", tool.code if tool else "",
                            limits.get(code, threshold), offices, below))
    return sorted(out, key=lambda w: (-w.share, item_sort_key(w.code)))


def _latest_tool_codes() -> tuple[str, ...]:
    return load_catalog(max(available_years())).tool_codes


# The overview table's columns (key, Thai heading), shared by the window, the CSV/Excel export and the PDF.
# The tools come from the newest bundled catalog (the catalog is the only place that names them).
TOOL_KEYS = _latest_tool_codes()
COLUMNS = (
    ("name", "ชื่อหน่วยงาน"), ("kind", "ประเภท"), ("district", "อำเภอ"), ("province", "จังหวัด"),
    *((code, code) for code in TOOL_KEYS), ("total", "คะแนนรวม"), ("level", "ระดับผล"),
    ("previous_year", "ปีที่เทียบ"), ("previous_total", "คะแนนปีที่เทียบ"), ("change", "เปลี่ยนแปลง (คะแนน)"),
)
SCORE_KEYS = frozenset({*TOOL_KEYS, "total", "previous_total", "change"})


def cell(row: OverviewRow, key: str):
    """A column's value as data: a number (None when unknown) or text."""
    if key in TOOL_KEYS:
        return row.tools.get(key)
    if key == "level":
        return row.level_label
    return getattr(row, key)


def sort_key(key: str, year: int | None = None):
    """Sort key of a column; unknown values sort after known ones whatever the order asked
    (the caller keeps them last), levels sort best to worst."""
    if key == "level" and year is not None:
        order = {name: i for i, name in enumerate(level_order(year))}
        return lambda row: order.get(row.level_label, len(order))
    if key in SCORE_KEYS or key == "previous_year":
        return lambda row: cell(row, key)
    return lambda row: natural_key(cell(row, key) or "")


_NUMBER = re.compile(r"(\d+)")


@lru_cache(maxsize=1 << 16)  # a province's names and places, sorted again and again
def natural_key(text: str) -> tuple:
    """"ที่2" before "ที่10": runs of digits compare as numbers (Thai digits too)."""
    parts = _NUMBER.split(to_arabic_digits(text))
    return tuple(int(p) if i % 2 else p for i, p in enumerate(parts))
