"""Where a Thai line may break, checked against a second segmenter (ICU) and the office vocabulary.

Every place where ``thai_words`` lets a line break (a boundary between two pieces, neither of
them a space) in the texts of the reference report and of the long-text document must be a
word boundary for ICU's Thai dictionary too, except where ICU's dictionary joins two words
that we keep apart (listed in ACCEPTED, with the reason).
"""

from __future__ import annotations

import json
import re

import pytest

from itadesk.ita import thai_words as tw
from itadesk.resources import resource_path
from .long_text import FIXTURE, PROSE, long_text_assessment

# ICU's word at one of our breaks -> why our break is right
ACCEPTED = {
    "ไม่มี": "ไม่ | มี: two words; ICU lists the phrase",
    "เป็นการ": "เป็น | การ...: การ starts the noun that follows (เป็น|การสื่อสาร)",
    "แผนการ": "แผน | การบริหาร: plan of administration",
    "ทางการ": "ช่องทาง | การ...: channel + noun (ช่องทาง|การสื่อสาร); ICU reads ทางการ 'official'",
    "มีหน้า": "มี | หน้าที่: ICU cuts หน้าที่ as มีหน้า|ที่",
    "ผลอ": "ผล | อย่าง: ICU cuts อย่าง as ผลอ|ย่าง",
    "หนองบัวแดง": "a place name in ICU's dictionary, in the long organization name; its parts are words",
}


def texts_of(assessment: list[dict]) -> list[str]:
    current = assessment[-1]
    return ([current["organization"]["name"]] + list(current["analysis"].values())
            + list(current["recommendations"].values())
            + [a[k] for a in current["actions"] for k in ("measure", "owner", "steps")])


DOCUMENTS = {"reference": texts_of(json.loads(FIXTURE.read_text(encoding="utf-8"))),
             "long-text": texts_of(long_text_assessment()) + PROSE}


def breaks_inside_icu_words(text: str) -> list[tuple[str, str]]:
    """(ICU's word, our break shown with "|") for each of our breaks that ICU has inside a word."""
    icu = pytest.importorskip("icu", reason="PyICU is not installed (Linux only: pip install PyICU)")
    finder = icu.BreakIterator.createWordInstance(icu.Locale("th_TH"))
    finder.setText(text)
    bounds = sorted(set(finder))
    pieces = tw.thai_words(text)
    out, pos = [], 0
    for piece, after in zip(pieces, pieces[1:]):
        pos += len(piece)
        if piece.isspace() or after.isspace() or pos in bounds:
            continue
        lo = max(b for b in bounds if b < pos)
        hi = min(b for b in bounds if b > pos)
        out.append((text[lo:hi], f"{text[max(0, pos - 10):pos]}|{text[pos:pos + 10]}"))
    return out


@pytest.mark.parametrize("document", DOCUMENTS)
def test_no_line_break_inside_a_word_for_icu(document):
    found = [hit for text in DOCUMENTS[document] for hit in breaks_inside_icu_words(text)]
    wrong = [shown for word, shown in found if word not in ACCEPTED]
    print(f"{document}: {len(found)} breaks inside ICU words, {len(wrong)} not accepted")
    assert not wrong, wrong


def test_the_icu_check_can_fail():
    """Without the office words, the reference's wrong breaks come back (ป้อง|กันภัย)."""
    pytest.importorskip("icu", reason="PyICU is not installed (Linux only: pip install PyICU)")
    stock = tw._newmm("องค์การปกครองส่วนท้องถิ่นมีหน้าที่ป้องกันภัย", custom=False)
    assert "ป้อง" in stock and "องค์" in stock
    assert breaks_inside_icu_words("ป้องกันภัย ประจำองค์การปกครองส่วนท้องถิ่น") == []


def office_words() -> list[str]:
    return [line for line in resource_path("words", "office-words.txt").read_text(encoding="utf-8").splitlines()
            if line and not line.startswith("#")]


def test_the_office_word_list_is_one_thai_word_a_line():
    words = office_words()
    assert len(words) >= 25 and len(set(words)) == len(words)
    for word in words:
        assert re.fullmatch("[\u0e01-\u0e4e]+", word), word
    assert words == sorted(words, key=lambda w: re.sub("^[เแโใไ]", "", w)), "keep the list sorted"
    assert tw.KEEP_TOGETHER == tuple(words)


