"""Merging two offices' copies of the same document, row by row, without losing either side.

How a row is matched: by UUID; organizations also by name (spelling-independent,
:func:`itadesk.ita.consistency.name_key`) and province; assessments by (organization,
year); scores, texts and analyses by (assessment, indicator / item code and part / tool);
units by name. Two offices that typed the same year into two copies therefore meet on
the same rows even though their UUIDs differ.

How a difference is judged: every file remembers the versions each row had when it was
saved (``row_versions``, see :mod:`itadesk.db.versions`). If their version is one of our
past versions, only we changed it: keep ours. If ours is one of theirs, only they changed
it: take theirs. Otherwise both changed it: keep ours in place and store theirs in the
``conflicts`` table with a Thai description, for the officer to choose
(:func:`resolve_conflict`). Deletions travel as tombstones and follow the same rule: a row
they deleted is deleted here only if we have not changed it since they saw it.

Merging is idempotent: a second merge of the same file, or a merge of a file with itself,
finds nothing to do and writes nothing.
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass, field

from itadesk.db import merge_settled
from itadesk.db.errors import MERGE_MESSAGES, MESSAGES, DocumentError
from itadesk.db.schema import upgrade_row
from itadesk.db.store import Store, now
from itadesk.db.versions import (
    INSERT_VERSION,
    NOT_CONTENT,
    SYNCED_TABLES,
    columns,
    deletion_version,
    has_table,
    of_table,
    revive,
    row_hash,
    stored,
    version_name,
)
from itadesk.ita.consistency import name_key
from itadesk.ita.model import new_uuid

# A deletion, as a "version" in row_versions: the officer saw it and chose to keep the row.
DELETION = "deleted"

PARENT = {  # table -> (column, parent table)
    "assessments": ("org_uuid", "organizations"),
    "indicator_scores": ("assessment_uuid", "assessments"),
    "item_scores": ("assessment_uuid", "assessments"),
    "recommendations": ("assessment_uuid", "assessments"),
    "analyses": ("assessment_uuid", "assessments"),
    "actions": ("assessment_uuid", "assessments"),
    "published_figures": ("assessment_uuid", "assessments"),
    "draft_bases": ("assessment_uuid", "assessments"),
}
NATURAL = {  # table -> columns that, with the parent, identify a row
    "organizations": ("name", "province"),
    "assessments": ("fiscal_year",),
    "indicator_scores": ("indicator",),
    "item_scores": ("code", "part"),
    "recommendations": ("tool",),
    "analyses": ("indicator",),
    "units": ("name",),
    "published_figures": ("figure",),
    "draft_bases": ("indicator",),
    "catalogs": ("fiscal_year",),  # one catalog per year: both offices' 2569 catalogs meet
}


class DuplicateRowsError(DocumentError):
    """The other file holds one thing twice (a crafted file, or duplicates made through the
    document API), or two of its things meet one of ours (``crossed``): merging it would take
    one of ours for two of theirs. Nothing is written."""

    def __init__(self, what: str, crossed: bool = False):
        super().__init__("DUPLICATE", what)
        self.crossed = crossed  # no duplicate there: two of its rows meet one of ours

    @property
    def message(self) -> str:
        return str(self)

    def __str__(self) -> str:
        return f"{self.detail} {MERGE_MESSAGES['crossed_advice'] if self.crossed else MESSAGES['DUPLICATE']}"


@dataclass
class Conflict:
    uuid: str
    table: str
    row_uuid: str
    kind: str  # both_changed | deleted_here | deleted_there
    description: str  # Thai, for the officer
    mine: dict | None = None
    theirs: dict | None = None


@dataclass
class MergeReport:
    source_name: str = ""
    added: int = 0  # rows only they had
    updated: int = 0  # rows only they changed: taken
    deleted: int = 0  # rows only they deleted: deleted here too
    unchanged: int = 0  # same in both
    kept_ours: int = 0  # rows only we changed: kept
    conflicts: list[Conflict] = field(default_factory=list)  # new conflicts recorded by this merge
    known_conflicts: int = 0  # conflicts already recorded by an earlier merge of the same versions
    settled: int = 0  # earlier conflicts that this merge made moot (both files now agree)
    bookkeeping: int = 0  # versions and tombstones learnt (no visible change)

    @property
    def changed(self) -> bool:
        """Whether the merge wrote anything at all."""
        return bool(self.added or self.updated or self.deleted or self.conflicts or self.settled or self.bookkeeping)

    def summary(self) -> str:
        return MERGE_MESSAGES["summary"].format(
            source=self.source_name, added=self.added, updated=self.updated, deleted=self.deleted,
            unchanged=self.unchanged, kept=self.kept_ours, conflicts=len(self.conflicts) + self.known_conflicts,
        )


class _Side:
    """One file's rows, histories and tombstones, read a table at a time (:meth:`load`)."""

    def __init__(self, conn: sqlite3.Connection, schema: str = "main"):
        self.conn, self.schema = conn, schema
        self.rows: dict[str, dict[str, dict]] = {}
        self.history: dict[tuple[str, str], set[str]] = {}
        self.hashes: dict[tuple[str, str], str] = {}
        self.versioned = bool(merge_settled.columns(conn, schema, "row_versions"))
        self.tombstones: dict[str, str] = {}
        self.deleted_at: dict[str, str] = {}
        for u, t, when in conn.execute(f"SELECT uuid, table_name, deleted_at FROM {schema}.tombstones"):
            self.tombstones[u] = t
            self.deleted_at[u] = when

    def load(self, table: str, leave_out: str | None = None, left_out: int = 0) -> None:
        """Rows and histories of ``table``, but the ``left_out`` rows whose uuid ``leave_out``
        (SQL) selects. When that is every row, none is read: only the histories of rows no
        longer there, found beside the table's own index instead of against the list."""
        cols = merge_settled.columns(self.conn, self.schema, table)
        where = f" WHERE uuid NOT IN ({leave_out})" if leave_out else ""
        everything = bool(left_out) and left_out == self.conn.execute(
            f'SELECT count(*) FROM {self.schema}."{table}"').fetchone()[0]
        # Rows of an older file (merge reads it as it is) in the current format: upgrade_row.
        self.rows[table] = {r[0]: upgrade_row(table, dict(zip(cols, r))) for r in self.conn.execute(
            f'SELECT {", ".join(cols)} FROM {self.schema}."{table}"{where}')} if cols and not everything else {}
        if self.versioned:
            where = f" AND h.row_uuid NOT IN ({leave_out})" if leave_out else ""
            if everything:
                where = (f' AND NOT EXISTS (SELECT 1 FROM {self.schema}."{table}" x '
                         "WHERE x.uuid = h.row_uuid)")
            for u, h in self.conn.execute(f"SELECT h.row_uuid, h.hash FROM {self.schema}.row_versions h "
                                          f"WHERE {of_table(self.conn, self.schema, 'h', table)}{where}"):
                self.history.setdefault((table, u), set()).add(version_name(h))
        alive = self.rows[table]
        for u in [u for u, t in self.tombstones.items() if t == table and u in alive]:
            # Alive and deleted at once: a row put back by an older version of the program,
            # which left the tombstone. It came back after that deletion.
            self.history.setdefault((table, u), set()).add(deletion_version(self.deleted_at.pop(u)))
            del self.tombstones[u]

    def hash(self, table: str, uuid: str) -> str:
        """The content hash of a row of this file (computed once)."""
        key = (table, uuid)
        if key not in self.hashes:
            self.hashes[key] = row_hash(self.rows[table][uuid])
        return self.hashes[key]

    def deletion(self, uuid: str) -> str | None:
        """The version name of this file's deletion of a row, if it deleted it."""
        when = self.deleted_at.get(uuid)
        return deletion_version(when) if when is not None else None

    def seen(self, table: str, uuid: str) -> set[str]:
        """Versions this file has had of a row, including the current one."""
        out = set(self.history.get((table, uuid), ()))
        if uuid in self.rows[table]:
            out.add(self.hash(table, uuid))
        return out


