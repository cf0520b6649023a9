"""Named edits of a document (Anki's ``CollectionOp`` / ``OpChanges``).

Each operation applies one change in one transaction, says what it changed
(:class:`Changes`), and afterwards gives its inverse, the operation that puts everything
back. The window's undo stack holds these objects, not closures over widgets, and each view
refreshes only what a :class:`Changes` names. Operations on a year create the year's
assessment when it is missing; the inverse of such an edit removes the year again when
nothing else was entered in it, so undoing the first score of a year leaves no empty year.

Values an operation replaces (``before``) are what the officer saw; given by the window,
they spare a read, so that typing a score costs a handful of SQL statements.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, field, replace

from itadesk.db.store import CHILD_TABLES, Store, now
from itadesk.db.validate import check_row
from itadesk.db.versions import revive
from itadesk.ita.model import Action, Organization, new_uuid

_YEAR_TABLES = CHILD_TABLES


@dataclass(frozen=True)
class Changes:
    """What one operation (or a merge, a restore, an open) changed in the content."""

    org_uuid: str | None = None
    year: int | None = None
    organizations: bool = False  # an organization was added, changed or removed
    years: bool = False  # a year of ``org_uuid`` came into the file or went away
    indicators: dict[int, float | None] = field(default_factory=dict)  # new values
    items: dict[tuple[str, int], float | None] = field(default_factory=dict)  # (code, part) -> new value
    analyses: dict[int, str] = field(default_factory=dict)
    recommendations: dict[str, str] = field(default_factory=dict)
    # What drafted analysis texts were built from, by indicator (None: no longer a draft).
    draft_bases: dict[int, dict[str, str] | None] = field(default_factory=dict)
    published: dict[str, float | str | None] = field(default_factory=dict)  # the NACC's figures, new values
    plan: frozenset[str] = frozenset()  # plan rows added, changed, moved or removed
    units: bool = False
    everything: bool = False  # merge, restore, another document: re-read it all

    @property
    def scores(self) -> bool:
        return bool(self.indicators or self.items)

    @property
    def texts(self) -> bool:
        return bool(self.analyses or self.recommendations)

    def about(self, org_uuid: str | None, year: int | None) -> bool:
        """Whether this change can alter what is shown for ``org_uuid`` in ``year``."""
        if self.everything or self.organizations:
            return True
        return self.org_uuid == org_uuid and (self.year is None or self.year == year)

    def within(self, org_uuid: str | None, year: int | None) -> bool:
        """Confined to that organization's year: a view of it can apply the new scores and
        texts this change carries, and re-read only the plan rows it names."""
        return not self.everything and not self.organizations and (self.org_uuid, self.year) == (org_uuid, year)


EVERYTHING = Changes(everything=True)


class Operation:
    """One named edit. :meth:`apply` runs it in one transaction (the store's, which also
    counts the edit); :meth:`inverse`, valid after :meth:`apply`, undoes it."""

    def apply(self, store: Store) -> Changes:
        raise NotImplementedError

    def inverse(self) -> "Operation":
        raise NotImplementedError


# -- the year an edit belongs to ------------------------------------------------------------

def _year_uuid(c: sqlite3.Connection, org_uuid: str, year: int, create: bool) -> tuple[str | None, bool]:
    """The assessment of ``org_uuid`` in ``year`` (created when ``create``), and whether it was created.

    Creating is one statement whether or not the year exists (an upsert that returns the
    row's uuid), so that typing a score stays within five statements.
    """
    if not create:
        row = c.execute("SELECT uuid FROM assessments WHERE org_uuid = ? AND fiscal_year = ?",
                        (org_uuid, year)).fetchone()
        return (row[0] if row else None), False
    uuid = new_uuid()
    row = c.execute(
        "INSERT INTO assessments(uuid, org_uuid, fiscal_year, updated_at) VALUES (?, ?, ?, ?) "
        "ON CONFLICT(org_uuid, fiscal_year) DO UPDATE SET fiscal_year = excluded.fiscal_year RETURNING uuid",
        (uuid, org_uuid, year, now()),
    ).fetchall()
    return row[0][0], row[0][0] == uuid


def _clear_scores(c: sqlite3.Connection, org_uuid: str, year: int, table: str, key: str, values: tuple) -> None:
    """Delete one score of a year, leaving its tombstone, found through the year itself
    (two statements, no lookup of the year first)."""
    where = " AND ".join(f"s.{k} = ?" for k in key.split(","))
    c.execute(
        f"INSERT INTO tombstones(uuid, table_name, deleted_at) SELECT s.uuid, ?, ? FROM {table} s "
        f"JOIN assessments a ON a.uuid = s.assessment_uuid WHERE a.org_uuid = ? AND a.fiscal_year = ? AND {where} "
        "ON CONFLICT(uuid) DO UPDATE SET deleted_at = excluded.deleted_at",
        (table, now(), org_uuid, year, *values),
    )
    c.execute(
        f"DELETE FROM {table} AS s WHERE s.assessment_uuid IN "
        f"(SELECT uuid FROM assessments WHERE org_uuid = ? AND fiscal_year = ?) AND {where}",
        (org_uuid, year, *values),
    )


def _drop_if_empty(store: Store, c: sqlite3.Connection, a_uuid: str | None) -> bool:
    """Remove a year nothing is entered in any more (undo of the edit that created it)."""
    if a_uuid is None:
        return False
    for table in _YEAR_TABLES:
        if c.execute(f"SELECT 1 FROM {table} WHERE assessment_uuid = ? LIMIT 1", (a_uuid,)).fetchone():
            return False
    store._delete_assessment(c, a_uuid)  # noqa: SLF001 - same package
    return True


@dataclass
class _YearEdit(Operation):
    """An edit of one organization's year; ``drop_empty_year``: remove the year afterwards
    when nothing is left in it (set on the inverse of an edit that created it)."""

    org_uuid: str
    year: int

    def check(self) -> None:
        """Refuse, before anything is written, a key or value the file's reader would refuse
        (:mod:`itadesk.db.validate`, the limits of :mod:`itadesk.ita.fields`): one Thai
        :class:`~itadesk.db.validate.RefusedValueError`, and the file stays as it was."""
        check_row("assessments", {"org_uuid": self.org_uuid, "fiscal_year": self.year})

    def _run(self, store: Store, write, create: bool, drop_empty_year: bool) -> tuple[bool, bool]:
        """Run ``write(c, a_uuid)`` in one transaction: (year created, year dropped)."""
        self.check()
        with store.transaction() as c:
            a_uuid, created = _year_uuid(c, self.org_uuid, self.year, create)
            if a_uuid is None:
                return False, False
            write(c, a_uuid)
            dropped = drop_empty_year and _drop_if_empty(store, c, a_uuid)
        return created, dropped

    def _changes(self, years: bool, **what) -> Changes:
        return Changes(org_uuid=self.org_uuid, year=self.year, years=years, **what)


# -- scores ------------------------------------------------------------------------------

@dataclass
class SetScores(_YearEdit):
    """Set (or clear, with None) indicator and item scores of a year: all or none.
    ``items`` is keyed by (item code, part); part 0 is an item without parts."""

    indicators: dict[int, float | None] = field(default_factory=dict)
    items: dict[tuple[str, int], float | None] = field(default_factory=dict)
    before_indicators: dict[int, float | None] | None = None
    before_items: dict[tuple[str, int], float | None] | None = None
    drop_empty_year: bool = False
    _created: bool = False

    def check(self) -> None:
        super().check()
        for number, score in self.indicators.items():  # a cleared cell's key too
            check_row("indicator_scores", {"indicator": number, **({} if score is None else {"score": score})})
        for key, score in self.items.items():
            code, part = key if isinstance(key, tuple) and len(key) == 2 else (key, None)
            check_row("item_scores", {"code": code, "part": part, **({} if score is None else {"score": score})})

    def apply(self, store: Store) -> Changes:
        self.check()
        read_before = self.before_indicators is None or self.before_items is None
        if read_before:
            self.before_indicators, self.before_items = {}, {}
        set_i = {n: v for n, v in self.indicators.items() if v is not None}
        set_s = {k: v for k, v in self.items.items() if v is not None}
        created = dropped = False
        with store.transaction() as c:
            a_uuid = None  # clearing finds the year in its own statements
            if set_i or set_s or read_before:
                a_uuid, created = _year_uuid(c, self.org_uuid, self.year, create=bool(set_i or set_s))
            if read_before and a_uuid is not None:
                self._read_before(c, a_uuid)
            for number, score in set_i.items():
                store._set_indicator_score(c, a_uuid, number, score)  # noqa: SLF001
            for (code, part), score in set_s.items():
                store._set_item_score(c, a_uuid, code, part, score)  # noqa: SLF001
            for number in (n for n, v in self.indicators.items() if v is None):
                _clear_scores(c, self.org_uuid, self.year, "indicator_scores", "indicator", (number,))
            for code, part in (k for k, v in self.items.items() if v is None):
                _clear_scores(c, self.org_uuid, self.year, "item_scores", "code,part", (code, part))
            if self.drop_empty_year:
                dropped = _drop_if_empty(store, c, a_uuid or _year_uuid(c, self.org_uuid, self.year, False)[0])
        self._created = created
        return self._changes(created or dropped, indicators=dict(self.indicators), items=dict(self.items))

    def _read_before(self, c, a_uuid: str) -> None:
        for number in self.indicators:
            row = c.execute("SELECT score FROM indicator_scores WHERE assessment_uuid = ? AND indicator = ?",
                            (a_uuid, number)).fetchone()
            self.before_indicators[number] = row[0] if row else None
        for code, part in self.items:
            row = c.execute("SELECT score FROM item_scores WHERE assessment_uuid = ? AND code = ? AND part = ?",
                            (a_uuid, code, part)).fetchone()
            self.before_items[(code, part)] = row[0] if row else None

    def inverse(self) -> "SetScores":
        before_i, before_s = self.before_indicators or {}, self.before_items or {}
        return SetScores(self.org_uuid, self.year, {n: before_i.get(n) for n in self.indicators},
                         {k: before_s.get(k) for k in self.items}, dict(self.indicators), dict(self.items),
                         drop_empty_year=self._created)


# -- texts -------------------------------------------------------------------------------

@dataclass
class SetTexts(_YearEdit):
    """Set (or clear, with "") analysis texts by indicator and recommendations by tool.

    ``draft_bases``: for drafted texts, the figures each was built from (None clears it), kept
    with the text so a later correction of a score shows the draft is out of date
    (:func:`itadesk.ita.drafting.stale_drafts`); a text typed by hand leaves its basis alone."""

    analyses: dict[int, str] = field(default_factory=dict)
    recommendations: dict[str, str] = field(default_factory=dict)
    before_analyses: dict[int, str] = field(default_factory=dict)
    before_recommendations: dict[str, str] = field(default_factory=dict)
    drop_empty_year: bool = False
    draft_bases: dict[int, dict[str, str] | None] = field(default_factory=dict)
    before_draft_bases: dict[int, dict[str, str] | None] = field(default_factory=dict)
    _created: bool = False

    def apply(self, store: Store) -> Changes:
        def write(c, a_uuid):
            for number, text in self.analyses.items():
                store._set_text(c, "analyses", "indicator", a_uuid, number, text)  # noqa: SLF001
            for tool, text in self.recommendations.items():
                store._set_text(c, "recommendations", "tool", a_uuid, tool, text)  # noqa: SLF001
            for number, basis in self.draft_bases.items():
                store._set_draft_basis(c, a_uuid, number, basis)  # noqa: SLF001

        create = any(self.analyses.values()) or any(self.recommendations.values())
        self._created, dropped = self._run(store, write, create, self.drop_empty_year)
        return self._changes(self._created or dropped, analyses=dict(self.analyses),
                             recommendations=dict(self.recommendations), draft_bases=dict(self.draft_bases))

    def inverse(self) -> "SetTexts":
        return SetTexts(self.org_uuid, self.year,
                        {n: self.before_analyses.get(n, "") for n in self.analyses},
                        {t: self.before_recommendations.get(t, "") for t in self.recommendations},
                        dict(self.analyses), dict(self.recommendations), drop_empty_year=self._created,
                        draft_bases={n: self.before_draft_bases.get(n) for n in self.draft_bases},
                        before_draft_bases=dict(self.draft_bases))


# -- the NACC's published figures -------------------------------------------------------------

@dataclass
class SetPublishedFigures(_YearEdit):
    """Set (or clear, with None) the figures the NACC published for a year (scores by tool,
    total, level), typed beside the computed ones (:mod:`itadesk.ita.published`)."""

    figures: dict[str, float | str | None] = field(default_factory=dict)
    before: dict[str, float | str | None] = field(default_factory=dict)
    drop_empty_year: bool = False
    _created: bool = False

    def check(self) -> None:
        super().check()
        for figure in self.figures:  # a cleared figure's name too
            check_row("published_figures", {"figure": figure})

    def apply(self, store: Store) -> Changes:
        def write(c, a_uuid):
            for figure, value in self.figures.items():
                store._set_published(c, a_uuid, figure, value)  # noqa: SLF001

        create = any(v not in (None, "") for v in self.figures.values())
        self._created, dropped = self._run(store, write, create, self.drop_empty_year)
        return self._changes(self._created or dropped, published=dict(self.figures))

    def inverse(self) -> "SetPublishedFigures":
        return SetPublishedFigures(self.org_uuid, self.year, {f: self.before.get(f) for f in self.figures},
                                   dict(self.figures), drop_empty_year=self._created)


# -- the action plan ----------------------------------------------------------------------

@dataclass
class SavePlanRows(_YearEdit):
    """Add plan rows (``before`` None; each at its position, or last), or change one row
    (``before`` its old content). ``new_unit``: a responsible unit typed for the first time,
    offered again later (undo leaves it offered)."""

    rows: list[tuple[Action, int | None]] = field(default_factory=list)
    before: Action | None = None
    new_unit: str | None = None
    drop_empty_year: bool = False
    _created: bool = False

    def apply(self, store: Store) -> Changes:
        def write(c, a_uuid):
            if self.new_unit and self.new_unit.strip():
                c.execute("INSERT OR IGNORE INTO units(uuid, name, updated_at) VALUES (?, ?, ?)",
                          (new_uuid(), self.new_unit.strip(), now()))
            for action, position in self.rows:
                store._save_action(c, a_uuid, action, position)  # noqa: SLF001

        self._created, dropped = self._run(store, write, True, self.drop_empty_year)
        return self._changes(self._created or dropped, plan=frozenset(a.uuid for a, _ in self.rows),
                             units=bool(self.new_unit))

    def inverse(self) -> Operation:
        if self.before is not None:
            (action, _position), = self.rows
            return SavePlanRows(self.org_uuid, self.year, [(self.before, None)], before=action)
        return DeletePlanRows(self.org_uuid, self.year, [a.uuid for a, _ in self.rows],
                              drop_empty_year=self._created)


@dataclass
class DeletePlanRows(_YearEdit):
    """Delete plan rows; the others keep their positions (a gap is left, see
    :meth:`Store.delete_actions`), so the inverse puts each back exactly where it was."""

    uuids: list[str] = field(default_factory=list)
    drop_empty_year: bool = False
    _removed: list[tuple[Action, int]] = field(default_factory=list)

    def apply(self, store: Store) -> Changes:
        def write(c, a_uuid):
            rows = store.actions(a_uuid)
            order = [a.uuid for a in rows]
            self._removed = [(a, order.index(a.uuid)) for a in rows if a.uuid in self.uuids]
            for uuid in self.uuids:
                store._delete_where(c, "actions", "uuid = ?", (uuid,))  # noqa: SLF001

        _created, dropped = self._run(store, write, False, self.drop_empty_year)
        return self._changes(dropped, plan=frozenset(self.uuids))

    def inverse(self) -> "SavePlanRows":
        return SavePlanRows(self.org_uuid, self.year, sorted(self._removed, key=lambda r: r[1]))


@dataclass
class MovePlanRow(_YearEdit):
    """Move one plan row to ``position`` (0 = first); it was at ``back``."""

    uuid: str = ""
    position: int = 0
    back: int = 0

    def apply(self, store: Store) -> Changes:
        def write(c, a_uuid):
            store._place(c, a_uuid, self.uuid, self.position)  # noqa: SLF001

        self._run(store, write, False, False)
        return self._changes(False, plan=frozenset({self.uuid}))

    def inverse(self) -> "MovePlanRow":
        return MovePlanRow(self.org_uuid, self.year, self.uuid, self.back, self.position)


# -- organizations --------------------------------------------------------------------------

@dataclass
class SaveOrganization(Operation):
    """Add an organization (``before`` None) or change its details."""

    org: Organization
    before: Organization | None = None

    def apply(self, store: Store) -> Changes:
        store.save_organization(self.org)
        return Changes(org_uuid=self.org.uuid, organizations=True)

    def inverse(self) -> Operation:
        if self.before is None:
            return DeleteOrganization(self.org)
        return SaveOrganization(replace(self.before), replace(self.org))


@dataclass
class DeleteOrganization(Operation):
    """Remove an organization with its years (the inverse of adding one)."""

    org: Organization

    def apply(self, store: Store) -> Changes:
        store.delete_organization(self.org.uuid)
        return Changes(org_uuid=self.org.uuid, organizations=True, years=True)

    def inverse(self) -> "SaveOrganization":
        return SaveOrganization(replace(self.org))


# -- a year's catalog kept in the document ----------------------------------------------------

_ITEM_ROW = ("uuid", "assessment_uuid", "code", "part", "score", "updated_at")


@dataclass
class SaveCatalog(Operation):
    """Keep a year's catalog in the document (``text``: its JSON, :func:`itadesk.ita.catalog.catalog_json`;
    None drops it, and the year goes back to the bundled or an earlier year's rules).

    ``recode``: items renumbered (old code -> new): every organization's scores of that year
    move with their items. ``drop_codes``: items removed: that year's scores of them are
    deleted too (the window asks first); the inverse puts back exactly those rows.
    Named ``fiscal_year``, not ``year``: undoing it does not change the organization shown."""

    fiscal_year: int
    text: str | None
    recode: dict[str, str] = field(default_factory=dict)
    drop_codes: tuple[str, ...] = ()
    restore_rows: list[tuple] = field(default_factory=list)  # item_scores rows to put back
    _before: str | None = None
    _removed: list[tuple] = field(default_factory=list)

    def apply(self, store: Store) -> Changes:
        year = self.fiscal_year
        with store.transaction() as c:
            self._before = store.catalog_text(year)
            store._set_catalog(c, year, self.text)  # noqa: SLF001 - same package
            years = "SELECT uuid FROM assessments WHERE fiscal_year = ?"
            self._removed = []
            if self.drop_codes:
                marks = ", ".join("?" * len(self.drop_codes))
                where = f"assessment_uuid IN ({years}) AND code IN ({marks})"
                self._removed = c.execute(f"SELECT {', '.join(_ITEM_ROW)} FROM item_scores WHERE {where}",
                                          (year, *self.drop_codes)).fetchall()
                store._delete_where(c, "item_scores", where, (year, *self.drop_codes))  # noqa: SLF001
            if self.recode:
                # Through a code no item has ('#o7'), so a permutation never meets itself half-done.
                marks = ", ".join("?" * len(self.recode))
                c.execute(f"UPDATE item_scores SET code = '#' || code, updated_at = ? "
                          f"WHERE assessment_uuid IN ({years}) AND code IN ({marks})", (now(), year, *self.recode))
                for old, new in self.recode.items():
                    c.execute(f"UPDATE item_scores SET code = ? WHERE assessment_uuid IN ({years}) AND code = ?",
                              (new, year, "#" + old))
            for row in self.restore_rows:
                c.execute(f"INSERT INTO item_scores({', '.join(_ITEM_ROW)}) VALUES (?, ?, ?, ?, ?, ?)", row)
                revive(c, row[0])
        return Changes(year=year, everything=True)

    def inverse(self) -> "SaveCatalog":
        return SaveCatalog(self.fiscal_year, self._before, {new: old for old, new in self.recode.items()},
                           drop_codes=tuple(code for _u, _a, code, *_rest in self.restore_rows),
                           restore_rows=list(self._removed))


def scored_items(store: Store, year: int, codes: list[str]) -> dict[str, int]:
    """How many scores each of ``codes`` has in ``year`` (every organization): what removing
    or renumbering those items would touch."""
    if not codes:
        return {}
    marks = ", ".join("?" * len(codes))
    return dict(store.conn.execute(
        f"SELECT code, COUNT(*) FROM item_scores WHERE code IN ({marks}) AND assessment_uuid IN "
        "(SELECT uuid FROM assessments WHERE fiscal_year = ?) GROUP BY code", (*codes, year)))
