"""A year's catalog kept in the document: edits as operations with undo, checked on read, merged by year."""

from __future__ import annotations

import shutil
import sqlite3

import pytest

from itadesk.db.document import Document
from itadesk.db.errors import DocumentError
from itadesk.db.operations import SaveCatalog, SetScores
from itadesk.ita.catalog import (
    add_item, catalog_differences, catalog_json, load_catalog, parse_catalog_text, remove_item, renumbered,
    start_from, with_item,
)

from .test_merge import offices  # noqa: F401 - the fixture: two offices' copies of one file

ORG = "องค์การบริหารส่วนตำบลเชียงพิณ"


def org_uuid(doc: Document) -> str:
    return doc.find_organization(ORG).uuid


def catalog_2569(**titles):
    catalog = start_from(load_catalog(2568), 2569)
    for code, title in titles.items():
        catalog = with_item(catalog, code, title=title)
    return catalog


@pytest.fixture
def doc(sample):
    document = Document.open(sample)
    yield document
    document.close(discard=True)


def test_the_document_catalog_wins_and_later_years_borrow_it(doc):
    org = org_uuid(doc)
    doc.apply(SetScores(org, 2569, {9: 80.0}, {("o7", 0): 50.0}))
    assert doc.load_assessment(org, 2569).catalog.item_label("o7") == "o7 (ยังไม่ระบุชื่อข้อ)"
    assert doc.load_assessment(org, 2569).catalog.rules_from == 2568
    doc.apply(SaveCatalog(2569, catalog_json(catalog_2569(o7="ชื่อข้อที่สำนักงานตั้ง"))))
    own = doc.load_assessment(org, 2569).catalog
    assert own.item_label("o7") == "o7 ชื่อข้อที่สำนักงานตั้ง" and not own.borrowed and own.origin == "document"
    later = doc.catalogs().for_year(2570)
    assert later.rules_from == 2569 and "ปี 2570 ใช้เกณฑ์ของปี 2569" in later.rules_note()
    assert doc.catalogs().for_year(2568).origin == "bundled"  # the bundled years stay as they are


def test_removing_an_item_takes_its_scores_and_undo_puts_back_exactly_what_was_there(doc):
    org = org_uuid(doc)
    doc.apply(SetScores(org, 2569, {9: 80.0}, {("o7", 0): 50.0, ("o8", 0): 100.0}))
    catalog = catalog_2569()
    doc.apply(SaveCatalog(2569, catalog_json(catalog)))
    before = sorted(doc._conn.execute("SELECT * FROM item_scores")), doc.catalog_text(2569)
    assert doc.scored_items(2569, ["o7", "o9"]) == {"o7": 1}
    removal = SaveCatalog(2569, catalog_json(remove_item(catalog, "o7")), drop_codes=("o7",))
    doc.apply(removal)
    after = doc.load_assessment(org, 2569)
    assert "o7" not in after.items and after.items["o8"] == 100.0 and after.catalog.item("o7") is None
    undo = removal.inverse()
    doc.apply(undo)
    # The same score rows (uuids and times too) and the same catalog as before the removal.
    assert (sorted(doc._conn.execute("SELECT * FROM item_scores")), doc.catalog_text(2569)) == before
    assert doc._conn.execute("SELECT COUNT(*) FROM tombstones WHERE table_name = 'item_scores'").fetchone()[0] == 0
    doc.apply(undo.inverse())  # redo
    assert "o7" not in doc.load_assessment(org, 2569).items


def test_renumbering_moves_the_scores_with_their_items_and_undo_moves_them_back(doc):
    org = org_uuid(doc)
    catalog, code = add_item(catalog_2569(), 9)
    assert code == "o29"
    doc.apply(SaveCatalog(2569, catalog_json(catalog)))
    doc.apply(SetScores(org, 2569, {}, {("o29", 0): 50.0, ("o21", 0): 100.0, ("o28", 0): 0.0}))
    numbered, recode = renumbered(catalog)
    assert recode["o29"] == "o21" and recode["o21"] == "o22" and recode["o28"] == "o29"
    op = SaveCatalog(2569, catalog_json(numbered), recode=recode)
    doc.apply(op)
    items = doc.load_assessment(org, 2569).items
    assert (items["o21"], items["o22"], items["o29"]) == (50.0, 100.0, 0.0)
    assert doc.load_assessment(org, 2568).items == {"o1": 100.0}  # another year is not touched
    doc.apply(op.inverse())
    items = doc.load_assessment(org, 2569).items
    assert (items["o29"], items["o21"], items["o28"]) == (50.0, 100.0, 0.0)


def test_a_file_with_a_broken_catalog_is_refused_on_open_with_a_thai_reason(sample, stick):
    good = Document.open(sample)
    good.apply(SaveCatalog(2569, catalog_json(catalog_2569())))
    good.save()
    good.close()
    for name, text in [("cut", '{"format": "itadesk-catalog", "tools": ['),
                       ("year", catalog_json(catalog_2569()).replace('"fiscal_year": 2569', '"fiscal_year": 2570'))]:
        bad = stick / f"{name}.db"
        shutil.copyfile(sample, bad)
        conn = sqlite3.connect(bad, isolation_level=None)
        conn.execute("UPDATE catalogs SET catalog = ?", (text,))
        conn.close()
        before = bad.read_bytes()
        with pytest.raises(DocumentError) as err:
            Document.open(bad)
        message = str(err.value)
        assert "เกณฑ์การประเมินของปี" in message and "(catalogs)" in message
        assert ("ไม่ใช่ข้อมูล JSON" if name == "cut" else "ไม่ใช่ปี 2569") in message
        assert bad.read_bytes() == before


def test_merge_carries_a_catalog_and_lists_a_year_both_offices_changed(offices):
    a, b = offices
    a.apply(SaveCatalog(2569, catalog_json(catalog_2569(o7="ชื่อจากสำนักงาน ก"))))
    a.save()
    report = b.merge_from(a.target)
    assert report.added == 1 and not report.conflicts
    assert b.catalogs().for_year(2569).item_label("o7") == "o7 ชื่อจากสำนักงาน ก"
    b.save()
    # Both now name o8 differently: a conflict on the year's catalog, listed in Thai.
    a.apply(SaveCatalog(2569, catalog_json(catalog_2569(o7="ชื่อจากสำนักงาน ก", o8="ก ตั้ง"))))
    b.apply(SaveCatalog(2569, catalog_json(catalog_2569(o7="ชื่อจากสำนักงาน ก", o8="ข ตั้ง"))))
    a.save()
    b.save()
    (conflict,) = a.merge_from(b.target).conflicts
    assert conflict.table == "catalogs" and "เกณฑ์การประเมินปี 2569" in conflict.description
    assert "แก้ไขเมื่อ" in conflict.description
    # Item by item, not as JSON, for the officer choosing (the conflicts dialog shows these rows).
    mine, theirs = (parse_catalog_text(row["catalog"], side) for side, row in (("a", conflict.mine), ("b", conflict.theirs)))
    assert catalog_differences(mine, theirs) == [("ชื่อข้อ o8", "ก ตั้ง", "ข ตั้ง")]
    assert a.catalogs().for_year(2569).item_label("o8") == "o8 ก ตั้ง"  # ours stays until chosen
    assert not a.merge_from(b.target).conflicts  # merging again adds nothing new
