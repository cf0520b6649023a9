"""The overview read API on a generated 300-organization file: the bulk reads agree with reading
and computing each organization on its own, in a handful of statements whatever the size."""

from __future__ import annotations

import pytest

from itadesk.db.access import read_file
from itadesk.db.document import Document
from itadesk.ita.catalog import load_catalog
from itadesk.ita.comparison import compare
from itadesk.ita.findings import item_limit
from itadesk.ita.numbers import is_below, round2
from itadesk.ita.overview import NO_DATA, item_limits, level_counts, weak_indicators
from itadesk.ita.model import Organization
from tests.many_orgs import many_orgs_file


@pytest.fixture(scope="module")
def district(tmp_path_factory):
    return many_orgs_file(tmp_path_factory.mktemp("district"), 300)


def test_every_row_agrees_with_the_organizations_own_comparison(district):
    with read_file(district) as doc:
        rows = doc.overview(2568)
        assert len(rows) == 300 and {r.org_uuid for r in rows} == {o.uuid for o in doc.organizations()}
        assert [r.name for r in rows][:3] == ["องค์การบริหารส่วนตำบลทดสอบที่1", "องค์การบริหารส่วนตำบลทดสอบที่4",
                                              "องค์การบริหารส่วนตำบลทดสอบที่7"]
        for row in rows:
            current = doc.load_assessment(row.org_uuid, 2568)
            previous = doc.previous_assessment(row.org_uuid, 2568)
            cmp = compare(current, previous)
            assert row.total == cmp.current.total
            assert row.level == cmp.current.level.name
            assert row.change == cmp.overall.points
            assert row.previous_year == previous.fiscal_year == 2567
            assert row.tools == {k: round2(v) for k, v in cmp.current.tools.items()}
    assert sum(level_counts(rows).values()) == 300


def test_a_gap_year_compares_with_the_latest_earlier_year_and_no_data_is_said(district, tmp_path):
    copy = tmp_path / "gap.db"
    copy.write_bytes(district.read_bytes())
    with Document.open(copy) as doc:
        first = doc.organizations()[0]
        doc._store.delete_assessment(doc.assessment_uuid(first.uuid, 2567))
        doc._store.save_organization(Organization("อบต.ยังไม่ส่งผล", kind="อบต.", province="ขอนแก่น"))
        rows = {r.name: r for r in doc.overview(2568)}
        assert rows[first.name].previous_year == 2566
        expected = compare(doc.load_assessment(first.uuid, 2568), doc.load_assessment(first.uuid, 2566))
        assert rows[first.name].change == expected.overall.points
        empty = rows["อบต.ยังไม่ส่งผล"]
        assert not empty.has_data and empty.total is None and empty.level_label == NO_DATA
        doc.close(discard=True)


def test_the_reads_are_a_few_statements_whatever_the_number_of_organizations(district):
    with read_file(district) as doc:
        statements: list[str] = []
        doc._store.conn.set_trace_callback(statements.append)
        doc.overview(2568)
        doc.items_below(2568, item_limits(load_catalog(2568)))
        doc._store.conn.set_trace_callback(None)
    # + 2: whether the results the file keeps are up to date (itadesk/db/results.py)
    assert len(statements) <= 10, statements


def test_weak_spots_count_what_each_organization_has(district):
    catalog = load_catalog(2568)
    with read_file(district) as doc:
        rows = doc.overview(2568)
        some = [r.org_uuid for r in rows if r.province == "ขอนแก่น"]
        everyone = doc.items_below(2568, item_limits(catalog))
        chosen = doc.items_below(2568, item_limits(catalog), some)
        expected_all: dict[str, list[int]] = {}
        expected_some: dict[str, list[int]] = {}
        for row in rows:
            a = doc.load_assessment(row.org_uuid, 2568)
            for code in item_limits(catalog):
                score = a.item_score(code)
                if score is None:
                    continue
                below = is_below(score, item_limit(catalog.tool_of_item(code)))
                for target, wanted in ((expected_all, True), (expected_some, row.org_uuid in some)):
                    if wanted:
                        n = target.setdefault(code, [0, 0])
                        n[0] += 1
                        n[1] += below
    assert everyone == {k: tuple(v) for k, v in expected_all.items()}
    assert chosen == {k: tuple(v) for k, v in expected_some.items()}
    indicators = {w.code: w for w in weak_indicators(rows, catalog)}
    assert indicators["1"].below == sum(1 for r in rows if is_below(r.indicators[1], 85))
    assert indicators["1"].offices == 300


def test_the_years_with_data(district):
    with read_file(district) as doc:
        assert doc.overview_years() == {y: 300 for y in range(2563, 2569)}


def test_rows_are_computed_when_read(district):
    with read_file(district) as doc:
        rows = doc.overview(2568)
        assert len(rows) == 300 and not rows.complete
        first = rows[0]
        assert rows[0] is first and not rows.complete  # computed once, the others not yet
        while not rows.compute(64):
            pass
        assert rows.complete and list(rows)[0] is first


def test_text_columns_sort_numbers_as_numbers():
    from itadesk.ita.overview import natural_key

    names = ["ทดสอบที่10", "ทดสอบที่2", "ทดสอบที่๓", "ทดสอบที่1"]
    assert sorted(names, key=natural_key) == ["ทดสอบที่1", "ทดสอบที่2", "ทดสอบที่๓", "ทดสอบที่10"]


def test_published_figures_and_part_scores_count_as_in_the_organizations_own_page(district, tmp_path):
    from itadesk.db.operations import SetPublishedFigures

    copy = tmp_path / "published.db"
    copy.write_bytes(district.read_bytes())
    with Document.open(copy) as doc:
        orgs = doc.organizations()
        published, parted = orgs[0], orgs[1]
        before = compare(doc.load_assessment(published.uuid, 2568), None).current
        figures = {"total": round2(before.overall) + 0.01, "level": "ไม่ผ่าน"}  # within a rounding step; the NACC's word
        doc.apply(SetPublishedFigures(published.uuid, 2568, figures, {k: None for k in figures}))
        a_uuid = doc.assessment_uuid(parted.uuid, 2568)
        catalog = load_catalog(2568)
        eit = [item.code for n in catalog.tool("EIT").indicators for item in catalog.indicator(n).items]
        doc._store.set_scores(a_uuid, {}, {(code, part): 60.0 for code in eit for part in (1, 2)})
        rows = {r.org_uuid: r for r in doc.overview(2568)}
        for org in (published, parted):
            own = compare(doc.load_assessment(org.uuid, 2568), doc.previous_assessment(org.uuid, 2568))
            assert rows[org.uuid].total == own.current.total and rows[org.uuid].level == own.current.level.name
        assert rows[published.uuid].level == "ไม่ผ่าน"
        doc.close(discard=True)
