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


def test_display_width_skips_marks_but_counts_sara_am():
    assert tw.display_width("ที่นี่") == 2
    assert tw.display_width("น้ำ") == 2  # น + ำ; the tone mark takes no column
    assert tw.display_width("ผู้\u200bใช้") == 3  # ผ ใ ช


def test_shorten_cuts_between_words_then_clusters():
    def fits(n):
        return lambda s: tw.display_width(s) <= n

    text = "รายงานตัวชี้วัดของกองคลังที่นี่"
    assert tw.shorten(text, fits(100)) == text
    for n in range(1, tw.display_width(text)):
        short = tw.shorten(text, fits(n))
        if short in ("", "…"):  # not even one cluster fits
            continue
        assert short.endswith("…") and fits(n)(short)
        kept = short[:-1]
        assert text.startswith(kept) and kept
        assert not tw.is_mark(text[len(kept)]) and kept[-1] not in tw.LEADING_VOWELS
        if tw.display_width("รายงาน…") <= n:  # a whole word fits: the cut is between words
            assert len(kept) in {sum(map(len, tw.thai_words(text)[:i])) for i in range(1, 9)}, short
    assert tw.shorten(text, fits(0)) == ""


def test_word_prefixes_answer_as_pythainlp_trie_does():
    """The sorted-list dictionary finds the same words at every position as PyThaiNLP's Trie."""
    from pythainlp.corpus import thai_words as stock_words
    from pythainlp.util import Trie

    words = [*stock_words(), *tw.KEEP_TOGETHER]
    ours, theirs = tw.WordPrefixes(words), Trie(words)
    text = "องค์การบริหารส่วนตำบลเชียงพิณมีหน้าที่ป้องกันภัยและเผยแพร่ข้อมูลต่อสาธารณะ ITA 2568"
    for start in range(len(text)):
        assert ours.prefixes(text, start) == theirs.prefixes(text, start), text[start:]
    assert len(ours) == len(theirs)
    # the dictionary newmm gets is built from the stock corpus file read in its own order
    assert tw._dictionary()._words == sorted(set(map(str.strip, words)) - {""})
    assert tw._dictionary(custom=False)._words == sorted(set(map(str.strip, stock_words())) - {""})
