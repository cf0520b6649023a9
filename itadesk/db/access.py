"""The door into a document's content: reads and edit operations, every SQLite error checked.

Nothing outside :mod:`itadesk.db` holds a connection or a store (Calibre's ``Cache``,
qutebrowser's ``misc/sql.py``). The window reaches the content through
:class:`itadesk.db.document.Document`, which is a :class:`DocumentAccess`; the command line
through :func:`read_file` and :func:`edit_file`, which hand out the same class over a
snapshot or a safely rewritten copy. So both call one API, and a failure of the file on any
path, reads included, becomes one known Thai message (:class:`DocumentError`) or, when it is
not a known one, surfaces unchanged as a bug with its details.
"""

from __future__ import annotations

import contextlib
import functools
import json
import os
import sqlite3
from typing import Callable, Iterator, TypeVar

from itadesk.db.errors import translate
from itadesk.db.operations import Changes, Operation, scored_items
from itadesk.db.store import Store
from itadesk.db.versions import SYNCED_TABLES, columns
from itadesk.ita.catalog import Catalogs
from itadesk.ita.model import Action, Assessment, Organization

T = TypeVar("T")


def checked(method: Callable[..., T]) -> Callable[..., T]:
    """Turn a SQLite (or OS) error of ``method`` into its Thai :class:`DocumentError`;
    an error that is not a known one is re-raised as it is (a bug)."""

    @functools.wraps(method)
    def wrapper(*args, **kwargs):
        try:
            return method(*args, **kwargs)
        except (sqlite3.Error, OSError) as exc:
            raise translate(exc) from exc

    return wrapper