def _own_key(table: str, row: dict):
    """A row's natural key within its own file (its parent as that file names it)."""
    parent = PARENT.get(table)
    return _natural_key(table, row, row[parent[0]] if parent else None)


def _natural_key(table: str, row: dict, parent_uuid: str | None):
    if table == "organizations":
        return (name_key(row["name"]), (row["province"] or "").strip())
    if table == "actions":
        return None
    return (parent_uuid, *(row[c] for c in NATURAL[table]))


class _Plan:
    def __init__(self, target: _Side, source: _Side, source_name: str):
        self.t, self.s, self.source_name = target, source, source_name
        self.map: dict[str, str] = {}  # their uuid -> our uuid, for every matched or inserted row
        self.inserts: list[tuple[str, dict]] = []
        self.updates: list[tuple[str, str, dict]] = []  # table, our uuid, their row
        self.deletes: list[tuple[str, str]] = []
        self.conflicts: list[Conflict] = []
        self.history: set[tuple[str, str, str]] = set()  # (table, our uuid, hash) to learn
        self.report = MergeReport(source_name=source_name)
        self.theirs_now: dict[tuple[str, str], tuple[str, set[str]]] = {}  # matched rows: their hash and history
        self.present: dict[str, set[str]] = {}  # our uuids alive after the merge, per table as loaded
        self.settled_parents: set[str] = set()  # our assessments with rows left out as settled
        self.settled_pairs: dict[str, str] = {}  # their uuid -> ours: read, but found settled by SQL
        self.fast = target.schema == "main" and source.schema == merge_settled.THEIRS
        self.open_conflicts = {
            (t, u, k, h) for t, u, k, h in target.conn.execute(
                "SELECT table_name, row_uuid, kind, theirs_hash FROM conflicts WHERE resolved_at IS NULL")
        } if has_table(target.conn, "conflicts") else set()

    # -- descriptions ---------------------------------------------------------------
    def _context(self, table: str, row: dict) -> dict:
        """Organization name and year of a row, looked up on our side first, then theirs."""
        ctx = {k: ("" if v is None else v) for k, v in row.items()}
        assessment = None
        if table in PARENT and PARENT[table][1] == "assessments":
            a_uuid = row["assessment_uuid"]
            assessment = self.t.rows["assessments"].get(a_uuid) or self.s.rows["assessments"].get(a_uuid)
        elif table == "assessments":
            assessment = row
        org = None
        if table == "organizations":
            org = row
        elif assessment is not None:
            o_uuid = assessment["org_uuid"]
            org = self.t.rows["organizations"].get(o_uuid) or self.s.rows["organizations"].get(o_uuid)
        ctx["org"] = org["name"] if org else MERGE_MESSAGES["unknown_org"]
        ctx["year"] = assessment["fiscal_year"] if assessment else ""
        ctx["part"] = MERGE_MESSAGES["part"].format(part=row["part"]) if row.get("part") else ""
        ctx["measure"] = str(row.get("measure") or "")[:40]
        return ctx

    @staticmethod
    def _value(table: str, row: dict | None, other: dict | None) -> str:
        if row is None:
            return MERGE_MESSAGES["deleted"]
        if "score" in row:
            return f"{row['score']:.2f}"
        if table == "published_figures":
            return str(row["value"])
        if table == "catalogs":
            return MERGE_MESSAGES["catalog_version"].format(when=str(row["updated_at"])[:16].replace("T", " "))
        if "text" in row:
            text = str(row["text"])
            return text[:30] + ("…" if len(text) > 30 else "")
        fields = [k for k in row if k not in NOT_CONTENT and (other is None or row.get(k) != other.get(k))]
        return ", ".join(f"{k}={row[k]}" for k in fields[:3])

    def conflict(self, table: str, kind: str, our_uuid: str, mine: dict | None, theirs: dict | None,
                 theirs_hash: str) -> None:
        if (table, our_uuid, kind, theirs_hash) in self.open_conflicts:
            self.report.known_conflicts += 1
            return
        self.open_conflicts.add((table, our_uuid, kind, theirs_hash))
        what = MERGE_MESSAGES[table].format(**self._context(table, mine or theirs))
        description = MERGE_MESSAGES[kind].format(
            what=what, source=self.source_name,
            mine=self._value(table, mine, theirs), theirs=self._value(table, theirs, mine),
        )
        self.conflicts.append(Conflict(new_uuid(), table, our_uuid, kind, description, mine, theirs))

    # -- the walk -------------------------------------------------------------------
    def run(self) -> None:
        for table in SYNCED_TABLES:
            self._load(table)
            self._match_table(table)
        for table in SYNCED_TABLES:
            self._their_deletions(table)
        self._keep_parents_of_survivors()
        self._learn_tombstones()

    def _load(self, table: str) -> None:
        """Read a table of both files; rows that SQL finds settled are only counted."""
        leave_out, count = None, 0
        self.settled_pairs = {}
        if self.fast and table == "assessments":  # matched by organization: organizations are mapped
            merge_settled.set_parents(self.t.conn, [(u, self.map[u]) for u in self.s.rows["organizations"]
                                                    if u in self.map])
            self.settled_pairs = merge_settled.settled_pairs(self.t.conn, table)
        if self.fast and table in merge_settled.LEAVES:
            if table == next(iter(merge_settled.LEAVES)):
                merge_settled.set_parents(self.t.conn, [(u, self.map[u]) for u in self.s.rows["assessments"]
                                                        if u in self.map])
            count, parents = merge_settled.settle(self.t.conn, table)
            if count:
                self.report.unchanged += count
                self.settled_parents |= parents
                leave_out = table
        self.t.load(table, merge_settled.ours_sql() if leave_out else None, count)
        self.s.load(table, merge_settled.theirs_sql() if leave_out else None, count)
        self.present[table] = set(self.t.rows[table])

    def _match_table(self, table: str) -> None:
        t, s = self.t, self.s
        parent = PARENT.get(table)
        our_by_key = {}
        for uuid, row in t.rows[table].items():
            key = _natural_key(table, row, row[parent[0]] if parent else None)
            if key is not None:
                our_by_key.setdefault(key, uuid)
        claimed: dict[str, str] = {}  # our uuid -> the uuid of theirs matched to it
        # Rows known by the same UUID first: a row of theirs matched by name must not take
        # a row of ours that another row of theirs is (an organization renamed there while a
        # new one took its old name).
        for s_uuid, theirs in sorted(s.rows[table].items(), key=lambda kv: (kv[0] not in t.rows[table], kv[0])):
            if s_uuid in self.settled_pairs:  # matched, same content, nothing to learn: what
                our_uuid = self.settled_pairs[s_uuid]  # _compare would conclude, without hashing
                claimed[our_uuid] = s_uuid
                self.map[s_uuid] = our_uuid
                self.report.unchanged += 1
                continue
            theirs = dict(theirs)
            if parent:
                col, parent_table = parent
                theirs[col] = self.map.get(theirs[col], theirs[col])
            h_s = s.hash(table, s_uuid)  # the parent is not content: mapping it changes no hash
            our_uuid = s_uuid if s_uuid in t.rows[table] else None
            if our_uuid is None:
                key = _natural_key(table, theirs, theirs[parent[0]] if parent else None)
                our_uuid = our_by_key.get(key) if key is not None else None
                if our_uuid is not None and (our_uuid in claimed or our_uuid not in t.rows[table]):
                    # One of ours (or one of theirs just added) already stands for another row of
                    # theirs with this key. Two organizations of one name and province (made
                    # through the document API, or one renamed there while a new one took the
                    # old name): theirs is added as it is. Any other table's key is unique in
                    # a file: refuse it, before writing anything. Either the other file holds it
                    # twice (crafted), or two of its rows, each unique there, meet one of ours
                    # (its organization renamed after an earlier merge, the old name typed again).
                    if table != "organizations":
                        other = claimed.get(our_uuid, our_uuid)
                        twice = other in s.rows[table] and _own_key(table, s.rows[table][other]) == _own_key(
                            table, s.rows[table][s_uuid])
                        raise DuplicateRowsError(MERGE_MESSAGES["duplicate_row" if twice else "crossed_rows"].format(
                            source=self.source_name, what=MERGE_MESSAGES[table].format(**self._context(table, theirs))),
                            crossed=not twice)
                    our_uuid = None
            if our_uuid is not None:
                claimed[our_uuid] = s_uuid
                self.map[s_uuid] = our_uuid
                self._compare(table, our_uuid, s_uuid, theirs, h_s)
                continue
            their_seen = s.seen(table, s_uuid)
            if s_uuid in t.tombstones and t.deletion(s_uuid) not in their_seen:
                # We deleted it. Stay deleted unless they changed it after the version we deleted.
                # (If they had seen our very deletion, the row came back there afterwards, an
                # undo: it is inserted below like any row of theirs.)
                if h_s in t.seen(table, s_uuid):
                    self.report.unchanged += 1
                else:
                    self.conflict(table, "deleted_here", s_uuid, None, theirs, h_s)
                continue
            if parent and theirs[parent[0]] not in self.present[parent[1]]:
                # Its parent is gone here (deleted, or itself in conflict): never insert an orphan.
                if h_s in t.seen(table, s_uuid):
                    self.report.unchanged += 1
                else:
                    self.conflict(table, "deleted_here", s_uuid, None, theirs, h_s)
                continue
            self.map[s_uuid] = s_uuid
            self.inserts.append((table, theirs))
            self.present[table].add(s_uuid)
            key = _natural_key(table, theirs, theirs[parent[0]] if parent else None)
            if key is not None:
                our_by_key.setdefault(key, s_uuid)
            self.history |= {(table, s_uuid, h) for h in their_seen}
            self.report.added += 1

    def _compare(self, table: str, our_uuid: str, s_uuid: str, theirs: dict, h_s: str) -> None:
        ours = self.t.rows[table][our_uuid]
        h_t = self.t.hash(table, our_uuid)
        our_seen = self.t.seen(table, our_uuid)
        their_seen = self.s.seen(table, s_uuid)
        if our_uuid != s_uuid:
            # Matched by natural key: a side that replaced the row (re-import) under a new
            # UUID still descends from what it had under the old one.
            our_seen |= self.t.history.get((table, s_uuid), set())
            their_seen |= self.s.history.get((table, our_uuid), set())
        self.theirs_now[(table, our_uuid)] = (h_s, their_seen)
        ahead, behind = h_s in our_seen, h_t in their_seen
        if h_s == h_t or (ahead and not behind):
            # Same, or they have one of our past versions: ours is newer.
            if h_s == h_t:
                self.report.unchanged += 1
            else:
                self.report.kept_ours += 1
            self._learn(table, our_uuid, their_seen - our_seen)
        elif behind and not ahead:
            # Ours is one of their past versions: they changed it, we did not.
            self.updates.append((table, our_uuid, theirs))
            self._learn(table, our_uuid, their_seen - our_seen)
            self.report.updated += 1
        else:
            # Both changed it; or each has had the other's version, so one side went back to
            # an older content (an undo after a save, a restored backup) and hashes cannot
            # tell which is newer: the officer chooses.
            self.conflict(table, "both_changed", our_uuid, ours, theirs, h_s)

    def _learn(self, table: str, our_uuid: str, hashes: set[str]) -> None:
        self.history |= {(table, our_uuid, h) for h in hashes}

    def _their_deletions(self, table: str) -> None:
        matched = set(self.map.values())
        for uuid, ours in self.t.rows[table].items():
            if uuid in matched or self.s.tombstones.get(uuid) != table:
                continue
            our_seen = self.t.seen(table, uuid)
            if self.s.deletion(uuid) in our_seen:
                self.report.kept_ours += 1  # we had that very deletion and put the row back since
            elif self.t.hash(table, uuid) in self.s.seen(table, uuid):
                self.deletes.append((table, uuid))
                self.present[table].discard(uuid)
                self.report.deleted += 1
            elif DELETION in our_seen:
                self.report.kept_ours += 1  # the officer already chose to keep it
            else:
                self.conflict(table, "deleted_there", uuid, ours, None, DELETION)

    def _keep_parents_of_survivors(self) -> None:
        """A deletion of a parent whose children live on here becomes a conflict (cascades lose data)."""
        for table, (col, parent_table) in reversed(list(PARENT.items())):
            alive_parents = {row[col] for u, row in self.t.rows[table].items() if u in self.present[table]}
            alive_parents |= {row[col] for tb, row in self.inserts if tb == table}
            if table in merge_settled.LEAVES:
                alive_parents |= self.settled_parents
            for table_name, uuid in list(self.deletes):
                if table_name == parent_table and uuid in alive_parents:
                    self.deletes.remove((table_name, uuid))
                    self.present[parent_table].add(uuid)
                    self.report.deleted -= 1
                    ours = self.t.rows[parent_table][uuid]
                    self.conflict(parent_table, "deleted_there", uuid, ours, None, DELETION)

    def _learn_tombstones(self) -> None:
        """Their deletions of rows we do not have travel on, so a third file learns them too."""
        self.new_tombstones = []
        alive = set().union(*self.present.values())
        for uuid, table in self.s.tombstones.items():
            if uuid in self.t.tombstones or uuid in alive:
                continue
            self.new_tombstones.append(uuid)
            self._learn(table, uuid, self.s.seen(table, uuid) - self.t.seen(table, uuid))

    def _moot_conflicts(self) -> list[str]:
        """Open "both changed" conflicts that are no longer a question: our row now holds
        their version, or the other file has seen that version and now agrees with ours
        (the other office resolved the conflict, and chose what we have)."""
        if not has_table(self.t.conn, "conflicts"):
            return []
        after = {(table, uuid): row_hash(row) for table, uuid, row in self.updates}
        moot = []
        for c_uuid, table, row_uuid, theirs_hash in self.t.conn.execute(
            "SELECT uuid, table_name, row_uuid, theirs_hash FROM conflicts "
            "WHERE resolved_at IS NULL AND kind = 'both_changed'"
        ):
            row = self.t.rows.get(table, {}).get(row_uuid)
            current = after.get((table, row_uuid)) or (row_hash(row) if row is not None else None)
            theirs_now, their_seen = self.theirs_now.get((table, row_uuid), (None, set()))
            if current == theirs_hash or (current == theirs_now and theirs_hash in their_seen):
                moot.append(c_uuid)
        return moot

    def finish_report(self) -> MergeReport:
        self.moot = self._moot_conflicts()
        self.report.settled = len(self.moot)
        known = {(t, u, h) for (t, u), hs in self.t.history.items() for h in hs}
        self.history -= known
        self.report.conflicts = self.conflicts
        self.report.bookkeeping = len(self.history) + len(self.new_tombstones)
        return self.report


