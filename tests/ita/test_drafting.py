import re
from datetime import date
from pathlib import Path

import pytest

from itadesk.interchange.json_format import read_file
from itadesk.ita.drafting import (
    carry_over, draft_analysis_text, format_score, insert_outcomes, outcome_summary, propose_actions,
    weak_indicators,
)
from itadesk.ita.model import Action, Assessment
from itadesk.ita.recommendations import load_measures, load_recommendations


@pytest.fixture
def reference(reference_json):
    return {a.fiscal_year: a for _org, a in read_file(reference_json)}


def test_draft_names_o5_o12_o23_with_their_standard_texts(reference):
    drafts = draft_analysis_text(reference[2568], reference[2567])
    texts = load_recommendations(2568)
    assert "o5" in drafts[9] and texts.for_item("o5") in drafts[9]
    assert "o12" in drafts[9] and texts.for_item("o12") in drafts[9]
    assert "o23" in drafts[10] and texts.for_item("o23") in drafts[10]
    # grouped under their sub-indicators, with the score as printed
    assert "ตัวชี้วัดย่อย 9.2 การบริหารงานและการใช้จ่ายงบประมาณ\no5 แผนยุทธศาสตร์หรือแผนพัฒนาหน่วยงาน (0 คะแนน)" in drafts[9]
    assert drafts[9].index("o5") < drafts[9].index("ตัวชี้วัดย่อย 9.3") < drafts[9].index("o12")
    # items without a shipped text are still named, with a generic sentence
    assert "o6 (ยังไม่ระบุชื่อข้อ) ได้ 50 คะแนน" in drafts[9] and "o22 (ยังไม่ระบุชื่อข้อ) ได้ 50 คะแนน" in drafts[10]
    # the general OIT advice once, not under both OIT indicators
    assert texts.oit_general in drafts[9] and texts.oit_general not in drafts[10]
    # an indicator below the threshold says so
    assert drafts[10].startswith("ตัวชี้วัดที่ 10 การป้องกันการทุจริต ได้ 75 คะแนน ต่ำกว่าเกณฑ์ 85 คะแนน")


def test_indicator_at_100_gets_the_maintain_text(reference):
    drafts = draft_analysis_text(reference[2568], reference[2567])
    maintain = load_recommendations(2568).maintain
    assert maintain.startswith("ผ่านตามหลักเกณฑ์") and "ควรรักษามาตรฐาน" in maintain
    assert drafts[1] == maintain  # 100 in both years
    assert drafts[5] == maintain
    assert maintain not in drafts[9]


def test_a_drop_from_last_year_is_said_in_points(reference):
    drafts = draft_analysis_text(reference[2568], reference[2567])
    # indicator 4: 97.78 → 91.18
    assert "เมื่อเทียบกับปี 2567 คะแนนลดลง 6.60 คะแนน" in drafts[4]
    assert "ลดลง" not in drafts[9]  # 79.29 → 80 is a rise
    no_previous = draft_analysis_text(reference[2568], None)
    assert "ลดลง" not in no_previous[4]


def test_iit_item_below_threshold_without_text_is_named(reference):
    drafts = draft_analysis_text(reference[2568])
    assert drafts[3].startswith("i9 (ยังไม่ระบุชื่อข้อ) ได้ 80 คะแนน ต่ำกว่าเกณฑ์ 85 คะแนน")


def test_indicators_without_scores_get_no_draft():
    a = Assessment(2568, indicators={1: 100.0})
    assert set(draft_analysis_text(a)) == {1}


def test_items_sharing_a_text_are_named_together():
    a = Assessment(2568, indicators={7: 70.0}, items={"e4": 70.0, "e5": 60.0})
    text = draft_analysis_text(a)[7]
    assert "e4, e5 (ยังไม่ระบุชื่อข้อ) (e4 70 คะแนน, e5 60 คะแนน)" in text
    assert text.count(load_recommendations(2568).for_item("e4")) == 1


def test_weak_indicators_and_proposed_actions(reference):
    a = reference[2568]
    assert weak_indicators(a) == [3, 9, 10]
    actions = propose_actions(a)
    library = load_measures(2568)
    assert [x.indicator for x in actions] == [3] + [9] * len(library.for_indicator(9)) + [10] * len(library.for_indicator(10))
    assert all(x.start == date(2025, 10, 1) and x.end == date(2026, 9, 30) for x in actions)
    assert all(x.status == "not_started" and x.measure and x.owner for x in actions)
    assert len({x.uuid for x in actions}) == len(actions)
    assert actions[1].measure == library.for_indicator(9)[0].measure


