"""ช่วยเหลือ → คู่มือการใช้งาน opens the Thai guide from the bundled resources, pictures and all."""

from __future__ import annotations

import re

from PySide6.QtGui import QTextDocument

from itadesk.resources import resource_path

from conftest import screenshot_dir, settle  # tests/gui/conftest.py


def test_help_menu_opens_the_thai_guide_with_its_pictures(window, qtbot, tmp_path):
    titles = [a.text() for a in window.help_menu.actions()]
    assert titles[0] == "คู่มือการใช้งาน"
    window.help_menu.actions()[0].trigger()
    guide = window.guide
    qtbot.waitExposed(guide)
    text = guide.browser.toPlainText()
    for needle in ("การติดตั้ง", "กรอกคะแนน", "ร่างข้อความจากผลคะแนน", "สร้างแผนจากผลการวิเคราะห์",
                   "ส่งออกรายงาน PDF", "แฟลชไดรฟ์", "รวมข้อมูลจากไฟล์อื่น", "สำรอง/กู้คืน", "ITADesk-data"):
        assert needle in text, needle
    html = resource_path("guide", "index.html").read_text(encoding="utf-8")
    images = re.findall(r'<img src="([^"]+)"', html)
    assert len(images) >= 5
    document = guide.browser.document()
    for src in images:
        assert resource_path("guide", src).is_file(), src
        image = document.resource(QTextDocument.ImageResource, guide.browser.source().resolved(src))
        assert image is not None and not image.isNull(), f"{src} did not load in the guide"
    window.help_menu.actions()[0].trigger()
    assert window.guide is guide, "asking again shows the same window"
    settle(guide)
    guide.grab().save(str(screenshot_dir(tmp_path) / "guide.png"))
    guide.close()


def test_every_link_in_the_guide_has_its_anchor():
    html = resource_path("guide", "index.html").read_text(encoding="utf-8")
    anchors = set(re.findall(r'<a name="([^"]+)"', html))
    links = set(re.findall(r'<a href="#([^"]+)"', html))
    assert links and links <= anchors
