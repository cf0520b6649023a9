"""Each assessment's result kept in the file (``assessment_results``), so a district's summary
and overview read 48,000 results instead of 900,000 scores evaluated in Python.

The results are computed by :func:`itadesk.ita.results.result_of` only, and written at save
(:func:`refresh_results`, from :func:`itadesk.db.files.save_copy`; every file on a stick was
written by a save), in one transaction that is not an edit. Three things keep them honest:

- meta ``results_at`` says at which edit (count and schema version) they were last complete;
  an edit since makes every result untrusted, except where the connection knows exactly which
  assessments it changed: on a large file, temporary triggers list them (``results_dirty``);
- each row's ``basis`` names the scoring code and the year's catalog it was computed with, so
  a catalog edited, borrowed or changed by a new program version is not used;
- a file seen for the first time has every trusted result compared with a fresh evaluation,
  text for text (:func:`results_agree`, in :func:`itadesk.db.files.check_connection`): a
  result used is always the very text this program writes, which the summary copies
  (:mod:`itadesk.db.summary_json`).

A result not trusted is evaluated again by the reader (:meth:`Store.assessments_for_scoring`).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable

from itadesk.db.bookkeeping import edit_note, has_table, has_temp_table, meta_value, own_transaction, set_meta_value
from itadesk.ita.catalog import Catalogs
from itadesk.ita.results import Result, basis, result_of

RESULTS_AT = "results_at"
# From how many assessments a writable connection lists the ones it changes (temporary
# triggers). Below, re-evaluating every assessment at a save takes a few tens of milliseconds,
# and the triggers' statements would show in every statement trace of an edit.
TRACK_FROM = 1_000
_SOURCES = ("indicator_scores", "item_scores", "published_figures")


def has_results(conn: sqlite3.Connection, schema: str = "main") -> bool:
    return has_table(conn, "assessment_results", schema)


def _tracking(conn: sqlite3.Connection) -> str | None:
    """The note at which this connection started listing its changes (None: it does not)."""
    if not has_temp_table(conn, "results_base"):
        return None
    row = conn.execute("SELECT note FROM temp.results_base").fetchone()
    return row[0] if row else None


_STATE = ("SELECT (SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'assessment_results'), "
          f"(SELECT value FROM meta WHERE key = '{RESULTS_AT}'), "
          "(SELECT value FROM meta WHERE key = 'edit_count'), (SELECT user_version FROM pragma_user_version), "
          "(SELECT 1 FROM sqlite_temp_master WHERE type = 'table' AND name = 'results_base')")


def untrusted(conn: sqlite3.Connection) -> set[str] | None:
    """Assessments whose stored result may be out of date (None: all of them); one statement
    when the connection does not list its changes."""
    has, stored, count, version, tracked = conn.execute(_STATE).fetchone()
    if not has or stored is None:
        return None
    if tracked and _tracking(conn) == stored:
        return {u for (u,) in conn.execute("SELECT assessment_uuid FROM temp.results_dirty")}
    return set() if stored == f"{count or '0'}@{version}" else None


def _start_tracking(conn: sqlite3.Connection, note: str) -> None:
    if _tracking(conn) is None:
        statements = ["CREATE TEMP TABLE results_base (note TEXT NOT NULL)",
                      "CREATE TEMP TABLE results_dirty (assessment_uuid TEXT PRIMARY KEY) WITHOUT ROWID"]
        marks = [(t, e, r) for t in _SOURCES for e, r in (("insert", ("NEW",)), ("update", ("NEW", "OLD")),
                                                          ("delete", ("OLD",)))]
        marks += [("assessments", "insert", ("NEW",)), ("assessments", "update", ("NEW",))]
        for table, event, refs in marks:
            column = "uuid" if table == "assessments" else "assessment_uuid"
            # Not INSERT OR IGNORE: inside an upsert the outer statement's conflict rule would apply.
            body = " ".join(f"INSERT INTO results_dirty SELECT {r}.{column} WHERE NOT EXISTS "
                            f"(SELECT 1 FROM results_dirty WHERE assessment_uuid = {r}.{column});" for r in refs)
            statements.append(f'CREATE TEMP TRIGGER results_{table}_{event} AFTER {event.upper()} '
                              f'ON main."{table}" BEGIN {body} END')
        # A catalog saved or dropped changes the rules of its year and of the years that borrow
        # them: a kept result of other rules may now match them without ever having been
        # compared with its scores (a file from elsewhere), so every assessment is evaluated again.
        every = ("INSERT INTO results_dirty SELECT uuid FROM assessments WHERE uuid NOT IN "
                 "(SELECT assessment_uuid FROM results_dirty);")
        statements += [f'CREATE TEMP TRIGGER results_catalogs_{event} AFTER {event.upper()} ON main."catalogs" '
                       f'BEGIN {every} END' for event in ("insert", "update", "delete")]
        for statement in statements:
            conn.execute(statement)
    conn.execute("DELETE FROM temp.results_base")
    conn.execute("INSERT INTO temp.results_base(note) VALUES (?)", (note,))
    conn.execute("DELETE FROM temp.results_dirty")


def track_results(conn: sqlite3.Connection) -> None:
    """On a large file whose results are complete, list from now on the assessments this
    connection changes, so the next save re-evaluates only those (temporary, never in the file)."""
    if not has_results(conn) or _tracking(conn) is not None:
        return
    note = edit_note(conn)
    if meta_value(conn, RESULTS_AT) == note and conn.execute("SELECT count(*) FROM assessments").fetchone()[0] >= TRACK_FROM:
        _start_tracking(conn, note)


# The order of a summary: by organization name, then year; two offices of one name one after
# the other, not interleaved (itadesk.db.summary_json writes the rows in the same order).
ORDER = "o.name, a.org_uuid, a.fiscal_year"


def _rows(conn: sqlite3.Connection, org_uuid: str | None = None, results: bool = True):
    """(uuid, org_uuid, fiscal_year, basis, result) of every assessment (of one organization)
    in :data:`ORDER`."""
    where, args = ("WHERE a.org_uuid = ? ", (org_uuid,)) if org_uuid else ("", ())
    if not results:
        return conn.execute("SELECT a.uuid, a.org_uuid, a.fiscal_year, NULL, NULL FROM assessments a "
                            f"JOIN organizations o ON o.uuid = a.org_uuid {where}ORDER BY {ORDER}", args)
    return conn.execute(
        "SELECT a.uuid, a.org_uuid, a.fiscal_year, r.basis, r.result FROM assessments a "
        "JOIN organizations o ON o.uuid = a.org_uuid "
        "LEFT JOIN assessment_results r ON r.assessment_uuid = a.uuid "
        f"{where}ORDER BY {ORDER}", args)


def stored_results(conn: sqlite3.Connection, catalogs: Catalogs, org_uuid: str | None = None
                   ) -> tuple[list[tuple[str, str, int]], dict[str, Result]]:
    """Every assessment (of one organization) as (uuid, org_uuid, fiscal_year), in
    :data:`ORDER`, and the stored results that can be trusted; the others must be evaluated
    again."""
    doubtful = untrusted(conn)
    if doubtful is None and not has_results(conn):
        return [(u, o, y) for u, o, y, _, _ in _rows(conn, org_uuid, results=False)], {}
    rows = _rows(conn, org_uuid).fetchall()
    keys = [(u, o, y) for u, o, y, _, _ in rows]
    return keys, _trusted(doubtful, catalogs, ((u, y, b, t) for u, _, y, b, t in rows))


def trusted_results(conn: sqlite3.Connection, catalogs: Catalogs, rows) -> dict[str, Result]:
    """Of ``rows`` (uuid, fiscal_year, basis, result text) read with the assessments, the
    results that can be trusted (:func:`stored_results` for reads that join them themselves)."""
    return _trusted(untrusted(conn), catalogs, rows)


def _trusted(doubtful: set[str] | None, catalogs: Catalogs, rows) -> dict[str, Result]:
    if doubtful is None:
        return {}
    bases: dict[int, str] = {}
    uuids, texts = [], []
    for uuid, year, row_basis, text in rows:
        if text is None or uuid in doubtful:
            continue
        expected = bases.get(year)
        if expected is None:
            expected = bases[year] = basis(catalogs.for_year(year))
        if row_basis == expected:
            uuids.append(uuid)
            texts.append(text)
    try:
        return dict(zip(uuids, Result.many_from_texts(texts)))
    except (ValueError, TypeError):
        return {}  # not written by this program: evaluated again, like out-of-date ones


# Assessments read and evaluated at a time: a district's 48,000 with their scores at once took
# 150 MiB more than the rest of an import.
EVALUATE_AT_ONCE = 8_000


def evaluate_results(store, uuids: Iterable[str]) -> dict[str, Result]:
    """Fresh results of these assessments (``store``: a :class:`itadesk.db.store.Store`), read
    and evaluated :data:`EVALUATE_AT_ONCE` at a time."""
    wanted = sorted(set(uuids))
    out: dict[str, Result] = {}
    for start in range(0, len(wanted), EVALUATE_AT_ONCE):
        for a in store.assessments_for_scoring(uuids=wanted[start:start + EVALUATE_AT_ONCE]):
            out[a.uuid] = result_of(a, a.catalog)
    return out


def all_results(store, org_uuid: str | None = None) -> tuple[list[tuple[str, str, int]], dict[str, Result]]:
    """Every assessment as (uuid, org_uuid, fiscal_year) and its result: stored where it can be
    trusted, evaluated where not."""
    keys, results = stored_results(store.conn, store.catalogs(), org_uuid)
    results.update(evaluate_results(store, [u for u, _, _ in keys if u not in results]))
    return keys, results


def bases(conn: sqlite3.Connection, catalogs: Catalogs) -> dict[int, str]:
    """The basis a kept result of each year of the file must have to be used (:func:`basis`)."""
    return {y: basis(catalogs.for_year(y)) for (y,) in conn.execute("SELECT DISTINCT fiscal_year FROM assessments")}


def basis_case(year_bases: dict[int, str], column: str = "a.fiscal_year") -> tuple[str, list]:
    """SQL: the basis a result of the year in ``column`` must have (NULL for none), and its arguments."""
    if not year_bases:
        return "NULL", []
    return (f"CASE {column} {' '.join('WHEN ? THEN ?' for _ in year_bases)} END",
            [v for year, b in year_bases.items() for v in (year, b)])


def _stale(conn: sqlite3.Connection, catalogs: Catalogs) -> dict[str, int]:
    """uuid -> fiscal year of the assessments whose kept result cannot be used: changed since
    (listed, or all after an edit not listed), missing, or of other rules. SQL returns only
    those: the 48,000 others of a district's file are neither read into Python nor decoded."""
    doubtful = untrusted(conn)
    if doubtful is None:
        return dict(conn.execute("SELECT uuid, fiscal_year FROM assessments"))
    expected, args = basis_case(bases(conn, catalogs))
    stale = dict(conn.execute("SELECT a.uuid, a.fiscal_year FROM assessments a LEFT JOIN assessment_results r "
                              f"ON r.assessment_uuid = a.uuid WHERE r.basis IS NOT {expected}", args))
    if doubtful:
        stale.update(conn.execute("SELECT uuid, fiscal_year FROM assessments "
                                  "WHERE uuid IN (SELECT assessment_uuid FROM temp.results_dirty)"))
    return stale


