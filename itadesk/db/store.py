"""The store: domain objects in and out of one open document connection.

Every public write is one transaction, committed at once, so whatever the officer typed is
on disk in the working copy before the call returns.
"""

from __future__ import annotations

import contextlib
import functools
import json
import sqlite3
import uuid as _uuid
from datetime import date, datetime, timezone

from itadesk.db.errors import translate
from itadesk.db.schema import introspect, upgrade_status
from itadesk.db.validate import MAX_INDICATOR, check_row
from itadesk.db.versions import revive
from itadesk.ita.catalog import BUNDLED, Catalogs, parse_catalog_text
from itadesk.ita.fields import ITEM_CODE
from itadesk.ita.model import ORG_DETAILS, Action, Assessment, Organization, new_uuid
from itadesk.texts import level_code, level_label

ORG_FIELDS = (
    "name", "kind", "district", "province", "code",
    "preparer_name", "preparer_position", "approver_name", "approver_position",
)


# What belongs to one assessment (one organization's year), deleted and replaced with it.
CHILD_TABLES = ("indicator_scores", "item_scores", "recommendations", "analyses", "actions", "published_figures",
                "draft_bases")
IMPORT_CACHE_KIB = 64 * 1024  # page cache while importing (see import_assessments)


def now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="microseconds")


def _iso(day: date | None) -> str | None:
    return day.isoformat() if day else None


def _day(text: str | None) -> date | None:
    return date.fromisoformat(text) if text else None


