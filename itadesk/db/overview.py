"""Bulk reads for the overview of many organizations: a handful of statements for the whole file.

A district or province file holds thousands of organizations; reading them one assessment at a
time (``Store.load_assessment``) costs a query per table per organization. These reads fetch what
the overview needs for one year in one statement per table; each bare :class:`Assessment` (scores
and published figures only) is built when the rules in :mod:`itadesk.ita.overview` first ask.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from itadesk.db.bookkeeping import has_table
from itadesk.ita.model import Assessment, Organization
from itadesk.texts import level_label

# The assessments of the chosen year and, per organization, its latest earlier year.
_CHOSEN = """
WITH cur AS (SELECT org_uuid, uuid, fiscal_year FROM assessments WHERE fiscal_year = :year),
prev AS (SELECT a.org_uuid, a.uuid, a.fiscal_year FROM assessments a
         JOIN (SELECT org_uuid, MAX(fiscal_year) AS y FROM assessments
               WHERE fiscal_year < :year GROUP BY org_uuid) p
           ON p.org_uuid = a.org_uuid AND p.y = a.fiscal_year),
chosen AS (SELECT * FROM cur UNION ALL SELECT * FROM prev)
"""


class LazyAssessments(Mapping):
    """Organization uuid -> its bare :class:`Assessment`, built from the fetched row when first
    asked for: the first screen needs a few hundred of a province's 16,000."""

    def __init__(self, parts: dict[str, dict], published: dict[str, dict]):
        self.rows: dict[str, tuple[str, int, str | None]] = {}  # org uuid -> (uuid, year, scores JSON)
        self._parts, self._published = parts, published
        self._built: dict[str, Assessment] = {}

    def __getitem__(self, org_uuid: str) -> Assessment:
        a = self._built.get(org_uuid)
        if a is None:
            uuid, fiscal_year, scores = self.rows[org_uuid]
            a = Assessment(fiscal_year, org_uuid=org_uuid, uuid=uuid)
            a.indicators = {int(k): float(v) for k, v in json.loads(scores).items()} if scores else {}
            a.items = {code: dict(parts) for code, parts in self._parts.get(uuid, {}).items()}
            a.published = dict(self._published.get(uuid, {}))
            self._built[org_uuid] = a
        return a

    def __iter__(self):
        return iter(self.rows)

    def __len__(self) -> int:
        return len(self.rows)


@dataclass
class OverviewData:
    """What the overview of one year is computed from (no Qt, no SQL beyond this module)."""

    year: int
    organizations: list[Organization] = field(default_factory=list)
    parts: dict[str, dict[str, dict[int, float]]] = field(default_factory=dict)  # uuid -> code -> part -> score
    published: dict[str, dict[str, float | str]] = field(default_factory=dict)  # uuid -> figure -> value
    stored: list[tuple[str, int, str | None, str | None]] = field(default_factory=list)  # uuid, year, basis, result
    results: Mapping = field(default_factory=dict)  # uuid -> the kept result that can be used
    current: LazyAssessments = None  # org uuid -> the chosen year
    previous: LazyAssessments = None  # org uuid -> its latest earlier year

    def __post_init__(self):
        self.current = LazyAssessments(self.parts, self.published)
        self.previous = LazyAssessments(self.parts, self.published)


