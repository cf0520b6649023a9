"""Where a file opens: the organization and year last worked on when they still hold data,
else that organization's latest year, else the latest year of the first organization by name."""

from __future__ import annotations

import json

import pytest

from itadesk.db.document import Document
from itadesk.ita.model import Organization


@pytest.fixture
def doc():
    d = Document.new()
    a = d._store.save_organization(Organization(name="ก เทศบาลตำบลกุดจับ", kind="เทศบาลตำบล", province="อุดรธานี"))
    b = d._store.save_organization(Organization(name="ข อบต.หนองไผ่", kind="อบต.", province="อุดรธานี"))
    for org, year in ((a, 2566), (a, 2567), (b, 2566), (b, 2568)):
        d._store.set_indicator_score(d._store.ensure_assessment(org.uuid, year), 1, 80)
    d.orgs = a, b
    yield d
    d.close(discard=True)


@pytest.mark.parametrize("note, wanted", [
    ({"org": "a", "year": 2566}, ("a", 2566)),   # where it was left
    ({"org": "a", "year": 2568}, ("a", 2567)),   # that office's latest year with data
    ({"org": "b", "year": "x"}, ("b", 2568)),    # a broken year: the latest with data overall
    ({"org": "gone", "year": 2566}, ("b", 2568)),  # an office no longer in the file
    ({"org": ["a"], "year": 2566}, ("b", 2568)),  # a crafted note
    (None, ("b", 2568)),
])
def test_opening_selection(doc, note, wanted):
    uuids = {"a": doc.orgs[0].uuid, "b": doc.orgs[1].uuid}
    if note is not None:
        note = {**note, "org": uuids.get(note["org"], note["org"]) if isinstance(note["org"], str) else note["org"]}
        doc._store.set_meta("last_selection", json.dumps(note))
    org, year = doc.opening_selection()
    assert (org, year) == (uuids[wanted[0]], wanted[1])
