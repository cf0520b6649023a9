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