def _usable_texts(conn: sqlite3.Connection, catalogs: Catalogs) -> dict[str, str]:
    """uuid -> kept text of every result a reader would use (not decoded)."""
    doubtful = untrusted(conn)
    if doubtful is None:
        return {}
    expected, args = basis_case(bases(conn, catalogs))
    return {u: t for u, t in conn.execute("SELECT a.uuid, r.result FROM assessments a JOIN assessment_results r "
                                          f"ON r.assessment_uuid = a.uuid WHERE r.basis = {expected}", args)
            if u not in doubtful}


def refresh_results(conn: sqlite3.Connection) -> int:
    """Bring the stored results up to date (before a save); how many were written. Not an edit.

    Only what is out of date is read: assessments the connection changed (or every one after an
    edit it did not list), a result missing or of other rules. The kept texts are not decoded;
    they were checked when the file was opened (:func:`results_agree`) or written here."""
    from itadesk.db.store import Store  # noqa: PLC0415 - store imports this module's neighbours

    if not has_results(conn):
        return 0
    store = Store(conn)
    catalogs = store.catalogs()  # once: every insert below would make Store's cache stale
    note = edit_note(conn)
    stale = _stale(conn, catalogs)
    with own_transaction(conn):
        if stale:
            fresh = evaluate_results(store, stale)
            conn.executemany(
                "INSERT OR REPLACE INTO assessment_results(assessment_uuid, basis, result) VALUES (?, ?, ?)",
                ((u, basis(catalogs.for_year(stale[u])), r.to_text()) for u, r in fresh.items()))
        if meta_value(conn, RESULTS_AT) != note:
            set_meta_value(conn, RESULTS_AT, note)
        if _tracking(conn) is not None:
            _start_tracking(conn, note)
    track_results(conn)
    return len(stale)


def forget_results(conn: sqlite3.Connection) -> None:
    """Trust none of the stored results (they disagree with the scores): the next save
    evaluates every assessment again. Not an edit."""
    if has_results(conn):
        conn.execute("DELETE FROM meta WHERE key = ?", (RESULTS_AT,))


def results_agree(conn: sqlite3.Connection) -> bool:
    """Whether every result this program would use is, to the byte, the text it writes for a
    fresh evaluation (a file seen for the first time: a result written by someone else must not
    decide a summary, nor a text that only reads the same, which the summary would copy
    as it is, :mod:`itadesk.db.summary_json`)."""
    from itadesk.db.store import Store  # noqa: PLC0415

    if not has_results(conn):
        return True
    store = Store(conn)
    kept = _usable_texts(conn, store.catalogs())
    if not kept:
        return True
    fresh = evaluate_results(store, kept)
    return all(u in fresh and fresh[u].to_text() == text for u, text in kept.items())
