"""The catalog is the only source of the assessment's shape.

A catalog with four tools, other item prefixes, a tool with three parts and a different
tool judged on full marks is loaded, scored, checked for findings, summarised and printed
with no code change; and no module outside ``itadesk/ita/catalog.py`` names a tool code,
an item prefix or a tool's part as a literal.
"""

from __future__ import annotations

import ast
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from itadesk.ita.catalog import parse_catalog_file
from itadesk.ita.comparison import compare
from itadesk.ita.consistency import assessment_warnings
from itadesk.ita.drafting import draft_analysis_text
from itadesk.ita.findings import findings, lost_items
from itadesk.ita.model import Assessment, Organization
from itadesk.ita.recommendations import load_recommendations
from itadesk.ita.scoring import evaluate
from itadesk.report.content import ReportData, ReportOptions
from itadesk.report.model import LEVEL, PART, TOOL, build_report, build_summary

ROOT = Path(__file__).resolve().parents[2]
FOUR_TOOLS = ROOT / "tests" / "fixtures" / "catalog-four-tools.json"


@pytest.fixture(scope="module")
def catalog():
    return parse_catalog_file(FOUR_TOOLS)


def scored(year: int = 2599) -> Assessment:
    return Assessment(
        year,
        indicators={1: 90, 2: 80, 3: 92, 4: 100, 5: 90, 6: 70},
        items={"s1": 90, "s2": 90, "s3": 80,
               "p1": {1: 90, 2: 94, 3: 92}, "p2": {1: 90, 2: 94, 3: 92},
               "w1": 100, "w2": 100, "w3": 90, "w9": 99,  # w9: not in the catalog, a WEB item by its prefix
               "r1": 60, "r2": 80},
        recommendations={"RISK": "ควรทบทวนแผนบริหารความเสี่ยง"},
    )


def test_four_tools_load_and_score(catalog):
    assert catalog.tool_codes == ("STAFF", "PUB", "WEB", "RISK")
    assert catalog.item_prefixes == ("s", "p", "w", "r")
    ev = evaluate(scored(), catalog)
    assert ev.tools == {"STAFF": 85.0, "PUB": 92.0, "WEB": 95.0, "RISK": 70.0}
    assert ev.total == 86.75  # 0.25 × 85 + 0.25 × 92 + 0.3 × 95 + 0.2 × 70
    assert ev.parts == {"PUB.1": 90.0, "PUB.2": 94.0, "PUB.3": 92.0}
    assert ev.level.name == "ผ่าน"  # RISK is below 85, so not ผ่านดี
    assert [w.code for w in assessment_warnings(scored(), catalog)] == []  # items agree with indicators


def test_findings_follow_the_catalogs_item_rule(catalog):
    found = {(f.kind, f.code, f.tool) for f in findings(scored(), catalog)}
    assert found == {
        ("indicator", "2", "STAFF"), ("indicator", "6", "RISK"),
        ("item", "s3", "STAFF"), ("item", "r1", "RISK"), ("item", "r2", "RISK"),
        ("item", "w3", "WEB"), ("item", "w9", "WEB"),  # WEB items are judged on full marks
    }
    assert {x.code for x in lost_items(scored(), None, catalog)} == {"s3", "r1", "r2", "w3", "w9"}
    drafts = draft_analysis_text(scored(), None, catalog)
    assert set(drafts) == {1, 2, 3, 4, 5, 6} and "w3" in drafts[5]


