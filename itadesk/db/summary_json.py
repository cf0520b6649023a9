"""The rows of ``itadesk summary --json`` cut from the kept result texts, when every one of them
can be used: a district's 48,000 lines without decoding a result, building a dict or encoding
it (0.9 of the command's 1.1 CPU seconds did that; this takes about 0.25).

Each line is exactly what :func:`itadesk.cli.summary_rows` and :func:`itadesk.cli.json_rows`
write for it. That holds because a result used is always the very text
:meth:`itadesk.ita.results.Result.to_text` writes (:func:`itadesk.db.results.results_agree`
compares a file from elsewhere text for text, and this program writes no other): its tool
scores, total, level and rules year are copied as they stand there (``json.dumps`` of the
same values), its tool codes lower-cased (capitals, digits and ``_``:
:func:`itadesk.ita.fields.check_tool_code`). The change against the year before is the
difference of two two-decimal totals, printed with two decimals less the zeros ``repr``
would not write (what ``Change.points`` gives). Anything else (a result out of date or of
other rules, a text of another shape, a tool code that would stand for a column of the row)
and the caller builds the rows from evaluated results instead.

Having SQLite write the lines (``json_quote``, ``lag`` over a window, ``printf``) was tried
and measured: 0.59 CPU s against 0.26 here, the string functions and the window's sort
costing more per row than Python's ``str`` methods.
"""

from __future__ import annotations

import json
import sqlite3

from itadesk.db.results import ORDER, bases, has_results, untrusted
from itadesk.ita.catalog import Catalogs
from itadesk.texts import LEVEL_LABELS

# The row's own columns (summary_rows): a tool code lower-cased to one of them is written once there.
COLUMNS = frozenset({"organization", "fiscal_year", "total", "level", "level_name", "level_confirmed", "change",
                     "rules_year"})
_QUOTE = json.JSONEncoder(ensure_ascii=False).encode
# The level as the text holds it -> its Thai name as the row holds it (texts.level_label; none for "").
_LEVEL_NAMES = {_QUOTE(code): _QUOTE(label) for code, label in LEVEL_LABELS.items()} | {"null": "null", '""': "null"}
_READ = ("SELECT o.name, a.org_uuid, a.fiscal_year, r.basis, r.result FROM assessments a "
         "JOIN organizations o ON o.uuid = a.org_uuid LEFT JOIN assessment_results r ON r.assessment_uuid = a.uuid "
         f"ORDER BY {ORDER}")


def summary_json_rows(conn: sqlite3.Connection, catalogs: Catalogs, year: int | None = None) -> list[str] | None:
    """Each organization-year of the summary (of ``year`` only) as one line of JSON, in
    :data:`itadesk.db.results.ORDER`; None when a kept result cannot be used."""
    if not has_results(conn) or untrusted(conn) != set():
        return None
    expected = bases(conn, catalogs)
    if any(code.lower() in COLUMNS for y in expected for code in catalogs.for_year(y).tool_codes):
        return None
    lines: list[str] = []
    add = lines.append
    level_names = _LEVEL_NAMES
    org_before = name = total_before = None
    for org_name, org, fiscal_year, row_basis, text in conn.execute(_READ):
        # A text of the shape to_text writes: "[{"IIT":81.29,"EIT":null},85.08,"good",true,2568]".
        if row_basis != expected[fiscal_year] or text[:2] != "[{" or text[-1:] != "]" or "\\" in text:
            return None  # a result missing (no basis), of other rules, or not cut as below
        cut = text.find("}")
        try:
            total, rest = text[cut + 2:-1].split(",", 1)
            level, confirmed, rules_year = rest.rsplit(",", 2)
        except ValueError:
            return None
        if org != org_before:
            org_before, name, total_before = org, _QUOTE(org_name), None
        if total_before is None or total == "null":
            change = "null"
        else:
            change = f"{float(total) - total_before:.2f}".rstrip("0")
            change += "0" if change[-1] == "." else ""
        total_before = None if total == "null" else float(total)
        if year is not None and fiscal_year != year:
            continue
        tools = text[2:cut].lower().replace('":', '": ').replace(',"', ', "')
        add(f'{{"organization": {name}, "fiscal_year": {fiscal_year}{", " if tools else ""}{tools}, '
            f'"total": {total}, "level": {level}, "level_name": {level_names.get(level, level)}, '
            f'"level_confirmed": {confirmed}, "change": {change}, "rules_year": {rules_year}}}')
    return lines
