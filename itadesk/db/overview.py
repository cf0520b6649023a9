"""Bulk reads for the overview of many organizations: a handful of statements for the whole file.

A district or province file holds thousands of organizations; reading them one assessment at a
time (``Store.load_assessment``) costs a query per table per organization. These reads fetch what
the overview needs for one year in one statement per table, into bare :class:`Assessment`
objects (scores and published figures only); the rules in :mod:`itadesk.ita.overview` compute.
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass, field

from itadesk.ita.model import Assessment, Organization

# The assessments of the chosen year and, per organization, its latest earlier year.
_CHOSEN = """
WITH cur AS (SELECT org_uuid, uuid, fiscal_year FROM assessments WHERE fiscal_year = :year),
prev AS (SELECT a.org_uuid, a.uuid, a.fiscal_year FROM assessments a
         JOIN (SELECT org_uuid, MAX(fiscal_year) AS y FROM assessments
               WHERE fiscal_year < :year GROUP BY org_uuid) p
           ON p.org_uuid = a.org_uuid AND p.y = a.fiscal_year),
chosen AS (SELECT * FROM cur UNION ALL SELECT * FROM prev)
"""


@dataclass
class OverviewData:
    """What the overview of one year is computed from (no Qt, no SQL beyond this module)."""

    year: int
    organizations: list[Organization] = field(default_factory=list)
    current: dict[str, Assessment] = field(default_factory=dict)  # org uuid -> the chosen year
    previous: dict[str, Assessment] = field(default_factory=dict)  # org uuid -> its latest earlier year


def _has_table(conn: sqlite3.Connection, name: str) -> bool:
    return conn.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", (name,)).fetchone() is not None


def overview_data(conn: sqlite3.Connection, year: int, part_codes: list[str] = ()) -> OverviewData:
    """Every organization, with its scores of ``year`` and of its latest earlier year: four statements.

    ``part_codes``: the items whose parts decide a level (:func:`itadesk.ita.overview.part_item_codes`);
    only those item scores are read.
    """
    data = OverviewData(year)
    data.organizations = [
        Organization(uuid=u, name=n, kind=k, district=d, province=p)
        for u, n, k, d, p in conn.execute(
            "SELECT uuid, name, kind, district, province FROM organizations ORDER BY name")
    ]
    by_uuid: dict[str, Assessment] = {}
    # One row per assessment with its indicator scores as a JSON object: 16,000 rows for 8,000
    # organizations rather than 160,000 (the Python loop over rows is what costs).
    for org_uuid, uuid, fiscal_year, scores in conn.execute(
            _CHOSEN + "SELECT c.org_uuid, c.uuid, c.fiscal_year, "
                      "(SELECT json_group_object(s.indicator, s.score) FROM indicator_scores s "
                      " WHERE s.assessment_uuid = c.uuid) FROM chosen c", {"year": year}):
        a = Assessment(fiscal_year, org_uuid=org_uuid, uuid=uuid)
        a.indicators = {int(k): float(v) for k, v in json.loads(scores).items()} if scores else {}
        by_uuid[uuid] = a
        (data.current if fiscal_year == year else data.previous)[org_uuid] = a
    if not by_uuid:
        return data
    # Only item parts decide a level (EIT parts in 2568); plain item scores are not read here.
    codes = sorted(set(part_codes))
    for uuid, code, part, score in conn.execute(
            _CHOSEN + "SELECT i.assessment_uuid, i.code, i.part, i.score FROM chosen c "
                      "JOIN item_scores i ON i.assessment_uuid = c.uuid "
                      "AND i.code IN (SELECT value FROM json_each(:codes)) WHERE i.part > 0",
            {"year": year, "codes": json.dumps(codes)}) if codes else ():
        items = by_uuid[uuid].items
        value = items.get(code)
        if not isinstance(value, dict):
            value = items[code] = {}
        value[part] = score
    if _has_table(conn, "published_figures"):
        for uuid, figure, value in conn.execute(
                _CHOSEN + "SELECT f.assessment_uuid, f.figure, f.value FROM published_figures f "
                          "JOIN chosen c ON c.uuid = f.assessment_uuid", {"year": year}):
            try:
                by_uuid[uuid].published[figure] = value if figure == "level" else float(value)
            except ValueError:
                continue  # a figure that is not a number cannot override a computed one
    return data


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
