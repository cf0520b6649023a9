"""Thai words and clusters without ReportLab or Qt: one module for the PDF, the charts and the window."""

from __future__ import annotations

import subprocess
import sys

from itadesk.ita import thai_words as tw
from itadesk.report import thai_text


def test_module_needs_neither_reportlab_nor_qt():
    code = ("import sys, itadesk.ita.thai_words as t; t.thai_words('ตัวชี้วัดของกองคลัง'); "
            "bad = [m for m in sys.modules if m.split('.')[0] in ('reportlab', 'PySide6', 'matplotlib')]; "
            "print(bad); sys.exit(1 if bad else 0)")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_office_terms_stay_whole():
    text = "ผลการประเมินตัวชี้วัดของกองคลังและกองช่างส่งสำนักปลัด"
    words = tw.thai_words(text)
    assert "".join(words) == text
    for term in ("ตัวชี้วัด", "กองคลัง", "กองช่าง", "สำนักปลัด"):
        assert term in words, (term, words)


def test_thai_text_keeps_its_public_names():
    for name in ("thai_words", "clusters", "is_mark", "COMBINING", "LEADING_VOWELS", "KEEP_TOGETHER"):
        assert getattr(thai_text, name) is getattr(tw, name), name


def test_dictionary_subwords_cut_a_kept_term_only_as_a_last_resort():
    assert tw.dictionary_subwords("ตัวชี้วัด") == ["ตัว", "ชี้", "วัด"]
    assert tw.dictionary_subwords("ITA") == ["ITA"]