def _upsert(c: sqlite3.Connection, table: str, row: dict, cols: list[str]) -> None:
    names = [k for k in cols if k in row]
    c.execute(
        f'INSERT INTO "{table}" ({", ".join(names)}) VALUES ({", ".join("?" * len(names))})',
        [row[k] for k in names],
    )


def merge_connections(store: Store, source: sqlite3.Connection, source_name: str = "",
                      settle_in_sql: bool = True) -> MergeReport:
    """Merge ``source`` (read only) into the document behind ``store``; one transaction, or none
    when there is nothing to do. ``settle_in_sql=False`` walks every row in Python (the
    reference the SQL shortcut is tested against)."""
    reader = merge_settled.open_reader(store.conn, source) if settle_in_sql else None
    try:
        if reader is not None:  # both files on disk: settled rows are found by SQL
            plan = _Plan(_Side(reader), _Side(reader, merge_settled.THEIRS), source_name)
        else:
            plan = _Plan(_Side(store.conn), _Side(source), source_name)
        plan.run()
        report = plan.finish_report()
    finally:
        if reader is not None:
            reader.close()
    if not report.changed:
        return report
    cols = {t: columns(store.conn, t) for t in SYNCED_TABLES}
    stamp = now()
    with store.transaction() as c:
        for table, row in plan.inserts:  # parents first: SYNCED_TABLES order
            _upsert(c, table, row, cols[table])
            revive(c, row["uuid"])  # they put back a row we had deleted: our tombstone goes
        for table, our_uuid, theirs in plan.updates:
            content = [k for k in cols[table] if k not in NOT_CONTENT or k == "updated_at"]
            c.execute(
                f'UPDATE "{table}" SET {", ".join(f"{k} = ?" for k in content)} WHERE uuid = ?',
                [theirs[k] for k in content] + [our_uuid],
            )
        for table, uuid in sorted(plan.deletes, key=lambda d: -SYNCED_TABLES.index(d[0])):
            c.execute(f'DELETE FROM "{table}" WHERE uuid = ?', (uuid,))
            # Their deletion keeps its time: it names the deletion in every file (deletion_version).
            c.execute("INSERT OR REPLACE INTO tombstones(uuid, table_name, deleted_at) VALUES (?, ?, ?)",
                      (uuid, table, plan.s.deleted_at[uuid]))
        for uuid in plan.new_tombstones:
            table = plan.s.tombstones[uuid]
            c.execute("INSERT OR IGNORE INTO tombstones(uuid, table_name, deleted_at) VALUES (?, ?, ?)",
                      (uuid, table, plan.s.deleted_at[uuid]))
        c.executemany(INSERT_VERSION, [stored(*v) for v in sorted(plan.history)])
        c.executemany("UPDATE conflicts SET resolved_at = ?, resolution = 'same' WHERE uuid = ?",
                      [(stamp, u) for u in plan.moot])
        for k in report.conflicts:
            c.execute(
                "INSERT INTO conflicts(uuid, table_name, row_uuid, kind, mine, theirs, theirs_hash, source_name, "
                "description, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (k.uuid, k.table, k.row_uuid, k.kind,
                 json.dumps(k.mine, ensure_ascii=False) if k.mine is not None else None,
                 json.dumps(k.theirs, ensure_ascii=False) if k.theirs is not None else None,
                 row_hash(k.theirs) if k.theirs is not None else DELETION, source_name, k.description, stamp),
            )
    return report