class DocumentAccess:
    """Reads and edits of one open content; subclasses provide ``_store``."""

    _store: Store

    # -- reading ------------------------------------------------------------------------
    @checked
    def organizations(self) -> list[Organization]:
        return self._store.organizations()

    @checked
    def organization(self, uuid: str) -> Organization | None:
        return self._store.organization(uuid)

    @checked
    def find_organization(self, name: str, province: str | None = None) -> Organization | None:
        return self._store.find_organization(name, province)

    @checked
    def years(self, org_uuid: str) -> list[int]:
        return self._store.years(org_uuid)

    @checked
    def assessment_keys(self, org_uuid: str | None = None) -> list[tuple[str, int, str]]:
        """(org_uuid, fiscal_year, assessment_uuid), by organization name then year."""
        return self._store.assessment_keys(org_uuid)

    @checked
    def assessment_uuid(self, org_uuid: str, year: int) -> str | None:
        return self._store.assessment_uuid(org_uuid, year)

    @checked
    def load_assessment(self, org_uuid: str, year: int) -> Assessment | None:
        return self._store.load_assessment(org_uuid, year)

    @checked
    def load_assessment_by_uuid(self, uuid: str) -> Assessment | None:
        return self._store.load_assessment_by_uuid(uuid)

    @checked
    def assessments_for_scoring(self, org_uuid: str | None = None) -> list[Assessment]:
        """Every assessment with its scores and published figures only (no texts or plans), in a
        few queries: for summaries of many organizations. Ordered as :meth:`assessment_keys`."""
        return self._store.assessments_for_scoring(org_uuid)

    read_ahead = None  # what read_file read while a read-only file was hashed

    @checked
    def results(self, org_uuid: str | None = None):
        """Every assessment as (uuid, org_uuid, fiscal_year), by organization name then year
        (:data:`itadesk.db.results.ORDER`), and its :class:`itadesk.ita.results.Result`: read
        from the file where it is up to date, evaluated where not (:mod:`itadesk.db.results`)."""
        from itadesk.db.results import all_results  # noqa: PLC0415

        return all_results(self._store, org_uuid)

    @checked
    def summary_json(self, year: int | None = None) -> list[str] | None:
        """The lines of ``summary --json`` (of ``year``) cut from the kept results, as the
        command would write them from :meth:`results`; None when a result must be evaluated
        (:mod:`itadesk.db.summary_json`)."""
        from itadesk.db.summary_json import summary_json_rows  # noqa: PLC0415

        return summary_json_rows(self._store.conn, self._store.catalogs(), year)

    @checked
    def previous_assessment(self, org_uuid: str, year: int) -> Assessment | None:
        return self._store.previous_assessment(org_uuid, year)

    @checked
    def actions(self, assessment_uuid: str) -> list[Action]:
        return self._store.actions(assessment_uuid)

    @checked
    def units(self) -> list[str]:
        return self._store.units()

    @checked
    def edit_count(self) -> int:
        return self._store.edit_count()

    @checked
    def opening_selection(self) -> tuple[str | None, int | None]:
        """Where the document should open: the organization and year last worked on, else the
        latest year with data; never an empty year while a year with data exists.

        (None, None) when the file has no organization; (org, None) when it has no data yet.
        """
        org, year = None, None
        with contextlib.suppress(ValueError, TypeError, KeyError, AttributeError):
            note = json.loads(self._store.get_meta("last_selection") or "{}")
            org, year = note.get("org"), int(note["year"])
        # The usual case, answered from that organization's own rows (a district's file need
        # not list 8,000 offices and 48,000 assessments to reopen where it was left).
        mine = self._store.years(org) if isinstance(org, str) else []
        if mine:
            return org, (year if year in mine else max(mine))
        # Otherwise a few one-row statements (a district's first open listed 48,000 assessments).
        conn = self._store.conn
        first = conn.execute("SELECT uuid FROM organizations ORDER BY name LIMIT 1").fetchone()
        if first is None:
            return None, None
        known = isinstance(org, str) and conn.execute(
            "SELECT 1 FROM organizations WHERE uuid = ?", (org,)).fetchone() is not None
        latest = conn.execute("SELECT MAX(a.fiscal_year) FROM assessments a "
                              "JOIN organizations o ON o.uuid = a.org_uuid").fetchone()[0]
        if latest is None:  # no data yet: the remembered organization, or the first by name
            return (org, year) if known else (first[0], None)
        # The latest year any organization has data for (the first such organization by name).
        chosen = conn.execute("SELECT a.org_uuid FROM assessments a JOIN organizations o ON o.uuid = a.org_uuid "
                              "WHERE a.fiscal_year = ? ORDER BY o.name, a.org_uuid LIMIT 1", (latest,)).fetchone()
        return chosen[0], latest

    # -- the overview of many organizations (itadesk.ita.overview computes) -------------------
    _prefetched: tuple | None = None  # (year, edit count, rows) read ahead by prefetch_overview

    @checked
    def prefetch_overview(self, year: int | None, min_organizations: int) -> None:
        """Read the overview of ``year`` now, in the worker that opens a district's file: the
        tab shown first then only computes the rows it draws (each from the result the file
        keeps), and the GUI thread stays free. The next :meth:`overview` of that year, with
        no edit in between, returns it."""
        if year is None or max(self.overview_years().values(), default=0) < min_organizations:
            return
        self._prefetched = (year, self._store.edit_count(), self.overview(year))

    def overview_read_ahead(self, year: int) -> bool:
        """Whether :meth:`overview` of ``year`` will return rows already read (no reading left)."""
        ahead = self._prefetched
        return ahead is not None and ahead[:2] == (year, self._store.edit_count())

    @checked
    def overview(self, year: int):
        """One :class:`itadesk.ita.overview.OverviewRow` per organization for ``year``, by name;
        a few bulk statements whatever the number of organizations."""
        ready, ahead, self._prefetched = self.overview_read_ahead(year), self._prefetched, None
        if ready:
            return ahead[2]
        from itadesk.db.overview import overview_data  # noqa: PLC0415
        from itadesk.db.results import trusted_results  # noqa: PLC0415
        from itadesk.ita.overview import overview_rows, part_item_codes  # noqa: PLC0415

        conn = self._store.conn
        catalogs = self._store.catalogs()  # the document's own catalogs over the bundled ones
        data = overview_data(conn, year, part_item_codes(catalogs, also=year),
                             lambda stored: trusted_results(conn, catalogs, stored))
        results = data.results  # the others are evaluated (itadesk.ita.overview)
        return overview_rows(year, data.organizations, data.current, data.previous, catalogs, results)

    @checked
    def overview_years(self) -> dict[int, int]:
        """Years with data and how many organizations have each, oldest first."""
        from itadesk.db.overview import overview_years  # noqa: PLC0415

        return overview_years(self._store.conn)

    @checked
    def items_below(self, year: int, limits: dict[str, float],
                    org_uuids: list[str] | None = None) -> dict[str, tuple[int, int]]:
        """Per item code: (offices scored on it in ``year``, offices below its limit), over
        ``org_uuids`` (all when None)."""
        from itadesk.db.overview import items_below  # noqa: PLC0415

        return items_below(self._store.conn, year, limits, org_uuids)

    @checked
    def catalogs(self) -> Catalogs:
        """Which catalog each year uses in this document: its own over the bundled ones. Every
        reader asks this (or an assessment read from here, which carries its year's catalog)."""
        return self._store.catalogs()

    @checked
    def catalog_text(self, year: int) -> str | None:
        """The JSON of the document's own catalog of ``year`` (None: it uses a bundled or earlier one)."""
        return self._store.catalog_text(year)

    @checked
    def scored_items(self, year: int, codes: list[str]) -> dict[str, int]:
        """How many scores each item has in ``year`` across organizations (before removing it)."""
        return scored_items(self._store, year, codes)

    @checked
    def conflicts(self):
        """Rows both offices changed, still waiting for the officer's choice (list of merge.Conflict)."""
        from itadesk.db.merge import open_conflicts  # noqa: PLC0415 - merge imports store

        return open_conflicts(self._store.conn)

    @checked
    def conflict_row(self, table: str, row_uuid: str) -> tuple[bool, dict | None]:
        """What the content holds now for a conflict's row: ``(True, row)``, ``(True, None)``
        when it is gone, ``(False, None)`` for a table a merge never writes."""
        if table not in SYNCED_TABLES:
            return False, None
        conn = self._store.conn
        cols = columns(conn, table)
        row = conn.execute(f'SELECT {", ".join(cols)} FROM "{table}" WHERE uuid = ?', (row_uuid,)).fetchone()
        return True, (dict(zip(cols, row)) if row is not None else None)

    # -- editing --------------------------------------------------------------------------
    def _check_writable(self) -> None:
        """Overridden by :class:`Document` (closed, read-only)."""

    @checked
    def apply(self, operation: Operation) -> Changes:
        """Run one edit operation in one transaction; what it changed (for the views).
        ``operation.inverse()`` afterwards is the edit that undoes it."""
        self._check_writable()
        return operation.apply(self._store)

    @checked
    def import_entries(self, entries: list[tuple[Organization, Assessment]]) -> None:
        """Add or replace whole assessments (JSON import); an organization already in the
        content under the same name (and province) is updated rather than duplicated.
        One transaction: all entries or none."""
        self._check_writable()
        self._store.import_assessments(entries)


