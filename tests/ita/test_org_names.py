"""Short forms of local government names (the footer of a portrait page prints them)."""

from __future__ import annotations

import pytest

from itadesk.ita.org_names import short_name


@pytest.mark.parametrize("name, short", [
    ("องค์การบริหารส่วนตำบลเชียงพิณ", "อบต.เชียงพิณ"),
    ("องค์การบริหารส่วนตำบล เชียงพิณ", "อบต.เชียงพิณ"),
    ("องค์การบริหารส่วนจังหวัดอุดรธานี", "อบจ.อุดรธานี"),
    ("เทศบาลตำบลหนองบัว", "ทต.หนองบัว"),
    ("เทศบาลเมืองอุดรธานี", "ทม.อุดรธานี"),
    ("เทศบาลนครขอนแก่น", "ทน.ขอนแก่น"),
    ("กรุงเทพมหานคร", "กทม."),
    ("อบต.เชียงพิณ", "อบต.เชียงพิณ"),  # already short
    ("สำนักงานคณะกรรมการป้องกันและปราบปรามการทุจริตแห่งชาติ", "สำนักงานคณะกรรมการป้องกันและปราบปรามการทุจริตแห่งชาติ"),
    ("  เทศบาลตำบล  ", "ทต."),
    ("", ""),
])
def test_kind_and_place_name(name, short):
    assert short_name(name) == short
