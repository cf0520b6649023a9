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


def test_every_kind_an_officer_can_choose_is_known_by_its_full_name_and_abbreviation():
    from itadesk.ita.consistency import name_key
    from itadesk.ita.model import ORG_KINDS
    from itadesk.ita.org_names import KINDS
    from itadesk.ui.org_dialog import guess_kind

    assert sorted(label for _, _, label in KINDS) == sorted(ORG_KINDS)
    for full, short, label in KINDS:
        assert guess_kind(full + "ตัวอย่าง") == guess_kind(short + " ตัวอย่าง") == label
        assert name_key(full + "ตัวอย่าง") == name_key(short + " ตัวอย่าง")
        assert short_name(full + " ตัวอย่าง") == short + "ตัวอย่าง"