class _FileAccess(DocumentAccess):
    def __init__(self, conn: sqlite3.Connection):
        self._store = Store(conn)

    @checked
    def merge_file(self, path: str | os.PathLike, source_name: str | None = None):
        """Merge another file, read through a checked snapshot, into this content (MergeReport)."""
        from itadesk.db.files import read_snapshot  # noqa: PLC0415
        from itadesk.db.merge import merge_connections  # noqa: PLC0415

        with read_snapshot(path, results=False) as source:  # a merge reads rows, not results
            return merge_connections(self._store, source, source_name=source_name or os.path.basename(path))


@contextlib.contextmanager
def read_file(path: str | os.PathLike, ahead: Callable[[DocumentAccess], T] | None = None
              ) -> Iterator[DocumentAccess]:
    """Read a file, checked, without ever writing it. ``ahead(doc)`` is read while the file is
    hashed, and kept in ``doc.read_ahead`` once the check has passed (None when it was not read:
    the file was read through a copy, or reading it failed)."""
    from itadesk.db.files import read_checked  # noqa: PLC0415

    with read_checked(path, (lambda conn: ahead(_FileAccess(conn))) if ahead else None) as (conn, early):
        access = _FileAccess(conn)
        access.read_ahead = early
        yield access


@contextlib.contextmanager
def edit_file(path: str | os.PathLike, create: bool = False) -> Iterator[_FileAccess]:
    """Edit a file the safe way (:func:`itadesk.db.files.atomic_update`): a checked copy,
    locked like an open document, replacing the file atomically at the end of the block."""
    from itadesk.db.files import atomic_update  # noqa: PLC0415

    with atomic_update(path, create=create) as conn:
        yield _FileAccess(conn)
