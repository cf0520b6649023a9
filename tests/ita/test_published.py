"""The NACC's published figures win within a rounding step; beyond it, a typing error is warned."""

import pytest

from itadesk.ita.consistency import assessment_warnings
from itadesk.ita.model import Assessment
from itadesk.ita.published import parse_published
from itadesk.ita.scoring import evaluate


def province(published=None):
    """A 2563 province result: the two-decimal indicators give 67.53, the NACC published 67.54."""
    scores = {1: 70.12, 2: 68.4, 3: 66.3, 4: 71.05, 5: 60.0, 6: 72.35, 7: 69.8, 8: 66.66, 9: 63.1, 10: 69.38}
    return Assessment(2563, indicators=scores, published=published or {})


def test_the_reconstructed_total_is_67_53():
    ev = evaluate(province())
    assert ev.total == 67.53 and ev.checks == [] and ev.level.name == "C"


def test_published_total_within_a_rounding_step_is_shown_and_explained():
    ev = evaluate(province({"total": 67.54, "level": "C"}))
    assert ev.total == 67.54
    assert ev.computed["total"] is not None and round(ev.computed["total"], 2) == 67.53
    note = next(n for n in ev.notes if n.startswith("คะแนนรวม ใช้ค่าที่ ป.ป.ช. ประกาศ (67.54)"))
    assert "(67.53) 0.01 คะแนน" in note and "ไม่ได้ปัดเศษ" in note
    assert [w for w in assessment_warnings(province({"total": 67.54})) if w.code == "published"] == []


def test_a_difference_of_half_a_point_is_warned_as_a_typing_error():
    a = province({"total": 68.03})
    ev = evaluate(a)
    assert ev.total == 67.53  # the computed figure stays until the officer checks
    warnings = [w for w in assessment_warnings(a) if w.code == "published"]
    assert len(warnings) == 1 and "(68.03)" in warnings[0].message and "0.50 คะแนน" in warnings[0].message
    assert "พิมพ์คะแนนผิด" in warnings[0].message


def test_published_tool_scores_and_level():
    ev = evaluate(province({"OIT": 66.25, "level": "B"}))
    computed_oit = ev.computed["OIT"]
    assert round(computed_oit, 2) == 66.24 and ev.tools["OIT"] == 66.25
    assert ev.level.name == "B" and ev.level.confirmed  # the NACC's own level is official
    warning = [w.message for w in assessment_warnings(province({"level": "B"})) if w.code == "published"]
    assert warning and "ระดับที่กรอกตามประกาศ (B) ต่างจากระดับที่คำนวณได้ (C)" in warning[0]
    unknown = [w.message for w in assessment_warnings(province({"level": "ผ่าน"})) if w.code == "published"]
    assert unknown and "ไม่ใช่ระดับของเกณฑ์ปีนี้" in unknown[0]
    assert evaluate(province({"level": "ผ่าน"})).level.name == "C"


def test_without_published_figures_the_computed_ones_are_used():
    ev = evaluate(province())
    assert ev.computed == {} and ev.checks == []


@pytest.mark.parametrize("data, message", [
    ({"totl": 1}, "ไม่มีหัวข้อ \"totl\""),
    ({"total": 101}, "คะแนนรวม ที่ประกาศ"),
    ({"IIT": "9x"}, "คะแนน IIT ที่ประกาศ"),
    ({"total": 67.545}, "ทศนิยม"),
    ([], "ต้องเป็นรายการ"),
])
def test_bad_published_figures_get_a_thai_message(data, message):
    with pytest.raises(ValueError, match=message.replace("(", r"\(").replace(")", r"\)")):
        parse_published(data, ("IIT", "EIT", "OIT"))


def test_published_figures_parse():
    assert parse_published({"IIT": "๘๙.๖๕", "total": 67.54, "level": " ผ่าน ", "EIT": None}, ("IIT", "EIT", "OIT")) == {
        "IIT": 89.65, "total": 67.54, "level": "ผ่าน"}
