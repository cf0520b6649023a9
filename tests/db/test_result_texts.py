"""Kept result texts are read in one parse of their join (itadesk.ita.results): a text that is
not one whole result, however the join of several reads, is refused. Otherwise a file could
carry texts that split across rows: read all together (as the first check of the file does)
they give the right results, read as a subset (one year's overview, the rows not edited
since) the pieces pair up differently and put another assessment's figures under a name."""

from __future__ import annotations

import pytest

from itadesk.ita.results import Result

R1 = Result({"IIT": 98.24, "EIT": 99.83, "OIT": 77.5}, 90.42, "pass", True, 2568)
R2 = Result({"IIT": 81.29, "EIT": 91.48, "OIT": 83.13}, 85.08, "pass", True, 2567)


def test_whole_texts_are_read():
    assert Result.many_from_texts([R1.to_text(), R2.to_text()]) == [R1, R2]


def test_texts_split_across_rows_are_refused_though_their_join_reads():
    t1, t2 = R1.to_text(), R2.to_text()
    cut = t2.index(",") + 1  # inside R2's tools
    split = [f"{t1},{t2[:cut - 1]}", t2[cut:]]
    assert "[" + ",".join(split) + "]" == f"[{t1},{t2}]"  # the join alone cannot tell
    with pytest.raises(ValueError):
        Result.many_from_texts(split)


def test_a_file_with_split_texts_shows_no_figure_of_another_assessment(tmp_path, monkeypatch):
    """End to end: a district's file from another office whose kept texts split across rows
    passes the first check (read all together they are right); after the officer edits two
    assessments (tracked, so the rest stay trusted), the others are read as a subset."""
    import sqlite3

    from itadesk.db import results as results_module
    from itadesk.db.document import Document
    from itadesk.db.operations import SetScores
    from itadesk.db.store import Store
    from itadesk.ita.results import result_of
    from tests.many_orgs import generated_entries, import_dicts

    monkeypatch.setattr(results_module, "TRACK_FROM", 1)  # this small file is tracked like a district's
    path = import_dicts(tmp_path / "district.db", generated_entries(4, 2567, 2568), tmp_path)
    conn = sqlite3.connect(path, isolation_level=None)
    order = ("SELECT a.uuid, a.org_uuid, a.fiscal_year, r.result FROM assessments a JOIN organizations o "
             "ON o.uuid = a.org_uuid JOIN assessment_results r ON r.assessment_uuid = a.uuid "
             "ORDER BY o.name, a.fiscal_year LIMIT 4")
    (u1, _, _, t1), (u2, o2, y2, t2), (u3, o3, y3, t3), (u4, _, _, t4) = conn.execute(order).fetchall()
    cut2, cut4 = t2.index("},") + 1, t4.index("},") + 1
    forged = {u1: f"{t1},{t2[:cut2]}", u2: t2[cut2 + 1:], u3: f"{t3},{t4[:cut4]}", u4: t4[cut4 + 1:]}
    for uuid, text in forged.items():
        conn.execute("UPDATE assessment_results SET result = ? WHERE assessment_uuid = ?", (text, uuid))
    conn.close()

    with Document.open(path) as doc:
        for org, year, uuid in ((o2, y2, u2), (o3, y3, u3)):
            score = doc._store.conn.execute("SELECT score FROM indicator_scores WHERE assessment_uuid = ? "
                                            "AND indicator = 1", (uuid,)).fetchone()[0]
            doc.apply(SetScores(org_uuid=org, year=year, indicators={1: score}))  # an edit, same figures
        _keys, shown = doc.results()
        expected = {a.uuid: result_of(a, a.catalog) for a in Store(doc._store.conn).assessments_for_scoring()}
    assert shown == expected
