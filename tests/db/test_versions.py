"""Row versions bookkeeping: the one "has table" question, asked in one place."""

from __future__ import annotations

import sqlite3

from itadesk.db import merge, versions
from itadesk.db.files import connect, new_document
from itadesk.db.schema import MIGRATIONS


def test_has_table_tells_a_version_1_file_from_a_version_2_file(tmp_path):
    new_document(tmp_path / "v2.db")
    v1 = sqlite3.connect(tmp_path / "v1.db", isolation_level=None)
    for statement in MIGRATIONS[1]:
        v1.execute(statement)
    v2 = connect(tmp_path / "v2.db")
    try:
        assert versions.has_table(v2, "row_versions") and versions.has_table(v2, "conflicts")
        assert not versions.has_table(v1, "row_versions") and not versions.has_table(v1, "conflicts")
        assert versions.has_table(v1, "tombstones") and not versions.has_table(v1, "no_such")
        assert versions.has_versions(v2) and not versions.has_versions(v1)
        assert versions.record_versions(v1) == 0  # nothing to record in, and no error
    finally:
        v1.close()
        v2.close()


def test_merge_asks_versions_and_has_no_copy_of_its_own():
    assert not hasattr(merge, "_has_table")
    assert merge.has_table is versions.has_table