class Store:
    def __init__(self, conn: sqlite3.Connection):
        self.conn = conn
        # The edit count as our last write left it (None: not known, read it). Only this
        # store writes the connection, except a restore, which calls forget_edit_count().
        self._edit_count: int | None = None
        # The document's catalogs as last read, and the (uuid, updated_at) of their rows then.
        self._catalogs: Catalogs = BUNDLED
        self._catalogs_key: tuple = ()
        self._catalogs_seen: int | None = None  # conn.total_changes when they were last checked

    # -- plumbing ---------------------------------------------------------
    @contextlib.contextmanager
    def transaction(self):
        """One atomic write; also counts edits so recovery can say how many were not saved."""
        try:
            self.conn.execute("BEGIN IMMEDIATE")
        except sqlite3.Error as exc:
            raise translate(exc) from exc
        try:
            yield self.conn
            count = self.conn.execute(
                "INSERT INTO meta(key, value) VALUES ('edit_count', '1') "
                "ON CONFLICT(key) DO UPDATE SET value = CAST(value AS INTEGER) + 1 RETURNING value"
            ).fetchall()
            self.conn.execute("COMMIT")
            self._edit_count = int(count[0][0])
        except BaseException as exc:
            with contextlib.suppress(sqlite3.Error):
                self.conn.execute("ROLLBACK")
            if isinstance(exc, sqlite3.Error):
                raise translate(exc) from exc
            raise

    def edit_count(self) -> int:
        if self._edit_count is None:
            row = self.conn.execute("SELECT value FROM meta WHERE key = 'edit_count'").fetchone()
            self._edit_count = int(row[0]) if row else 0
        return self._edit_count

    def forget_edit_count(self) -> None:
        """The content was replaced behind the store's back (restore of a backup)."""
        self._edit_count = None
        self._catalogs_seen = None

    def get_meta(self, key: str, default: str | None = None) -> str | None:
        row = self.conn.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return row[0] if row else default

    def set_meta(self, key: str, value: str) -> None:
        check_row("meta", {"key": key, "value": value})
        with self.transaction() as c:
            c.execute(
                "INSERT INTO meta(key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                (key, value),
            )

    # -- organizations ----------------------------------------------------
    def organizations(self) -> list[Organization]:
        rows = self.conn.execute(
            f"SELECT uuid, {', '.join(ORG_FIELDS)} FROM organizations ORDER BY name"
        ).fetchall()
        return [Organization(uuid=r[0], **dict(zip(ORG_FIELDS, r[1:]))) for r in rows]

    def organization(self, uuid: str) -> Organization | None:
        return next((o for o in self.organizations() if o.uuid == uuid), None)

    def find_organization(self, name: str, province: str | None = None) -> Organization | None:
        return OrganizationIndex(self.organizations()).find(name, province)

    def save_organization(self, org: Organization) -> Organization:
        with self.transaction() as c:
            self._upsert_org(c, org)
        return org

    def _upsert_org(self, c, org: Organization) -> None:
        values = [getattr(org, f) or "" for f in ORG_FIELDS]
        check_row("organizations", {"uuid": org.uuid, **dict(zip(ORG_FIELDS, values))})
        c.execute(
            f"INSERT INTO organizations(uuid, {', '.join(ORG_FIELDS)}, updated_at) "
            f"VALUES (?, {', '.join('?' * len(ORG_FIELDS))}, ?) "
            f"ON CONFLICT(uuid) DO UPDATE SET {', '.join(f'{f} = excluded.{f}' for f in ORG_FIELDS)}, "
            "updated_at = excluded.updated_at",
            [org.uuid, *values, now()],
        )
        revive(c, org.uuid)

    def delete_organization(self, uuid: str) -> None:
        with self.transaction() as c:
            for (a_uuid,) in c.execute("SELECT uuid FROM assessments WHERE org_uuid = ?", (uuid,)).fetchall():
                self._delete_assessment(c, a_uuid)
            c.execute("DELETE FROM organizations WHERE uuid = ?", (uuid,))
            self._tombstone(c, uuid, "organizations")

    # -- assessments ------------------------------------------------------
    def assessment_keys(self, org_uuid: str | None = None) -> list[tuple[str, int, str]]:
        """(org_uuid, fiscal_year, assessment_uuid) sorted by organization name then year."""
        sql = (
            "SELECT a.org_uuid, a.fiscal_year, a.uuid FROM assessments a "
            "JOIN organizations o ON o.uuid = a.org_uuid"
        )
        args: tuple = ()
        if org_uuid:
            sql += " WHERE a.org_uuid = ?"
            args = (org_uuid,)
        return [tuple(r) for r in self.conn.execute(sql + " ORDER BY o.name, a.fiscal_year", args)]

    def years(self, org_uuid: str) -> list[int]:
        return [y for _, y, _ in self.assessment_keys(org_uuid)]

    def assessment_uuid(self, org_uuid: str, year: int) -> str | None:
        row = self.conn.execute(
            "SELECT uuid FROM assessments WHERE org_uuid = ? AND fiscal_year = ?", (org_uuid, year)
        ).fetchone()
        return row[0] if row else None

    def ensure_assessment(self, org_uuid: str, year: int) -> str:
        existing = self.assessment_uuid(org_uuid, year)
        if existing:
            return existing
        check_row("assessments", {"fiscal_year": year})
        uuid = new_uuid()
        with self.transaction() as c:
            c.execute(
                "INSERT INTO assessments(uuid, org_uuid, fiscal_year, updated_at) VALUES (?, ?, ?, ?)",
                (uuid, org_uuid, year, now()),
            )
        return uuid

    def load_assessment(self, org_uuid: str, year: int) -> Assessment | None:
        uuid = self.assessment_uuid(org_uuid, year)
        return self.load_assessment_by_uuid(uuid) if uuid else None

    def previous_assessment(self, org_uuid: str, year: int) -> Assessment | None:
        row = self.conn.execute(
            "SELECT uuid FROM assessments WHERE org_uuid = ? AND fiscal_year < ? ORDER BY fiscal_year DESC LIMIT 1",
            (org_uuid, year),
        ).fetchone()
        return self.load_assessment_by_uuid(row[0]) if row else None

    def load_assessment_by_uuid(self, uuid: str) -> Assessment | None:
        c = self.conn
        head = c.execute("SELECT org_uuid, fiscal_year FROM assessments WHERE uuid = ?", (uuid,)).fetchone()
        if head is None:
            return None
        a = Assessment(fiscal_year=head[1], org_uuid=head[0], uuid=uuid)
        for number, score in c.execute(
            "SELECT indicator, score FROM indicator_scores WHERE assessment_uuid = ?", (uuid,)
        ):
            a.indicators[number] = score
        for code, part, score in c.execute(
            "SELECT code, part, score FROM item_scores WHERE assessment_uuid = ? ORDER BY code, part", (uuid,)
        ):
            if part:
                current = a.items.get(code)
                if not isinstance(current, dict):
                    current = {}
                    a.items[code] = current
                current[part] = score
            else:
                a.items[code] = score
        for tool, text in c.execute("SELECT tool, text FROM recommendations WHERE assessment_uuid = ?", (uuid,)):
            a.recommendations[tool] = text
        for number, text in c.execute("SELECT indicator, text FROM analyses WHERE assessment_uuid = ?", (uuid,)):
            a.analysis[number] = text
        a.published = self.published(uuid)
        a.draft_basis = self.draft_bases(uuid)
        a.actions = self.actions(uuid)
        a.catalog = self.catalogs().for_year(a.fiscal_year)
        return a

    def assessments_for_scoring(self, org_uuid: str | None = None, uuids: list[str] | None = None
                                ) -> list[Assessment]:
        """Every assessment (of one organization, or these ``uuids``, if given) with what scoring
        reads: indicator and item scores and published figures; texts, plans and draft bases
        are left out.

        Three queries for the whole file instead of several per assessment (a district's
        summary covers 48,000 of them). Ordered as :meth:`assessment_keys`."""
        if uuids is not None:
            keys = [tuple(r) for r in self.conn.execute(
                "SELECT a.org_uuid, a.fiscal_year, a.uuid FROM assessments a JOIN organizations o ON o.uuid = a.org_uuid "
                "WHERE a.uuid IN (SELECT value FROM json_each(?)) ORDER BY o.name, a.fiscal_year",
                (json.dumps(list(uuids)),))]
        else:
            keys = self.assessment_keys(org_uuid)
        catalogs = self.catalogs()  # each carries its year's catalog, as load_assessment_by_uuid gives it
        out = {uuid: Assessment(fiscal_year=year, org_uuid=org, uuid=uuid, catalog=catalogs.for_year(year))
               for org, year, uuid in keys}
        where, args = "", ()
        if uuids is not None:
            where, args = " WHERE assessment_uuid IN (SELECT value FROM json_each(?))", (json.dumps(list(out)),)
        elif org_uuid:
            where, args = " WHERE assessment_uuid IN (SELECT uuid FROM assessments WHERE org_uuid = ?)", (org_uuid,)
        for a_uuid, number, score in self.conn.execute(
                "SELECT assessment_uuid, indicator, score FROM indicator_scores" + where, args):
            out[a_uuid].indicators[number] = score
        for a_uuid, code, part, score in self.conn.execute(
                "SELECT assessment_uuid, code, part, score FROM item_scores" + where, args):
            items = out[a_uuid].items
            if part:  # parts make a dict, as load_assessment_by_uuid does (a part-0 score gives way)
                current = items.get(code)
                if not isinstance(current, dict):
                    current = items[code] = {}
                current[part] = score
            elif not isinstance(items.get(code), dict):
                items[code] = score
        if self._has("published_figures"):
            for a_uuid, figure, value in self.conn.execute(
                    "SELECT assessment_uuid, figure, value FROM published_figures" + where, args):
                out[a_uuid].published[figure] = value if figure == "level" else float(value)
        return list(out.values())

    def save_assessment(self, a: Assessment, org: Organization | None = None) -> str:
        """Add or replace a whole assessment (same organization and year = replace)."""
        _check_assessment(a)
        with self.transaction() as c:
            self._save_assessment(c, a, org)
        return a.uuid

    def import_assessments(self, entries: list[tuple[Organization, Assessment]]) -> None:
        """Add or replace many whole assessments in one transaction, all or nothing (an import).

        An organization already in the content under the same name (and province) is updated
        rather than duplicated. Organizations are looked up in an index built once, not read
        again per entry (a district's 48,000 entries made that quadratic)."""
        for _org, a in entries:
            _check_assessment(a)
        index = OrganizationIndex(self.organizations())
        cache = self.conn.execute("PRAGMA main.cache_size").fetchone()[0]
        # Score rows go where their assessment's key puts them (schema 7: no rowid to append
        # to): a district's import touches pages all over the table (default cache: 2 MiB).
        self.conn.execute(f"PRAGMA main.cache_size = -{IMPORT_CACHE_KIB}")
        try:
            self._import_entries(entries, index)
        finally:
            self.conn.execute(f"PRAGMA main.cache_size = {cache}")

    def _import_entries(self, entries: list[tuple[Organization, Assessment]], index: OrganizationIndex) -> None:
        with self.transaction() as c:
            for org, a in entries:
                existing = index.find(org.name, org.province or None)
                if existing is not None:
                    for name in ORG_DETAILS:
                        value = getattr(org, name)
                        if value:
                            setattr(existing, name, value)
                    org = existing
                else:
                    index.add(org)
                self._save_assessment(c, a, org)

    def _save_assessment(self, c, a: Assessment, org: Organization | None) -> None:
        if org is not None:
            self._upsert_org(c, org)
            a.org_uuid = org.uuid
        existing = c.execute(
            "SELECT uuid FROM assessments WHERE org_uuid = ? AND fiscal_year = ?", (a.org_uuid, a.fiscal_year)
        ).fetchone()
        if existing:
            a.uuid = existing[0]
            for table in CHILD_TABLES:
                for (row_uuid,) in c.execute(f"SELECT uuid FROM {table} WHERE assessment_uuid = ?", (a.uuid,)).fetchall():
                    self._tombstone(c, row_uuid, table)
                c.execute(f"DELETE FROM {table} WHERE assessment_uuid = ?", (a.uuid,))
            c.execute("UPDATE assessments SET updated_at = ? WHERE uuid = ?", (now(), a.uuid))
        else:
            c.execute(
                "INSERT INTO assessments(uuid, org_uuid, fiscal_year, updated_at) VALUES (?, ?, ?, ?)",
                (a.uuid, a.org_uuid, a.fiscal_year, now()),
            )
            revive(c, a.uuid)  # the same year put back (undo of its deletion)
        stamp = now()
        c.executemany(
            "INSERT INTO indicator_scores(uuid, assessment_uuid, indicator, score, updated_at) VALUES (?, ?, ?, ?, ?)",
            [(new_uuid(), a.uuid, n, s, stamp) for n, s in sorted(a.indicators.items()) if s is not None],
        )
        rows = []
        for code, value in a.items.items():
            if isinstance(value, dict):
                rows += [(new_uuid(), a.uuid, code, int(p), s, stamp) for p, s in value.items() if s is not None]
            elif value is not None:
                rows.append((new_uuid(), a.uuid, code, 0, value, stamp))
        c.executemany(
            "INSERT INTO item_scores(uuid, assessment_uuid, code, part, score, updated_at) VALUES (?, ?, ?, ?, ?, ?)",
            rows,
        )
        c.executemany(
            "INSERT INTO recommendations(uuid, assessment_uuid, tool, text, updated_at) VALUES (?, ?, ?, ?, ?)",
            [(new_uuid(), a.uuid, t, text, stamp) for t, text in a.recommendations.items() if text],
        )
        c.executemany(
            "INSERT INTO analyses(uuid, assessment_uuid, indicator, text, updated_at) VALUES (?, ?, ?, ?, ?)",
            [(new_uuid(), a.uuid, n, text, stamp) for n, text in a.analysis.items() if text],
        )
        for position, action in enumerate(a.actions):
            action.uuid = _free_action_uuid(c, action.uuid, a.uuid, position)
            self._insert_action(c, a.uuid, position, action)
        for figure, value in a.published.items():
            self._set_published(c, a.uuid, figure, value)
        for number, basis in a.draft_basis.items():
            self._set_draft_basis(c, a.uuid, number, basis)

    def delete_assessment(self, uuid: str) -> None:
        with self.transaction() as c:
            self._delete_assessment(c, uuid)

    def delete_assessment_if_empty(self, uuid: str) -> bool:
        """Delete a year only when nothing was entered in it (no score, text or plan row);
        undo of the first edit of a year uses it. Returns whether it was deleted."""
        # Checked before the transaction so that "nothing to delete" is not counted as an edit;
        # only this program writes the working copy, so nothing can slip in between.
        c = self.conn
        if c.execute("SELECT 1 FROM assessments WHERE uuid = ?", (uuid,)).fetchone() is None:
            return False
        for table in CHILD_TABLES:
            if c.execute(f"SELECT 1 FROM {table} WHERE assessment_uuid = ? LIMIT 1", (uuid,)).fetchone():
                return False
        with self.transaction() as tx:
            self._delete_assessment(tx, uuid)
        return True

    def _delete_assessment(self, c, uuid: str) -> None:
        for table in CHILD_TABLES:
            for (row_uuid,) in c.execute(f"SELECT uuid FROM {table} WHERE assessment_uuid = ?", (uuid,)).fetchall():
                self._tombstone(c, row_uuid, table)
            c.execute(f"DELETE FROM {table} WHERE assessment_uuid = ?", (uuid,))
        c.execute("DELETE FROM assessments WHERE uuid = ?", (uuid,))
        self._tombstone(c, uuid, "assessments")

    # -- single-field edits (what the GUI does while the officer types) ----
    def set_indicator_score(self, assessment_uuid: str, number: int, score: float | None) -> None:
        with self.transaction() as c:
            self._set_indicator_score(c, assessment_uuid, number, score)

    def set_item_score(self, assessment_uuid: str, code: str, part: int, score: float | None) -> None:
        with self.transaction() as c:
            self._set_item_score(c, assessment_uuid, code, part, score)

    def set_recommendation(self, assessment_uuid: str, tool: str, text: str) -> None:
        with self.transaction() as c:
            self._set_text(c, "recommendations", "tool", assessment_uuid, tool, text)

    def set_analysis(self, assessment_uuid: str, indicator: int, text: str) -> None:
        with self.transaction() as c:
            self._set_text(c, "analyses", "indicator", assessment_uuid, indicator, text)

    # -- several cells at once (paste, fill, undo of those): all or nothing ----
    def set_scores(self, assessment_uuid: str, indicators: dict[int, float | None],
                   items: dict[tuple[str, int], float | None]) -> None:
        """Set (or clear, with None) several indicator and item scores in one transaction.

        ``items`` is keyed by (item code, part); part 0 is an item without parts.
        A value the file refuses (out of range) leaves every score as it was.
        """
        if not indicators and not items:
            return
        with self.transaction() as c:
            for number, score in indicators.items():
                self._set_indicator_score(c, assessment_uuid, number, score)
            for (code, part), score in items.items():
                self._set_item_score(c, assessment_uuid, code, part, score)

    def set_analyses(self, assessment_uuid: str, texts: dict[int, str]) -> None:
        """Set (or clear, with "") several indicators' analysis texts in one transaction."""
        if not texts:
            return
        with self.transaction() as c:
            for indicator, text in texts.items():
                self._set_text(c, "analyses", "indicator", assessment_uuid, indicator, text)

    def _set_indicator_score(self, c, assessment_uuid: str, number: int, score: float | None) -> None:
        check_row("indicator_scores", {"indicator": number, **({} if score is None else {"score": score})})
        if score is None:
            self._delete_where(c, "indicator_scores", "assessment_uuid = ? AND indicator = ?", (assessment_uuid, number))
        else:
            c.execute(
                "INSERT INTO indicator_scores(uuid, assessment_uuid, indicator, score, updated_at) VALUES (?, ?, ?, ?, ?) "
                "ON CONFLICT(assessment_uuid, indicator) DO UPDATE SET score = excluded.score, updated_at = excluded.updated_at",
                (new_uuid(), assessment_uuid, number, score, now()),
            )

    def _set_item_score(self, c, assessment_uuid: str, code: str, part: int, score: float | None) -> None:
        check_row("item_scores", {"code": code, "part": part, **({} if score is None else {"score": score})})
        if score is None:
            self._delete_where(c, "item_scores", "assessment_uuid = ? AND code = ? AND part = ?", (assessment_uuid, code, part))
        else:
            c.execute(
                "INSERT INTO item_scores(uuid, assessment_uuid, code, part, score, updated_at) VALUES (?, ?, ?, ?, ?, ?) "
                "ON CONFLICT(assessment_uuid, code, part) DO UPDATE SET score = excluded.score, updated_at = excluded.updated_at",
                (new_uuid(), assessment_uuid, code, part, score, now()),
            )

    def _set_text(self, c, table: str, key: str, assessment_uuid: str, value, text: str) -> None:
        check_row(table, {key: value, "text": text})
        if not text:
            self._delete_where(c, table, f"assessment_uuid = ? AND {key} = ?", (assessment_uuid, value))
        else:
            c.execute(
                f"INSERT INTO {table}(uuid, assessment_uuid, {key}, text, updated_at) VALUES (?, ?, ?, ?, ?) "
                f"ON CONFLICT(assessment_uuid, {key}) DO UPDATE SET text = excluded.text, updated_at = excluded.updated_at",
                (new_uuid(), assessment_uuid, value, text, now()),
            )

    # -- the NACC's published figures ---------------------------------------
    def _has(self, table: str) -> bool:
        """A file read as it is (a read-only snapshot) may be from before ``table`` existed."""
        return self.conn.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?",
                                 (table,)).fetchone() is not None

    def published(self, assessment_uuid: str) -> dict[str, float | str]:
        """The published figures typed for a year: scores as numbers, the level as text."""
        if not self._has("published_figures"):
            return {}
        out: dict[str, float | str] = {}
        for figure, value in self.conn.execute(
            "SELECT figure, value FROM published_figures WHERE assessment_uuid = ?", (assessment_uuid,)
        ):
            out[figure] = level_label(value) if figure == "level" else float(value)
        return out

    def _set_published(self, c, assessment_uuid: str, figure: str, value: float | str | None) -> None:
        """Set (or clear, with None) one published figure (:class:`itadesk.db.operations.SetPublishedFigures`)."""
        if value is None or value == "":
            self._delete_where(c, "published_figures", "assessment_uuid = ? AND figure = ?", (assessment_uuid, figure))
            return
        try:
            text = level_code(value) if figure == "level" else f"{float(value):.2f}"
        except (TypeError, ValueError):
            text = str(value)  # refused just below, with the reader's message
        check_row("published_figures", {"figure": figure, "value": text})
        c.execute(
            "INSERT INTO published_figures(uuid, assessment_uuid, figure, value, updated_at) VALUES (?, ?, ?, ?, ?) "
            "ON CONFLICT(assessment_uuid, figure) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at",
            (new_uuid(), assessment_uuid, figure, text, now()),
        )

    # -- what drafted texts were built from -----------------------------------
    def draft_bases(self, assessment_uuid: str) -> dict[int, dict[str, str]]:
        if not self._has("draft_bases"):
            return {}
        out = {}
        for number, text in self.conn.execute(
            "SELECT indicator, basis FROM draft_bases WHERE assessment_uuid = ?", (assessment_uuid,)
        ):
            try:
                basis = json.loads(text)
            except ValueError:
                continue  # unreadable: the draft is simply not checked
            if isinstance(basis, dict):
                out[number] = {str(k): str(v) for k, v in basis.items()}
        return out

    def _set_draft_basis(self, c, assessment_uuid: str, indicator: int, basis: dict[str, str] | None) -> None:
        """What a drafted text was built from (None clears it), with the text
        (:class:`itadesk.db.operations.SetTexts`)."""
        if basis is None:
            self._delete_where(c, "draft_bases", "assessment_uuid = ? AND indicator = ?", (assessment_uuid, indicator))
            return
        check_row("draft_bases", {"indicator": indicator,
                                  "basis": json.dumps(basis, ensure_ascii=False, sort_keys=True)})
        c.execute(
            "INSERT INTO draft_bases(uuid, assessment_uuid, indicator, basis, updated_at) VALUES (?, ?, ?, ?, ?) "
            "ON CONFLICT(assessment_uuid, indicator) DO UPDATE SET basis = excluded.basis, updated_at = excluded.updated_at",
            (new_uuid(), assessment_uuid, indicator, json.dumps(basis, ensure_ascii=False, sort_keys=True), now()),
        )

    # -- the year catalogs the document keeps ---------------------------------
    def catalogs(self) -> Catalogs:
        """The document's own catalogs over the bundled ones (:class:`itadesk.ita.catalog.Catalogs`),
        read again only when a catalog row changed. Rows were checked when the file was opened."""
        seen = self.conn.total_changes  # nothing written since the last look: nothing to read
        if seen == self._catalogs_seen:
            return self._catalogs
        if not self._has("catalogs"):
            return BUNDLED
        self._catalogs_seen = seen
        key = tuple(self.conn.execute("SELECT uuid, updated_at FROM catalogs ORDER BY fiscal_year"))
        if key != self._catalogs_key:
            own = {year: parse_catalog_text(text, f"เกณฑ์ปี {year} ในไฟล์", year)
                   for year, text in self.conn.execute("SELECT fiscal_year, catalog FROM catalogs")}
            self._catalogs, self._catalogs_key = Catalogs(own), key
        return self._catalogs

    def catalog_text(self, year: int) -> str | None:
        """The JSON text of the document's own catalog of ``year``; None when it has none."""
        if not self._has("catalogs"):
            return None
        row = self.conn.execute("SELECT catalog FROM catalogs WHERE fiscal_year = ?", (year,)).fetchone()
        return row[0] if row else None

    def _set_catalog(self, c, year: int, text: str | None) -> None:
        """Keep (or with None drop) the document's catalog of ``year`` (:class:`SaveCatalog`)."""
        if text is None:
            self._delete_where(c, "catalogs", "fiscal_year = ?", (year,))
            return
        check_row("catalogs", {"fiscal_year": year, "catalog": text})
        c.execute(
            "INSERT INTO catalogs(uuid, fiscal_year, catalog, updated_at) VALUES (?, ?, ?, ?) "
            "ON CONFLICT(fiscal_year) DO UPDATE SET catalog = excluded.catalog, updated_at = excluded.updated_at",
            (new_uuid(), year, text, now()),
        )

    # -- action plan ------------------------------------------------------
    def actions(self, assessment_uuid: str) -> list[Action]:
        rows = self.conn.execute(
            "SELECT uuid, indicator, measure, owner, steps, start_date, end_date, status, progress_note, "
            "evidence, completed_date FROM actions WHERE assessment_uuid = ? ORDER BY position, rowid",
            (assessment_uuid,),
        ).fetchall()
        return [
            Action(
                uuid=r[0], indicator=r[1], measure=r[2], owner=r[3], steps=r[4],
                start=_day(r[5]), end=_day(r[6]), status=upgrade_status(r[7]), progress_note=r[8],
                evidence=r[9], completed=_day(r[10]),
            )
            for r in rows
        ]

    def _insert_action(self, c, assessment_uuid: str, position: int, action: Action) -> None:
        _check_action(action)
        c.execute(
            "INSERT INTO actions(uuid, assessment_uuid, position, indicator, measure, owner, steps, start_date, "
            "end_date, status, progress_note, evidence, completed_date, updated_at) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                action.uuid, assessment_uuid, position, action.indicator, action.measure, action.owner,
                action.steps, _iso(action.start), _iso(action.end), action.status, action.progress_note,
                action.evidence, _iso(action.completed), now(),
            ),
        )
        revive(c, action.uuid)

    def save_action(self, assessment_uuid: str, action: Action, position: int | None = None) -> None:
        """Insert or update one plan row; a new row goes last unless a position is given."""
        with self.transaction() as c:
            self._save_action(c, assessment_uuid, action, position)

    def save_actions(self, assessment_uuid: str, actions: list[Action]) -> None:
        """Insert or update several plan rows in one transaction: rows already there are
        updated where they stand, new ones are appended in the order given."""
        if not actions:
            return
        with self.transaction() as c:
            for action in actions:
                self._save_action(c, assessment_uuid, action, None)

    def _save_action(self, c, assessment_uuid: str, action: Action, position: int | None) -> None:
        exists = c.execute("SELECT 1 FROM actions WHERE uuid = ?", (action.uuid,)).fetchone()
        if exists:
            _check_action(action)
            c.execute(
                "UPDATE actions SET indicator = ?, measure = ?, owner = ?, steps = ?, start_date = ?, end_date = ?, "
                "status = ?, progress_note = ?, evidence = ?, completed_date = ?, updated_at = ? WHERE uuid = ?",
                (
                    action.indicator, action.measure, action.owner, action.steps, _iso(action.start),
                    _iso(action.end), action.status, action.progress_note, action.evidence,
                    _iso(action.completed), now(), action.uuid,
                ),
            )
        else:
            last = c.execute("SELECT MAX(position) FROM actions WHERE assessment_uuid = ?", (assessment_uuid,)).fetchone()[0]
            self._insert_action(c, assessment_uuid, 0 if last is None else last + 1, action)
        if position is not None:
            self._place(c, assessment_uuid, action.uuid, position)

    def delete_action(self, action_uuid: str) -> None:
        self.delete_actions([action_uuid])

    def delete_actions(self, action_uuids: list[str]) -> None:
        """Delete several plan rows in one transaction (e.g. undo of :meth:`save_actions`).

        The other rows keep their positions (a gap is left): a deletion then changes no other
        row, so a merge sees only the deletion, and its undo puts the row back into the gap,
        leaving every row exactly as it was before.
        """
        if not action_uuids:
            return
        with self.transaction() as c:
            for action_uuid in action_uuids:
                self._delete_where(c, "actions", "uuid = ?", (action_uuid,))

    def move_action(self, assessment_uuid: str, action_uuid: str, position: int) -> None:
        with self.transaction() as c:
            self._place(c, assessment_uuid, action_uuid, position)

    def _place(self, c, assessment_uuid: str, action_uuid: str, index: int) -> None:
        """Put a plan row at ``index`` (0 = first) of the plan, touching as few rows as
        possible: it takes a free position between its new neighbours when there is one
        (always the case when it goes back where it was deleted from); otherwise the plan
        is renumbered."""
        rows = c.execute(
            "SELECT uuid, position FROM actions WHERE assessment_uuid = ? ORDER BY position, rowid", (assessment_uuid,)
        ).fetchall()
        current = next((pos for u, pos in rows if u == action_uuid), None)
        rows = [(u, pos) for u, pos in rows if u != action_uuid]
        index = max(0, min(index, len(rows)))
        before = rows[index - 1][1] if index > 0 else None
        after = rows[index][1] if index < len(rows) else None
        if current is not None and (before is None or current > before) and (after is None or current < after):
            return  # already there
        if before is None:
            free = 0 if after is None or after > 0 else None
        elif after is None or after - before >= 2:
            free = before + 1
        else:
            free = None
        if free is None:
            order = [u for u, _ in rows]
            order.insert(index, action_uuid)
            self._renumber(c, order)
        else:
            c.execute(
                "UPDATE actions SET position = ?, updated_at = ? WHERE uuid = ? AND position != ?",
                (free, now(), action_uuid, free),
            )

    def _renumber(self, c, order: list[str]) -> None:
        stamp = now()
        for index, uuid in enumerate(order):
            c.execute(
                "UPDATE actions SET position = ?, updated_at = CASE WHEN position = ? THEN updated_at ELSE ? END WHERE uuid = ?",
                (index, index, stamp, uuid),
            )

    @functools.cached_property
    def db(self):
        """sqlite-utils for simple reads (loaded at first use); writes are raw SQL in our own transactions."""
        return introspect(self.conn)

    # -- responsible units the office added ---------------------------------
    def units(self) -> list[str]:
        return [r["name"] for r in self.db.table("units").rows_where(select="name", order_by="name")]

    def add_unit(self, name: str) -> None:
        name = name.strip()
        if not name:
            return
        check_row("units", {"name": name})
        with self.transaction() as c:
            c.execute("INSERT OR IGNORE INTO units(uuid, name, updated_at) VALUES (?, ?, ?)", (new_uuid(), name, now()))

    # -- deletions are remembered so a merge does not bring rows back --------
    # A row inserted again under a deleted UUID loses its tombstone (versions.revive). Scores,
    # texts and units are inserted under fresh UUIDs, so only organizations, years and plan
    # rows can come back under an old one.
    def _tombstone(self, c, uuid: str, table: str) -> None:
        c.execute(
            "INSERT INTO tombstones(uuid, table_name, deleted_at) VALUES (?, ?, ?) "
            "ON CONFLICT(uuid) DO UPDATE SET deleted_at = excluded.deleted_at",
            (uuid, table, now()),
        )

    def _delete_where(self, c, table: str, where: str, args: tuple) -> None:
        for (uuid,) in c.execute(f"SELECT uuid FROM {table} WHERE {where}", args).fetchall():
            self._tombstone(c, uuid, table)
        c.execute(f"DELETE FROM {table} WHERE {where}", args)