def test_carry_over_moves_dates_and_resets_progress():
    old = [
        Action(1, "ก", "สำนักปลัด", "1. ข", date(2024, 10, 1), date(2025, 9, 30), "done", "ทำแล้ว"),
        Action(2, "ค", start=None, end=None),
        Action(3, "ง", start=date(2024, 2, 29), end=date(2024, 3, 1)),
    ]
    new = carry_over(old, 2567, 2568)
    assert (new[0].start, new[0].end) == (date(2025, 10, 1), date(2026, 9, 30))
    assert new[0].status == "not_started" and new[0].progress_note == "" and new[0].steps == "1. ข"
    assert new[0].uuid != old[0].uuid
    assert (new[1].start, new[1].end) == (date(2025, 10, 1), date(2026, 9, 30))
    assert new[2].start == date(2025, 2, 28)
    assert old[0].status == "done"  # the old plan is not touched


def test_format_score():
    assert [format_score(v) for v in (0, 50.0, 100, 91.18, 94.6, 99.805)] == ["0", "50", "100", "91.18", "94.60", "99.81"]


def test_a_draft_remembers_its_figures_and_goes_stale_when_one_changes(reference):
    from itadesk.ita.catalog import load_catalog
    from itadesk.ita.drafting import draft_basis, stale_drafts

    current, previous = reference[2568], reference[2567]
    catalog = load_catalog(2568)
    current.analysis = draft_analysis_text(current, previous)
    current.draft_basis = {n: draft_basis(current, previous, catalog, n) for n in current.analysis}
    assert current.draft_basis[3]["i9"] == "80"
    assert stale_drafts(current, previous) == {}
    current.items["i9"] = 85.5  # corrected after drafting
    assert stale_drafts(current, previous) == {3: ["i9: 80 → 85.50"]}
    current.analysis[3] = ""  # no text, nothing to flag
    assert stale_drafts(current, previous) == {}
    current.analysis[1] = "เขียนเอง"
    current.draft_basis.pop(1)  # written by hand: never flagged
    current.indicators[1] = 90
    assert stale_drafts(current, previous) == {}


# -- last year's plan, followed up, pulled into this year's analysis ----------------------------

def _followed_plan():
    (_org, _a2567), (_org2, a2568) = read_file(Path(__file__).parents[1] / "fixtures" / "chiangphin.json")
    ind1 = [a for a in a2568.actions if a.indicator == 1]
    ind1[0].status, ind1[0].completed = "done", date(2026, 3, 31)
    ind1[1].status = "in_progress"
    return a2568


def test_outcome_summary_names_done_under_way_and_not_started_measures():
    text = outcome_summary(_followed_plan(), 1)
    lines = text.split("\n")
    assert lines[0] == "ผลการดำเนินการตามแผนปีงบประมาณ พ.ศ. 2569 ในประเด็นนี้:"  # the plan ran in 2569
    assert lines[1].startswith("ดำเนินการแล้วเสร็จ 1 มาตรการ ได้แก่ “จัดทำคู่มือ/แนวทางการปฏิบัติงาน")
    assert lines[1].endswith("” (แล้วเสร็จ 31 มี.ค. 2569)")
    assert lines[2].startswith("อยู่ระหว่างดำเนินการ 1 มาตรการ ได้แก่ “จัดประชุมประจำเดือน")
    assert lines[3].startswith("ยังไม่ได้ดำเนินการ 1 มาตรการ ได้แก่ “ส่งเสริมให้ผู้รับบริการ")
    names = re.findall(r"“([^”]*)”", text)
    assert len(names) == 3 and all(len(name) <= 80 for name in names)  # long ones cut between words, with …
    ten = outcome_summary(_followed_plan(), 10).split("\n")
    assert ten[1].startswith("ยังไม่ได้ดำเนินการ 3 มาตรการ ได้แก่ “") and " และ “" in ten[1]
    assert outcome_summary(_followed_plan(), 99) is None and outcome_summary(None, 1) is None


def test_outcomes_go_after_the_text_once():
    assert insert_outcomes("", "ผล") == "ผล"
    assert insert_outcomes("ข้อบกพร่อง\n", "ผล") == "ข้อบกพร่อง\n\nผล"
    assert insert_outcomes("ข้อบกพร่อง\n\nผล", "ผล") == "ข้อบกพร่อง\n\nผล"