def _stock_cuts(word: str, texts: list[str]) -> bool:
    """Does newmm with its stock dictionary alone cut ``word`` somewhere in ``texts``?"""
    for text in texts:
        bounds, pos = set(), 0
        for piece in tw._newmm(text, custom=False):
            pos += len(piece)
            bounds.add(pos)
        for match in re.finditer(re.escape(word), text):
            if any(match.start() < b < match.end() for b in bounds):
                return True
    return False


@pytest.mark.parametrize("word", office_words())
def test_each_office_word_stays_whole_and_is_needed(word):
    """Kept whole inside a sentence; and the stock dictionary lacks it, or cuts it in one of
    the documents' texts (โครงการ in จัดทำโครง|การอบรม)."""
    from pythainlp.corpus import thai_words as stock_words

    text = f"หน่วยงานมี{word}ตามที่กำหนด"
    assert word in tw.thai_words(text)
    texts = [t for doc in DOCUMENTS.values() for t in doc] + [text]
    assert word not in stock_words() or _stock_cuts(word, texts), f"{word} is not needed"


@pytest.mark.parametrize("text, piece", [
    ("ประจำปีงบประมาณ พ.ศ. 2568", "พ.ศ. 2568"), ("วันที่ ๓๐ กันยายน พ.ศ. ๒๕๖๘", "พ.ศ. ๒๕๖๘"),
    ("ตามข้อ 3 ของแผน", "ข้อ 3"), ("ตัวชี้วัดที่ 5 การแก้ไขปัญหา", "ที่ 5"), ("ค.ศ.2024", "ค.ศ.2024"),
])
def test_a_title_is_never_parted_from_its_number(text, piece):
    assert piece in tw.thai_words(text)


def test_a_typed_space_is_a_break_opportunity_and_is_not_printed_at_the_wrap():
    """A space the officer typed inside a word ("แนว ทาง", pasted from a PDF) is a place where
    a line may break, as in every Thai line breaker (ICU's UAX #14 too) and in Word: the
    program cannot tell a stray space from a deliberate one and prints the text as typed.
    At the wrap the space is dropped; without it the word is never split."""
    from itadesk.report.fonts import register_report_font
    from itadesk.report.thai_text import line_spans, text_width

    font, size = register_report_font(), 11
    typed = "เผยแพร่คู่มือ/แนว ทางดังกล่าวให้ข้าราชการทราบ"
    width = text_width("เผยแพร่คู่มือ/แนว", font, size) + 1  # "แนว" fits, "แนว ทาง" does not
    lines = [typed[a:b] for a, b in line_spans(typed, font, size, width)]
    assert lines[0] == "เผยแพร่คู่มือ/แนว" and lines[1].startswith("ทาง"), lines
    joined = typed.replace("แนว ทาง", "แนวทาง")
    lines = [joined[a:b] for a, b in line_spans(joined, font, size, width)]
    assert lines[0] == "เผยแพร่คู่มือ/" and lines[1].startswith("แนวทาง"), lines

    icu = pytest.importorskip("icu", reason="PyICU is not installed (Linux only: pip install PyICU)")
    breaker = icu.BreakIterator.createLineInstance(icu.Locale("th_TH"))
    breaker.setText(typed)
    assert typed.index(" ทาง") + 1 in set(breaker)  # ICU breaks lines there too


def test_mai_yamok_never_starts_a_line():
    """ๆ is typed after a space ("ต่าง ๆ") but repeats the word before it: that one typed
    space is not a break; checked on every text of both documents at many widths."""
    from itadesk.report.fonts import register_report_font
    from itadesk.report.thai_text import line_spans

    assert "ต่าง ๆ" in tw.thai_words("กิจกรรมต่าง ๆ และเผยแพร่")
    font = register_report_font()
    texts = [t for doc in DOCUMENTS.values() for t in doc if " ๆ" in t]
    assert texts
    for text in texts:
        for width in range(60, 400, 7):
            lines = [text[a:b] for a, b in line_spans(text, font, 10, width)]
            assert not any(line.lstrip().startswith("ๆ") for line in lines), (width, lines)