def _check_action(action: Action) -> None:
    check_row("actions", {
        "uuid": action.uuid, "indicator": action.indicator, "measure": action.measure, "owner": action.owner,
        "steps": action.steps, "start_date": _iso(action.start), "end_date": _iso(action.end),
        "status": action.status, "progress_note": action.progress_note,
        "evidence": action.evidence, "completed_date": _iso(action.completed),
    })


def _plain_score(value) -> bool:
    """A score check_row certainly accepts (what an import brings by the hundred thousand), so
    no row is built for it; anything else goes through check_row for its message."""
    return type(value) is float and 0.0 <= value <= 100.0 and abs(round(value, 2) - value) <= 1e-9


def _check_assessment(a: Assessment) -> None:
    """Every value of a whole assessment, before any of it is written (all or nothing)."""
    check_row("assessments", {"fiscal_year": a.fiscal_year})
    for number, score in a.indicators.items():
        if not (type(number) is int and 1 <= number <= MAX_INDICATOR and _plain_score(score)):
            check_row("indicator_scores", {"indicator": number, **({} if score is None else {"score": score})})
    for code, value in a.items.items():
        parts = value.items() if isinstance(value, dict) else [(0, value)]
        plain_code = type(code) is str and ITEM_CODE.match(code) is not None
        for part, score in parts:
            if not (plain_code and type(part) is int and 0 <= part <= 9 and _plain_score(score)):
                check_row("item_scores", {"code": code, "part": int(part),
                                          **({} if score is None else {"score": score})})
    for tool, text in a.recommendations.items():
        check_row("recommendations", {"tool": tool, "text": text or ""})
    for number, text in a.analysis.items():
        check_row("analyses", {"indicator": number, "text": text or ""})
    for action in a.actions:
        _check_action(action)


