from datetime import date

import pytest

from itadesk.interchange.json_format import read_file
from itadesk.ita.consistency import assessment_warnings, name_key, organization_warnings
from itadesk.ita.findings import findings
from itadesk.ita.model import Action, Organization
from itadesk.ita.numbers import ScoreError, parse_score, to_thai_digits
from itadesk.ita.recommendations import load_measures, load_recommendations
from itadesk.ita.thai_dates import (
    PeriodError, check_period, default_plan_period, fiscal_year_of, fiscal_year_range, format_thai_date,
)


@pytest.fixture
def reference(reference_json):
    return {a.fiscal_year: (org, a) for org, a in read_file(reference_json)}


def test_findings_of_the_reference_name_o5_o12_o23_with_texts(reference):
    _, a = reference[2568]
    found = {f.code: f for f in findings(a)}
    for code in ("o5", "o12", "o23"):
        assert code in found and found[code].score == 0
        assert found[code].recommendation and "หน่วยงานควร" in found[code].recommendation
    assert found["o6"].score == 50 and found["o6"].recommendation is None  # no standard text shipped
    assert found["9"].kind == "indicator" and found["10"].score == 75
    assert found["o12"].sub_indicator.startswith("9.3")
    assert "o1" not in found  # 100 is no finding
    assert "e4" not in found  # 99.81 is above 85


def test_threshold_is_a_parameter(reference):
    _, a = reference[2568]
    strict = {f.code for f in findings(a, threshold=99.9)}
    assert {"e4", "4", "i4"} <= strict


def test_reference_inconsistent_item_scores_are_warned(reference):
    _, a = reference[2568]
    warnings = [w for w in assessment_warnings(a) if w.code == "items_mismatch"]
    assert {w.subject for w in warnings} == {"2", "3", "4"}
    assert all("ตรวจสอบ" in w.message for w in warnings)
    # OIT items are not combined into indicators (rule unknown): never warned.
    assert "9" not in {w.subject for w in warnings}


def test_out_of_range_and_period_warnings(reference):
    _, a = reference[2568]
    a.indicators[1] = 120
    a.actions.append(Action(indicator=1, measure="x", start=date(2026, 10, 1), end=date(2026, 9, 30)))
    codes = {w.code for w in assessment_warnings(a)}
    assert {"out_of_range", "period"} <= codes


def test_organization_written_two_ways_is_warned():
    orgs = [
        Organization("องค์การบริหารส่วนตำบลเชียงพิณ", province="อุดรธานี"),
        Organization("อบต. เชียงพิณ", province="อุดรธานี"),
        Organization("อบต.เชียงพิณ", province="ลำปาง"),  # another province: a different office
    ]
    warnings = organization_warnings(orgs)
    assert len(warnings) == 1 and "เชียงพิณ" in warnings[0].message
    assert name_key("องค์การบริหารส่วนตำบล เชียงพิณ") == name_key("อบต.เชียงพิณ")


@pytest.mark.parametrize("text,value", [("91.18", 91.18), ("๙๑.๑๘", 91.18), (" 100 ", 100.0), ("0", 0.0), ("85,5", 85.5)])
def test_parse_score_accepts(text, value):
    assert parse_score(text) == value


@pytest.mark.parametrize("text", ["120", "abc", "", "-1", "91.181", "1e2", "9 1", "100.01"])
def test_parse_score_refuses_with_thai_message(text):
    with pytest.raises(ScoreError) as err:
        parse_score(text)
    assert any("\u0e00" <= ch <= "\u0e7f" for ch in str(err.value))


def test_thai_dates_and_fiscal_year():
    assert fiscal_year_range(2569) == (date(2025, 10, 1), date(2026, 9, 30))
    assert default_plan_period(2568) == (date(2025, 10, 1), date(2026, 9, 30))
    assert fiscal_year_of(date(2025, 10, 1)) == 2569 and fiscal_year_of(date(2025, 9, 30)) == 2568
    assert format_thai_date(date(2025, 10, 1)) == "1 ตุลาคม 2568"
    assert format_thai_date(date(2026, 9, 30), short=True, thai_digits=True) == "๓๐ ก.ย. ๒๕๖๙"
    assert to_thai_digits("90.42") == "๙๐.๔๒"


def test_reference_bad_period_is_refused():
    # "1 ตุลาคม 2569 – 30 กันยายน 2569" from the reference report.
    with pytest.raises(PeriodError, match="ก่อนวันเริ่มต้น"):
        check_period(date(2026, 10, 1), date(2026, 9, 30))
    with pytest.raises(PeriodError):
        check_period(date(2025, 10, 1), date(3026, 9, 30))
    check_period(date(2025, 10, 1), date(2026, 9, 30), 2568)


def test_standard_texts_and_measures_are_shipped():
    rec = load_recommendations(2568)
    for code in ("e1", "e4", "e5", "e9", "o5", "o12", "o23"):
        assert rec.for_item(code)
    assert set(rec.tools) == {"IIT", "EIT", "OIT"}
    assert "เชียงพิณ" not in " ".join(rec.items.values()) + " ".join(rec.tools.values())
    assert load_recommendations(2570).fiscal_year == 2568  # later years reuse the latest texts
    lib = load_measures(2568)
    assert all(lib.for_indicator(n) for n in range(1, 11))
    assert "กองคลัง" in lib.owners


def test_below_threshold_is_judged_as_published(reference):
    from itadesk.ita.numbers import is_below

    _, a = reference[2568]
    a.items["e4"] = {1: 84.99, 2: 85.0}  # mean 84.995, published 85.00
    a.items["i1"] = 84.994  # published 84.99
    codes = {f.code for f in findings(a)}
    assert "e4" not in codes and "i1" in codes
    assert not is_below(84.995, 85) and is_below(84.994, 85)


def test_lost_items_include_drops_against_last_year(reference):
    from itadesk.ita.findings import lost_items

    _, current = reference[2568]
    _, previous = reference[2567]
    previous.items = {"i1": 100.0, "o1": 100.0, "i13": 100.0}
    current.items["i13"] = 98.0
    lost = {x.code: x for x in lost_items(current, previous)}
    assert lost["i13"].dropped and not lost["i13"].below_limit and lost["i13"].previous == 100.0
    assert lost["o5"].below_limit and lost["o5"].previous is None
    assert "i1" not in lost and "o1" not in lost


def test_thai_datetime():
    from datetime import datetime

    from itadesk.ita.thai_dates import format_thai_datetime

    assert format_thai_datetime(datetime(2026, 11, 24, 22, 1)) == "24 พ.ย. 2569 22:01 น."