def overview_data(conn: sqlite3.Connection, year: int, part_codes: list[str] = (),
                  kept: Callable[[list], Mapping] | None = None) -> OverviewData:
    """Every organization, with its scores of ``year`` and of its latest earlier year: two to
    five statements.

    ``kept(stored)``: of the results the file keeps (uuid, year, basis, result text), those that
    can be used (:func:`itadesk.db.results.trusted_results`), in ``data.results``. What the
    rules need to evaluate the others is read only for them: an earlier year's indicator scores,
    and the parts of ``part_codes`` (the items whose parts decide a level,
    :func:`itadesk.ita.overview.part_item_codes`) and the published figures.
    """
    data = OverviewData(year)
    data.organizations = [
        Organization(uuid=u, name=n, kind=k, district=d, province=p)
        for u, n, k, d, p in conn.execute(
            "SELECT uuid, name, kind, district, province FROM organizations ORDER BY name")
    ]
    # One row per assessment with its indicator scores as a JSON object: 16,000 rows for 8,000
    # organizations rather than 160,000 (the Python loop over rows is what costs). With each,
    # the result the file keeps; an earlier year's scores only when it keeps none.
    for org_uuid, uuid, fiscal_year, scores, basis, result in conn.execute(
            _CHOSEN + "SELECT c.org_uuid, c.uuid, c.fiscal_year, "
                      "CASE WHEN c.fiscal_year = :year OR r.result IS NULL THEN "
                      "(SELECT json_group_object(s.indicator, s.score) FROM indicator_scores s "
                      " WHERE s.assessment_uuid = c.uuid) END, r.basis, r.result FROM chosen c "
                      "LEFT JOIN assessment_results r ON r.assessment_uuid = c.uuid", {"year": year}):
        (data.current if fiscal_year == year else data.previous).rows[org_uuid] = (uuid, fiscal_year, scores)
        data.stored.append((uuid, fiscal_year, basis, result))
    data.results = dict(kept(data.stored)) if kept is not None else {}
    need = [u for u, _y, _b, _r in data.stored if u not in data.results]
    if not need:
        return data
    unread = {u for u, _y, scores in data.previous.rows.values() if scores is None and u not in data.results}
    if unread:
        previous_scores(conn, data, unread)
    chosen = {"year": year, "need": json.dumps(need)}
    need_sql = " AND c.uuid IN (SELECT value FROM json_each(:need))"
    # Only item parts decide a level (EIT parts in 2568); plain item scores are not read here.
    codes = sorted(set(part_codes))
    for uuid, code, part, score in conn.execute(
            _CHOSEN + "SELECT i.assessment_uuid, i.code, i.part, i.score FROM chosen c "
                      "JOIN item_scores i ON i.assessment_uuid = c.uuid "
                      "AND i.code IN (SELECT value FROM json_each(:codes)) WHERE i.part > 0" + need_sql,
            {**chosen, "codes": json.dumps(codes)}) if codes else ():
        data.parts.setdefault(uuid, {}).setdefault(code, {})[part] = score
    if has_table(conn, "published_figures"):
        for uuid, figure, value in conn.execute(
                _CHOSEN + "SELECT f.assessment_uuid, f.figure, f.value FROM published_figures f "
                          "JOIN chosen c ON c.uuid = f.assessment_uuid WHERE 1" + need_sql, chosen):
            try:
                # As Store.published reads them: the level is stored as a code.
                data.published.setdefault(uuid, {})[figure] = level_label(value) if figure == "level" else float(value)
            except ValueError:
                continue  # a figure that is not a number cannot override a computed one
    return data


def previous_scores(conn: sqlite3.Connection, data: OverviewData, uuids: set[str]) -> None:
    """Read the indicator scores of these earlier-year assessments (not read with the rest:
    they had a result, which turned out not to be up to date)."""
    rows = data.previous.rows
    org_of = {row[0]: org for org, row in rows.items() if row[0] in uuids}
    for uuid, scores in conn.execute(
            "SELECT a.uuid, (SELECT json_group_object(s.indicator, s.score) FROM indicator_scores s "
            "WHERE s.assessment_uuid = a.uuid) FROM assessments a WHERE a.uuid IN (SELECT value FROM json_each(?))",
            (json.dumps(sorted(org_of)),)):
        org = org_of[uuid]
        rows[org] = (*rows[org][:2], scores)


def overview_years(conn: sqlite3.Connection) -> dict[int, int]:
    """Years with data, and how many organizations have each."""
    return {y: n for y, n in conn.execute(
        "SELECT fiscal_year, COUNT(*) FROM assessments GROUP BY fiscal_year ORDER BY fiscal_year")}


def items_below(conn: sqlite3.Connection, year: int, limits: dict[str, float],
                org_uuids: list[str] | None = None) -> dict[str, tuple[int, int]]:
    """Per item code of ``limits``: (offices with a score of it in ``year``, offices below its limit),
    over ``org_uuids`` (every organization when None).

    The limits are the rules' (:func:`itadesk.ita.findings.item_limit`); SQL only counts. An item
    with parts counts by the mean of its parts, as :meth:`Assessment.item_score` does.
    """
    if not limits or org_uuids == []:
        return {}
    values = ", ".join("(?, ?)" for _ in limits)
    args: list = [v for code, limit in limits.items() for v in (code, limit)]
    sql = (f"WITH lim(code, lim) AS (VALUES {values}), "
           "per AS (SELECT i.assessment_uuid, i.code, AVG(i.score) AS score FROM item_scores i "
           "JOIN assessments a ON a.uuid = i.assessment_uuid "
           "WHERE a.fiscal_year = ? AND i.code IN (SELECT code FROM lim) "
           + ("AND a.org_uuid IN (SELECT value FROM json_each(?)) " if org_uuids is not None else "")
           + "GROUP BY i.assessment_uuid, i.code) "
           "SELECT per.code, COUNT(*), SUM(ROUND(per.score, 2) < lim.lim) FROM per "
           "JOIN lim ON lim.code = per.code GROUP BY per.code")
    args.append(year)
    if org_uuids is not None:
        args.append(json.dumps(org_uuids))
    return {code: (n, below or 0) for code, n, below in conn.execute(sql, args)}