_RENAMED_NAMESPACE = _uuid.UUID("0b6f4d5e-2f51-4a8e-9d0c-54a1f3e7c2b9")


def _free_action_uuid(c, action_uuid: str, assessment_uuid: str, position: int) -> str:
    """The plan row's id, or, when another year or organization already holds it, one derived
    from it and from this year (the same JSON imported again after the organization was
    renamed: its ids come from the old name). Derived, not random, so it is the same each time."""
    candidate = action_uuid
    while c.execute("SELECT 1 FROM actions WHERE uuid = ?", (candidate,)).fetchone():
        candidate = str(_uuid.uuid5(_RENAMED_NAMESPACE, f"{candidate}|{assessment_uuid}|{position}"))
    return candidate


class OrganizationIndex:
    """Organizations by spelling-independent name (:func:`itadesk.ita.consistency.name_key`),
    so a lookup does not normalise every name in the file again."""

    def __init__(self, orgs: list[Organization]):
        from itadesk.ita.consistency import name_key  # noqa: PLC0415

        self._key = name_key
        self._by_key: dict[str, list[Organization]] = {}
        for org in orgs:  # in name order: the first match is the one find_organization always gave
            self._by_key.setdefault(name_key(org.name), []).append(org)

    def add(self, org: Organization) -> None:
        same = self._by_key.setdefault(self._key(org.name), [])
        same.append(org)
        same.sort(key=lambda o: o.name)

    def find(self, name: str, province: str | None = None) -> Organization | None:
        matches = self._by_key.get(self._key(name), [])
        if province:
            exact = [o for o in matches if o.province == province]
            matches = exact or [o for o in matches if not o.province]
        return matches[0] if matches else None
