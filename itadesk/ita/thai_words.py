"""Thai word and grapheme-cluster boundaries, in pure Python (no ReportLab, no Qt).

Thai is written without spaces between words, so every place that breaks or shortens Thai
text (lines of the PDF, chart labels, the footer, a cell in the window) must know where a
word ends, and must never part a consonant from the marks written above or below it.
This module is the one answer for all of them.

Word segmentation uses PyThaiNLP ``newmm``: pure Python with its dictionary inside the
wheel, so it behaves the same offline on Windows, in a frozen build and in tests.
Qt's QTextBoundaryFinder finds Thai words only through libthai, which Qt loads on Linux
but not on Windows, where it falls back to grapheme boundaries. newmm only cuts at Thai
character-cluster (TCC) boundaries; we add a safety net for combining marks and the words
of government and ITA work that its dictionary lacks or loses to a neighbour ("ป้อง|กันภัย",
"องค์|การปกครอง", "แนว|ทางการ"): ``resources/words/office-words.txt``, one word a line
(``KEEP_TOGETHER``). Such a word is cut out of the text before newmm sees the rest, so no
line breaks inside it. A title and the number after it ("พ.ศ. 2568", "ข้อ 3", "ตัวชี้วัดที่ 5")
are one piece too.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_left
from collections.abc import Callable, Iterable
from functools import lru_cache

from itadesk.resources import resource_path

# Marks that belong to the consonant before them: mai han-akat, upper/lower vowels,
# phinthu, mai taikhu, tone marks, thanthakhat, nikhahit, yamakkan; and sara am.
COMBINING = frozenset(chr(c) for c in (0x0E31, *range(0x0E34, 0x0E3B), *range(0x0E47, 0x0E4F))) | {"\u0E33"}
LEADING_VOWELS = frozenset("เแโใไ")  # written before the consonant: never end a line on one
ELLIPSIS = "…"


def _office_words() -> tuple[str, ...]:
    lines = resource_path("words", "office-words.txt").read_text(encoding="utf-8").splitlines()
    return tuple(w.strip() for w in lines if w.strip() and not w.startswith("#"))


KEEP_TOGETHER = _office_words()
# Titles that a number follows and must not be parted from at a line end.
TITLES = ("พ.ศ.", "ค.ศ.", "ที่", "ข้อ", "ฉบับที่", "ครั้งที่", "หมู่ที่", "มาตรา", "เลขที่", "ลำดับที่")

_THAI = "\u0E01-\u0E4F\u0E5A\u0E5B"  # letters, vowels, marks, ฯ ๆ; not the digits ๐-๙
THAI_SET = frozenset(chr(c) for c in range(0x0E01, 0x0E50)) | {"\u0E5A", "\u0E5B"}
# dotted abbreviations (พ.ศ., ค.ศ., ต.ค.) are one run: a line never ends inside them
_RUNS = re.compile(rf"\s+|(?:[\u0E01-\u0E2E]{{1,2}}\.){{2,}}|[{_THAI}]+|[^\s{_THAI}]+")
_ABBREVIATION = re.compile(r"(?:[\u0E01-\u0E2E]{1,2}\.){2,}")
_KEPT = re.compile("|".join(map(re.escape, sorted(KEEP_TOGETHER, key=len, reverse=True))))
_NUMBER = re.compile(r"[0-9๐-๙]")


class WordPrefixes:
    """A word list that answers newmm's one question, "which words start here?".

    newmm only calls ``prefixes(text, start)`` (and ``len``); PyThaiNLP's own ``Trie`` builds
    a Python node per letter, 0.6 s for its 62,000 words at every start of the program. A
    sorted list answers the same question by bisection and is built in ~30 ms (C sort).
    """

    def __init__(self, words) -> None:
        # Sorted before removing repeats: the corpus file's order is nearly sorted already, which
        # Python's sort runs through in a third of the time it takes for a set's random order.
        self._words = [w for w in dict.fromkeys(sorted(map(str.strip, words))) if w]

    def __len__(self) -> int:
        return len(self._words)

    def prefixes(self, text: str, start: int = 0) -> list[str]:
        words, found, lo, count = self._words, [], 0, len(self._words)
        for end in range(start + 1, len(text) + 1):
            piece = text[start:end]
            lo = bisect_left(words, piece, lo)
            if lo == count or not words[lo].startswith(piece):
                break  # no word goes on like this
            if words[lo] == piece:
                found.append(piece)
        return found


STOCK_WORDS_FILE = "words_th.txt"  # the file pythainlp.corpus.thai_words() reads, here in the file's order


@lru_cache(maxsize=2)
def _dictionary(custom: bool = True) -> WordPrefixes:
    from pythainlp.corpus import get_corpus_as_is

    return WordPrefixes([*get_corpus_as_is(STOCK_WORDS_FILE), *(KEEP_TOGETHER if custom else ())])


@lru_cache(maxsize=8192)
def _newmm_cached(text: str, custom: bool) -> tuple[str, ...]:
    from pythainlp.tokenize import word_tokenize

    return tuple(word_tokenize(text, engine="newmm", keep_whitespace=True, custom_dict=_dictionary(custom)))


def _newmm(text: str, custom: bool = True) -> list[str]:
    """newmm's words of ``text`` (remembered: a table wraps the same cell many times)."""
    return list(_newmm_cached(text, custom))


