"""Property (issue 9): any JSON document, valid or broken, given to ``itadesk import`` ends in
exit 0 (and a file the reader accepts) or one Thai line with a non-zero exit, never a
traceback, and a refused import leaves the target exactly as it was."""

from __future__ import annotations

import contextlib
import hashlib
import io
import json
import re
import shutil
import tempfile
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from itadesk import cli
from itadesk.db.document import Document
from itadesk.ita.catalog import load_catalog
from itadesk.ita.model import ACTION_STATUSES, ORG_KINDS

TOOLS = ("IIT", "EIT", "OIT")

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "chiangphin.json"
THAI = re.compile(r"[\u0e00-\u0e7f]")

# Text that officers type, plus what hostile or careless files hold.
nasty_chars = st.sampled_from(["\u202e", "\u200b", "\x00", "\x07", "\n", "\t", "\ud800", "\ufeff", "ๆ", "๙"])
texts = st.one_of(
    st.text(alphabet=st.characters(min_codepoint=0x0E01, max_codepoint=0x0E5B), max_size=30),
    st.text(max_size=20),
    st.lists(st.one_of(st.text(max_size=5), nasty_chars), max_size=6).map("".join),
)
scores = st.one_of(
    st.integers(-5, 105), st.floats(allow_nan=True, allow_infinity=True),
    st.decimals(0, 100, places=2).map(float), st.decimals(0, 100, places=3).map(str),
    st.sampled_from(["๙๕.๕", "95,5", "", "abc", None, True, [], {}]),
)
any_json = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=10),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=6), inner, max_size=4),
    max_leaves=12,
)


@st.composite
def assessments(draw) -> dict:
    year = draw(st.one_of(st.sampled_from([2567, 2568, 2569]), st.integers(2400, 2800)))
    try:
        numbers = load_catalog(min(max(year, 2500), 2700)).indicator_numbers
    except Exception:  # noqa: BLE001 - a year without a catalog: any numbers will do
        numbers = range(1, 11)
    doc: dict = {
        "format": draw(st.sampled_from(["itadesk-assessment", "itadesk-assessment", "other"])),
        "version": draw(st.sampled_from([1, 1, 1, 2])),
        "organization": {
            "name": draw(st.one_of(st.sampled_from(["อบต.เชียงพิณ", "เทศบาลตำบลบ้านจั่น"]), texts)),
            "kind": draw(st.sampled_from(["", *ORG_KINDS, "บริษัท"])),
            "province": draw(st.one_of(st.just("อุดรธานี"), texts)),
        },
        "fiscal_year": year,
        "indicators": {str(n): draw(st.one_of(st.decimals(0, 100, places=2).map(float), scores))
                       for n in numbers if draw(st.integers(0, 20)) > 0},
    }
    if draw(st.booleans()):
        doc["items"] = draw(st.dictionaries(st.sampled_from(["i1", "e4", "o12", "O3", "x1", "e1"]),
                                            st.one_of(scores, st.dictionaries(st.sampled_from(["1", "2", "3"]), scores,
                                                                              max_size=2)), max_size=4))
    if draw(st.booleans()):
        doc["recommendations"] = draw(st.dictionaries(st.sampled_from([*TOOLS, "XIT"]), texts, max_size=3))
    if draw(st.booleans()):
        doc["analysis"] = draw(st.dictionaries(st.sampled_from(["1", "2", "99", "๑", "x"]), texts, max_size=3))
    if draw(st.booleans()):
        doc["actions"] = draw(st.lists(st.fixed_dictionaries({}, optional={
            "indicator": st.one_of(st.none(), st.integers(0, 12), st.booleans()),
            "measure": texts, "owner": texts, "steps": texts, "progress_note": texts,
            "status": st.sampled_from([*ACTION_STATUSES, "done", ""]),
            "start": st.sampled_from(["2025-10-01", "2025-02-30", "1/10/2568", "", None, 20251001]),
            "end": st.sampled_from(["2026-09-30", "2024-01-01", "2099-01-01", None]),
            "evidence": texts,
            "completed": st.sampled_from(["2026-03-31", "2025-09-01", "31/3/2569", "", None, 20260331]),
        }), max_size=3))
    return doc


@st.composite
def broken(draw, doc: dict) -> str:
    """The document, mutated: a key dropped or given any JSON value, then maybe the text damaged."""
    doc = json.loads(json.dumps(doc))
    for _ in range(draw(st.integers(0, 3))):
        node = doc
        path = draw(st.lists(st.sampled_from(["organization", "indicators", "items", "actions", "analysis", "name",
                                              "fiscal_year", "0", "1", "recommendations"]), min_size=1, max_size=3))
        for key in path[:-1]:
            node = node.get(key) if isinstance(node, dict) else node[0] if isinstance(node, list) and node else None
        if isinstance(node, dict):
            if draw(st.booleans()):
                node.pop(path[-1], None)
            else:
                node[path[-1]] = draw(any_json)
    text = json.dumps(doc if draw(st.integers(0, 5)) else [doc, doc], ensure_ascii=draw(st.booleans()))
    damage = draw(st.sampled_from(["none", "none", "truncate", "duplicate-key", "raw-surrogate", "deep"]))
    if damage == "truncate":
        text = text[: draw(st.integers(0, len(text)))]
    elif damage == "duplicate-key":
        text = text.replace('"fiscal_year":', '"fiscal_year": 2500, "fiscal_year":', 1)
    elif damage == "raw-surrogate":
        text = text.replace('"name": "', '"name": "\\udc80', 1)
    elif damage == "deep":
        depth = draw(st.integers(100, 5000))
        text = text.replace('"indicators":', '"x": ' + "[" * depth + "]" * depth + ', "indicators":', 1)
    return text


documents = st.one_of(
    assessments().flatmap(broken),
    any_json.map(json.dumps),
    st.binary(max_size=64).map(lambda b: b.decode("latin-1")),
)


def _run(*args) -> tuple[int, str]:
    err = io.StringIO()
    with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
        code = cli.main([str(a) for a in args])
    return code, err.getvalue()


@pytest.fixture(scope="module")
def reference_db(tmp_path_factory) -> Path:
    """The reference report imported once (an existing target to import into)."""
    path = tmp_path_factory.mktemp("reference") / "ref.db"
    assert _run("import", path, FIXTURE)[0] == 0
    return path


@given(text=documents, existing=st.booleans())
def test_import_of_any_json_is_done_or_refused_in_one_thai_line(reference_db, text, existing):
    with tempfile.TemporaryDirectory(prefix="itadesk-prop-") as folder:
        folder = Path(folder)
        source = folder / "input.json"
        source.write_text(text, encoding="utf-8", errors="surrogatepass")
        target = folder / "ita.db"
        if existing:
            shutil.copyfile(reference_db, target)
        before = hashlib.sha256(target.read_bytes()).hexdigest() if existing else None
        code, err = _run("import", target, source)
        if code == 0:
            with Document.open(target, readonly=True) as doc:  # what was written is read back
                assert doc._store.assessment_keys()
            assert _run("summary", target)[0] == 0
        else:
            lines = err.strip().splitlines()
            assert len(lines) == 1 and THAI.search(lines[0]) and "Traceback" not in err, err
            if existing:
                assert hashlib.sha256(target.read_bytes()).hexdigest() == before
            else:
                assert not target.exists()
            assert sorted(p.name for p in folder.iterdir()) == sorted(["input.json"] + (["ita.db"] if existing else []))