# -- the officer's choice ---------------------------------------------------------------

def open_conflicts(conn: sqlite3.Connection) -> list[Conflict]:
    out = []
    for uuid, table, row_uuid, kind, mine, theirs, description in conn.execute(
        "SELECT uuid, table_name, row_uuid, kind, mine, theirs, description FROM conflicts "
        "WHERE resolved_at IS NULL ORDER BY created_at, rowid"
    ):
        out.append(Conflict(uuid, table, row_uuid, kind, description,
                            json.loads(mine) if mine else None, json.loads(theirs) if theirs else None))
    return out


def resolve_conflict(store: Store, conflict_uuid: str, choice: str) -> None:
    """``choice`` is "mine" (keep this file's version) or "theirs" (take the other file's).

    Either way the other version is remembered as seen, so merging the same file again
    does not raise the same conflict.
    """
    if choice not in ("mine", "theirs"):
        raise ValueError(choice)
    c = store.conn
    row = c.execute(
        "SELECT table_name, row_uuid, kind, theirs, theirs_hash FROM conflicts WHERE uuid = ? AND resolved_at IS NULL",
        (conflict_uuid,),
    ).fetchone()
    if row is None:
        raise DocumentError("CONFLICT_GONE", conflict_uuid)
    table, row_uuid, kind, theirs_json, theirs_hash = row
    theirs = json.loads(theirs_json) if theirs_json else None
    cols = columns(c, table)
    stamp = now()
    with store.transaction() as tx:
        if choice == "theirs" and kind == "both_changed":
            content = [k for k in cols if k not in NOT_CONTENT]
            tx.execute(f'UPDATE "{table}" SET {", ".join(f"{k} = ?" for k in content)}, updated_at = ? WHERE uuid = ?',
                       [theirs[k] for k in content] + [stamp, row_uuid])
        elif choice == "theirs" and kind == "deleted_here":
            parent = PARENT.get(table)
            if parent and tx.execute(f'SELECT 1 FROM "{parent[1]}" WHERE uuid = ?', (theirs[parent[0]],)).fetchone() is None:
                raise DocumentError("CONFLICT_PARENT", row_uuid)
            _upsert(tx, table, {**theirs, "updated_at": stamp}, cols)
            revive(tx, row_uuid)
        elif choice == "theirs" and kind == "deleted_there":
            for child, (col, parent_table) in PARENT.items():
                if parent_table == table:
                    for (child_uuid,) in tx.execute(f'SELECT uuid FROM "{child}" WHERE {col} = ?', (row_uuid,)).fetchall():
                        store._tombstone(tx, child_uuid, child)  # noqa: SLF001 - same package
                    tx.execute(f'DELETE FROM "{child}" WHERE {col} = ?', (row_uuid,))
            tx.execute(f'DELETE FROM "{table}" WHERE uuid = ?', (row_uuid,))
            store._tombstone(tx, row_uuid, table)  # noqa: SLF001
        tx.execute(INSERT_VERSION, stored(table, row_uuid, theirs_hash))
        tx.execute("UPDATE conflicts SET resolved_at = ?, resolution = ? WHERE uuid = ?", (stamp, choice, conflict_uuid))