def _thai_run(run: str) -> list[str]:
    """A Thai run as words: the office words cut out first, newmm for what lies between."""
    out: list[str] = []
    pos = 0
    for match in _KEPT.finditer(run):
        if match.start() > pos:
            out += _newmm(run[pos:match.start()])
        out.append(match.group())
        pos = match.end()
    if pos < len(run):
        out += _newmm(run[pos:])
    return out


def _punct(token: str, categories: tuple[str, ...]) -> bool:
    return all(unicodedata.category(ch) in categories for ch in token)


def is_mark(ch: str) -> bool:
    """True for characters that must stay on the character before them."""
    return ch in COMBINING or ch in "\u200c\u200d" or unicodedata.category(ch) in ("Mn", "Mc", "Me")


def thai_words(text: str) -> list[str]:
    """Split text into unbreakable pieces; ``"".join(thai_words(t)) == t``.

    Thai runs go through newmm (with ``KEEP_TOGETHER``); other runs (Latin words, numbers
    like "90.42" or "12/05/2567", URLs) stay whole; whitespace is its own piece. Closing
    punctuation, ๆ and ฯ stick to the word before, opening brackets and quotes to the word
    after. Answers are remembered by text: a table cell is wrapped many times, a chart
    label once for its size and again for its drawing.
    """
    return list(_words_of(text))


@lru_cache(maxsize=16384)
def _words_of(text: str) -> tuple[str, ...]:
    return tuple(_titles_with_numbers(_repeat_mark_with_word(glue(
        tok for run in _RUNS.findall(text)
        for tok in (_thai_run(run) if run[0] in THAI_SET and not _ABBREVIATION.fullmatch(run) else [run])))))


def _repeat_mark_with_word(tokens: list[str]) -> list[str]:
    """"ต่าง ๆ" as one piece: ไม้ยมก is typed after a space but repeats the word before it, so
    a line never starts with it. Every other typed space stays a place where a line may break."""
    out: list[str] = []
    for tok in tokens:
        if tok.startswith("ๆ") and len(out) >= 2 and out[-1].isspace() and "\n" not in out[-1] \
                and not out[-2].isspace():
            gap = out.pop()
            out[-1] += gap + tok
        else:
            out.append(tok)
    return out


def _titles_with_numbers(tokens: list[str]) -> list[str]:
    """"พ.ศ." + " " + "2568" as one piece (also ที่, ข้อ, ...; with or without the space)."""
    out: list[str] = []
    i = 0
    while i < len(tokens):
        tok = tokens[i]
        gap = 1 if i + 1 < len(tokens) and tokens[i + 1] == " " else 0
        if tok in TITLES and i + 1 + gap < len(tokens) and _NUMBER.match(tokens[i + 1 + gap]):
            out.append("".join(tokens[i:i + 2 + gap]))
            i += 2 + gap
            continue
        out.append(tok)
        i += 1
    return out


def glue(tokens: Iterable[str]) -> list[str]:
    """Join tokens that must not start a line onto the one before (marks, ๆ, ฯ, punctuation)."""
    out: list[str] = []
    for tok in tokens:
        prev = out[-1] if out else ""
        if prev and not prev.isspace() and not tok.isspace() and (
                is_mark(tok[0]) or tok[0] == "ๆ" or tok == "ฯ"
                or _punct(prev, ("Ps", "Pi")) or _punct(tok, ("Pe", "Pf", "Po", "Pd"))):
            out[-1] = prev + tok
        else:
            out.append(tok)
    return out


def dictionary_subwords(word: str) -> list[str]:
    """A word cut by the stock dictionary alone (no ``KEEP_TOGETHER``): the last resort for a
    word wider than a whole line, before cutting it into clusters."""
    return glue(_newmm(word, custom=False)) if word and word[0] in THAI_SET else [word]


def clusters(word: str) -> list[str]:
    """Grapheme clusters, with a leading vowel (เ แ โ ใ ไ) kept on the consonant after it."""
    out: list[str] = []
    for ch in word:
        if out and (is_mark(ch) or out[-1][-1] in LEADING_VOWELS):
            out[-1] += ch
        else:
            out.append(ch)
    return out
def display_width(text: str) -> int:
    """Columns a string takes in a monospaced sense: marks above and below a consonant (and
    zero-width characters) take none; sara am (ำ) takes one, like any spacing vowel."""
    return sum(1 for ch in text if unicodedata.category(ch) not in ("Mn", "Me", "Cf"))


def shorten(text: str, fits: Callable[[str], bool], ellipsis: str = ELLIPSIS) -> str:
    """``text`` if ``fits(text)``; else its longest start that fits with ``ellipsis`` added.

    The cut falls between words; only when not even the first word fits is that word cut,
    between clusters, so a tone mark or an upper vowel never loses its consonant and a line
    never ends in a leading vowel. Trailing spaces before the ellipsis are dropped. Returns
    ``""`` when not even the ellipsis fits.
    """
    if fits(text):
        return text
    kept = ""
    for word in thai_words(text):
        if not fits((kept + word).rstrip() + ellipsis):
            if not kept.strip():  # nothing whole fits: cut the first word between clusters
                kept = kept.rstrip()
                for part in clusters(word):
                    if not fits(kept + part + ellipsis):
                        break
                    kept += part
            break
        kept += word
    result = kept.rstrip() + ellipsis
    return result if fits(result) else ""
