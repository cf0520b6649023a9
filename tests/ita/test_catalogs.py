"""Catalogs as data: written out and read back unchanged, checked like any input, resolved per year
(the document's own over the bundled ones), and the editor's pure steps."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from itadesk.ita.catalog import (
    BUNDLED, Catalogs, CatalogError, available_years, catalog_json, catalog_of, load_catalog, own_copy,
    parse_catalog_file, parse_catalog_text, remove_item, renumbered, start_from, with_item,
)
from itadesk.ita.model import Assessment
from itadesk.ita.scoring import evaluate

FOUR_TOOLS = Path(__file__).resolve().parents[1] / "fixtures" / "catalog-four-tools.json"


@pytest.mark.parametrize("year", available_years())
def test_every_bundled_catalog_round_trips_through_its_json(year):
    catalog = load_catalog(year)
    text = catalog_json(catalog)
    assert parse_catalog_text(text, "x", year) == catalog and catalog_json(parse_catalog_text(text, "x")) == text


def test_a_catalog_of_another_shape_round_trips_too():
    catalog = parse_catalog_file(FOUR_TOOLS)
    assert parse_catalog_text(catalog_json(catalog), "x") == catalog


def test_the_documents_catalog_wins_and_a_later_year_borrows_the_latest_earlier_one():
    named = with_item(start_from(load_catalog(2568), 2569), "o7", title="ชื่อทดสอบ")
    catalogs = Catalogs({2569: named})
    assert catalogs.for_year(2569).item_label("o7") == "o7 ชื่อทดสอบ"
    assert catalogs.for_year(2571).rules_from == 2569 and catalogs.for_year(2571).borrowed
    assert catalogs.for_year(2568) == load_catalog(2568) and catalogs.for_year(2568).origin == "bundled"
    assert BUNDLED.for_year(2569).rules_from == 2568
    # An assessment read from a document carries its year's catalog; one built by hand uses the bundled.
    assert catalog_of(Assessment(2569, catalog=catalogs.for_year(2569))).item("o7").title == "ชื่อทดสอบ"
    assert catalog_of(Assessment(2569)).borrowed


def test_a_year_started_from_another_says_so_until_it_is_confirmed():
    started = start_from(load_catalog(2568), 2569)
    assert started.started_from == 2568 and not started.borrowed and not started.confirmed
    note = evaluate(Assessment(2569, catalog=started)).notes
    assert note == ["ปี 2569 ใช้เกณฑ์ที่เริ่มจากเกณฑ์ของปี 2568 (เก็บไว้ในไฟล์นี้) ซึ่งยังไม่ได้ยืนยันว่าตรงกับเกณฑ์การประเมินของปี 2569"]
    confirmed = parse_catalog_text(catalog_json(started).replace('"confirmed": false', '"confirmed": true', 1), "x")
    assert confirmed.confirmed and confirmed.rules_note() == "" and evaluate(Assessment(2569, catalog=confirmed)).notes == []
    # Copied titles are not confirmed for the new year; the bundled year keeps its sources.
    assert load_catalog(2568).item("o1").confirmed and not started.item("o1").confirmed
    assert own_copy(BUNDLED.for_year(2570)).started_from == 2568  # a borrowed year made its own


def test_removing_and_renumbering_keep_sub_indicators_consistent():
    catalog = remove_item(start_from(load_catalog(2568), 2569), "o5")
    assert catalog.indicator(9).sub_indicator_of("o5") is None
    numbered, recode = renumbered(catalog)
    assert recode["o6"] == "o5" and recode["o28"] == "o27"
    assert numbered.indicator(9).sub_indicators[1].items == ("o5",)  # 9.2 held o5 and o6; o6 is now o5
    assert parse_catalog_text(catalog_json(numbered), "x") == numbered


@pytest.mark.parametrize("change,reason", [
    (lambda d: d["indicators"][0]["items"].append({"code": "i1"}), "มีข้อ i1 ซ้ำกัน"),
    (lambda d: d["indicators"][0]["items"].append({"code": "o40"}), "ต้องขึ้นต้นด้วย i"),
    (lambda d: d["indicators"][8]["items"][0].update(title="x\ny"), "ข้อ o1 ของตัวชี้วัดที่ 9"),
    (lambda d: d["tools"][0]["indicators"].append(42), "ตัวชี้วัดที่ 42 ซึ่งไม่มีในไฟล์"),
    (lambda d: d.update(fiscal_year=1999), "ไม่ใช่ปีงบประมาณ พ.ศ."),
    (lambda d: d["levels"].update(scheme="stars"), "scheme ต้องเป็น pass หรือ grade"),
    (lambda d: d["indicators"][8]["sub_indicators"][1]["items"].append("o99"), "อ้างถึงข้อ o99"),
    (lambda d: d["indicators"][5]["items"][0].update(parts=[1, 3]), "ส่วนที่ซึ่งเครื่องมือ EIT ไม่มี"),
    (lambda d: d.pop("tools"), "ข้อมูลเกณฑ์ไม่ครบหรือผิดรูปแบบ"),
])
def test_a_broken_catalog_is_refused_with_its_reason(change, reason):
    data = json.loads(catalog_json(load_catalog(2568)))
    change(data)
    with pytest.raises(CatalogError) as err:
        parse_catalog_text(json.dumps(data, ensure_ascii=False), "เกณฑ์.json")
    assert reason in str(err.value) and str(err.value).startswith("เกณฑ์.json: ")


def test_text_that_is_not_a_catalog_is_refused():
    for text, reason in [("", "ไม่ใช่ข้อมูล JSON"), ("[]", "ไม่ใช่ไฟล์เกณฑ์"), ("x" * 500_000, "ยาวเกิน")]:
        with pytest.raises(CatalogError, match=reason):
            parse_catalog_text(text, "a.json")
    with pytest.raises(CatalogError, match="ไม่ใช่ปี 2569"):
        parse_catalog_text(catalog_json(load_catalog(2568)), "a.json", 2569)