def test_summary_table_has_every_tool_and_part(catalog):
    previous = Assessment(2598, indicators={1: 90, 2: 90, 3: 90, 4: 90, 5: 90, 6: 90})
    comparison = compare(scored(), previous, catalog, previous_catalog=catalog)
    rows = build_summary(scored(), previous, catalog, comparison=comparison).table.rows
    assert [r.label for r in rows if r.kind in (TOOL, PART)] == [
        "คะแนน STAFF", "คะแนน PUB", "PUB ส่วนที่ 1", "PUB ส่วนที่ 2", "PUB ส่วนที่ 3", "คะแนน WEB", "คะแนน RISK"]
    risk = next(r for r in rows if r.label == "คะแนน RISK")
    assert (risk.previous, risk.current, risk.points, risk.direction_label, risk.low) == (90, 70, -20, "ลดลง", True)
    assert next(r for r in rows if r.kind == LEVEL).current == "ผ่าน"


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils not installed")
def test_four_tools_print(catalog, tmp_path):
    from itadesk.report.pdf import build_pdf

    current = scored()
    ev = evaluate(current, catalog)
    data = ReportData(
        organization=Organization("องค์การบริหารส่วนตำบลทดสอบ"), current=current, previous=None, history=[current],
        catalog=catalog, evaluation=ev, previous_evaluation=None, comparison=compare(current, None, catalog),
        findings=findings(current, catalog), warnings=assessment_warnings(current, catalog),
        texts=load_recommendations(2599), options=ReportOptions())
    report = build_report(data)
    assert [t.code for t in report.tools] == ["STAFF", "PUB", "WEB", "RISK"]
    assert report.tools[1].indicators[0].parts == (1, 2, 3)
    pdf = tmp_path / "four.pdf"
    build_pdf(data, pdf)
    text = re.sub(r"\s+", "", subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True,
                                             check=True).stdout)
    for needle in ("คะแนนRISK", "PUBส่วนที่3", "86.75", "ข้อคำถามของแบบวัดWEBที่ไม่ได้คะแนนเต็ม",
                   "แบบวัดSTAFF,PUBและRISKต่ำกว่า85คะแนนแบบวัดWEBไม่ได้คะแนนเต็ม100คะแนน",
                   "ควรทบทวนแผนบริหารความเสี่ยง", "0.25×STAFF+0.25×PUB+0.3×WEB+0.2×RISK"):
        assert needle in text, needle
    for code in ("IIT", "EIT", "OIT"):
        assert code not in text, code


# --------------------------------------------------------------------------- nothing else names them

TOOL_CODE = re.compile(r"\b(IIT|EIT|OIT)\b")
PREFIXES = {"i", "e", "o"}


def _docstrings(tree) -> set[int]:
    ids = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)):
            body = node.body
            if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
                ids.add(id(body[0].value))
    return ids


def shape_literals(path: Path) -> list[str]:
    """Tool codes in string literals (docstrings and comments may explain them), item prefixes
    as a character class, a prefix map or a startswith test."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    docs = _docstrings(tree)
    out = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docs:
            if TOOL_CODE.search(node.value) or "[ieo]" in node.value:
                out.append(f"{path.name}:{node.lineno}: {node.value[:60]!r}")
        if isinstance(node, ast.Dict):
            keys = {k.value for k in node.keys if isinstance(k, ast.Constant)}
            if len(keys & PREFIXES) >= 2:
                out.append(f"{path.name}:{node.lineno}: a map of item prefixes")
        if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "startswith"
                and node.args and isinstance(node.args[0], ast.Constant) and node.args[0].value in PREFIXES):
            out.append(f"{path.name}:{node.lineno}: startswith({node.args[0].value!r})")
    return out


def test_no_module_but_the_catalog_names_tools_or_prefixes():
    catalog_module = ROOT / "itadesk" / "ita" / "catalog.py"
    found = []
    for path in sorted((ROOT / "itadesk").rglob("*.py")):
        if path != catalog_module:
            found += shape_literals(path)
    assert found == []


def test_the_check_finds_what_it_looks_for(tmp_path):
    sample = tmp_path / "sample.py"
    sample.write_text('"""IIT in a docstring is fine."""\n'
                      'A = {"i": "IIT", "o": "x"}\n'
                      'B = code.startswith("o")\n'
                      'C = r"^[ieo]\\d+$"\n', encoding="utf-8")
    assert len(shape_literals(sample)) == 4  # "IIT", the map, startswith, the class; not the docstring
