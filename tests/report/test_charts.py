"""Charts build from the reference data, render sharp, speak Thai in Sarabun and survive gaps."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from matplotlib import font_manager
from matplotlib.text import Text
from PIL import Image

from itadesk.interchange.json_format import read_file
from itadesk.ita.catalog import load_catalog
from itadesk.ita.model import Assessment
from itadesk.ita.numbers import THAI_DIGITS
from itadesk.ita.scoring import evaluate
from itadesk.report import charts

@pytest.fixture
def years(reference_json: Path) -> tuple[Assessment, Assessment]:
    (_, y2567), (_, y2568) = read_file(reference_json)
    return y2567, y2568


@pytest.fixture
def reference_charts(years):
    previous, current = years
    return {
        "indicators": charts.indicator_comparison(current, previous, load_catalog(current.fiscal_year)),
        "tools": charts.tool_scores(evaluate(current), evaluate(previous)),
        "oit": charts.oit_items_lost(current, previous),
        "trend": charts.overall_trend([previous, current]),
    }


def texts(fig) -> list[str]:
    return charts.figure_texts(fig)


def test_every_chart_renders_png_at_200_dpi(reference_charts):
    for name, fig in reference_charts.items():
        width_in, height_in = fig.get_size_inches()
        image = Image.open(io.BytesIO(charts.render_png(fig, dpi=200)))
        assert image.format == "PNG"
        assert abs(image.width - width_in * 200) <= 1, name
        assert abs(image.height - height_in * 200) <= 1, name
        assert image.width >= 1250  # 16 cm at 200 dpi
        colours = image.getcolors(maxcolors=1 << 20)
        assert colours and len(colours) > 20, f"{name} looks blank"


def test_default_size_fits_a4_text_width(reference_charts):
    for fig in reference_charts.values():
        width_cm = fig.get_size_inches()[0] * 2.54
        assert width_cm == pytest.approx(16.0)
        assert fig.get_size_inches()[1] * 2.54 <= 24.0


def test_svg_holds_outlined_text(reference_charts):
    svg = charts.render_svg(reference_charts["indicators"]).decode("utf-8")
    assert svg.lstrip().startswith("<?xml")
    assert "<svg" in svg and "<path" in svg
    assert 'id="Sarabun-' in svg  # glyph outlines of the bundled font
    assert not re.search(r'<path id="[^"]+" transform="[^"]*"\s*/>', svg)  # no path without d


def test_every_text_is_set_in_sarabun(reference_charts):
    for name, fig in reference_charts.items():
        fig.draw_without_rendering()
        for text in fig.findobj(Text):
            if text.get_visible() and text.get_text():
                path = font_manager.findfont(text.get_fontproperties(), fallback_to_default=False)
                assert Path(path).name.startswith("Sarabun-"), (name, text.get_text(), path)


def test_thai_labels(reference_charts, years):
    previous, current = years
    ind = texts(reference_charts["indicators"])
    catalog = load_catalog(current.fiscal_year)
    for indicator in catalog.indicators:
        assert any(indicator.name in t for t in ind), indicator.name
    assert "ปีงบประมาณ พ.ศ. 2567" in ind and "ปีงบประมาณ พ.ศ. 2568" in ind
    assert "100.00" in ind and "91.18" in ind and "75.00" in ind

    tools = texts(reference_charts["tools"])
    assert "เป้าหมาย 85 คะแนน" in tools
    assert {"98.24", "99.83", "77.50", "90.42", "95.16", "89.65"} <= set(tools)

    trend = texts(reference_charts["trend"])
    assert "95.16\nผ่านดี" in trend and "90.42\nผ่าน" in trend
    assert {"2567", "2568"} <= set(trend)


def test_oit_chart_shows_items_below_100_of_this_year(reference_charts):
    labels = texts(reference_charts["oit"])
    shown = {m.group(0) for t in labels for m in [re.match(r"o\d+", t)] if m}
    assert shown == {"o5", "o6", "o12", "o13", "o22", "o23"}
    # 2567 published no item scores: the chart says so instead of inventing a comparison.
    assert any("ไม่มีคะแนน OIT รายข้อของปี พ.ศ. 2567" in t for t in labels)
    assert "ปีงบประมาณ พ.ศ. 2567" not in labels
    assert labels.count("0.00") == 3 and labels.count("50.00") == 3


def test_oit_chart_compares_when_last_year_has_items(years):
    _, current = years
    previous = Assessment(2567, dict(current.indicators), items={f"o{i}": 100.0 for i in range(1, 29)} | {"o12": 0.0})
    labels = texts(charts.oit_items_lost(current, previous))
    assert "ปีงบประมาณ พ.ศ. 2567" in labels
    assert labels.count("100.00") == 5 and labels.count("0.00") == 4


def test_oit_chart_messages_without_losses(years):
    _, current = years
    full = Assessment(2568, dict(current.indicators), items={f"o{i}": 100.0 for i in range(1, 29)})
    assert any("ได้ 100 คะแนน" in t for t in texts(charts.oit_items_lost(full, None)))
    bare = Assessment(2568, dict(current.indicators))
    assert any("ยังไม่มีคะแนน OIT รายข้อ" in t for t in texts(charts.oit_items_lost(bare, None)))


def test_missing_previous_year(years):
    _, current = years
    figs = [
        charts.indicator_comparison(current, None, load_catalog(2568)),
        charts.tool_scores(evaluate(current), None),
        charts.oit_items_lost(current, None),
        charts.overall_trend([current]),
    ]
    for fig in figs:
        labels = texts(fig)
        assert "ปีงบประมาณ พ.ศ. 2567" not in labels
        assert charts.render_png(fig, dpi=200)
    assert any("ไม่มีผลการประเมินปีก่อน" in t for t in texts(figs[0]))
    assert any("ไม่มีผลการประเมินปีก่อน" in t for t in texts(figs[1]))


def test_missing_indicators_get_a_note_not_a_crash(years):
    previous, _ = years
    partial = Assessment(2568, {1: 100.0, 2: 90.0, 9: 50.0})
    ind = texts(charts.indicator_comparison(partial, previous, load_catalog(2568)))
    assert ind.count("ไม่มีข้อมูล") == 7
    assert any("ไม่มีคะแนนตัวชี้วัดที่ 3, 4, 5, 6, 7, 8, 10 ของปี พ.ศ. 2568" in t for t in ind)
    tools = texts(charts.tool_scores(evaluate(partial), evaluate(previous)))
    assert any("ไม่ครบทุกตัวชี้วัด" in t for t in tools)
    empty = texts(charts.indicator_comparison(Assessment(2568), Assessment(2567), load_catalog(2568)))
    assert any("ยังไม่มีคะแนนรายตัวชี้วัดของปี พ.ศ. 2568" in t for t in empty)


def test_trend_over_many_years_breaks_at_an_incomplete_year(years):
    previous, current = years
    early = Assessment(2565, dict(previous.indicators))
    broken = Assessment(2566, {k: v for k, v in previous.indicators.items() if k != 7})
    fig = charts.overall_trend([current, broken, early, previous])  # any order
    labels = texts(fig)
    assert [t for t in labels if re.fullmatch(r"25[0-9][0-9]", t)] == ["2565", "2566", "2567", "2568"]
    assert any("2566 คะแนนไม่ครบ" in t for t in labels)
    (line,) = [ln for ln in fig.axes[0].get_lines() if ln.get_marker() == "o"]
    assert list(line.get_xdata()) == [2565, 2566, 2567, 2568]
    assert line.get_ydata()[1] != line.get_ydata()[1]  # NaN: no line drawn across 2566
    assert charts.render_png(charts.overall_trend([]))  # nothing at all still draws


def test_thai_digits_option(years):
    previous, current = years
    labels = texts(charts.indicator_comparison(current, previous, load_catalog(2568), thai_digits=True))
    assert "๙๑.๑๘" in labels and "ปีงบประมาณ พ.ศ. ๒๕๖๘" in labels
    values = [t for t in labels if re.fullmatch(rf"[{THAI_DIGITS}.]+", t)]
    assert values and not any(re.search(r"[0-9]", t) for t in values)
    assert not any(re.fullmatch(r"[0-9]+(\.[0-9]+)?", t) for t in labels)  # no Arabic number left


def test_wrap_label_keeps_words_and_marks():
    long = "รายการการจัดซื้อจัดจ้างหรือการจัดหาพัสดุและความก้าวหน้าการจัดซื้อจัดจ้างหรือการจัดหาพัสดุประจำปี"
    wrapped = charts.wrap_label(long, 30, max_lines=2)
    lines = wrapped.split("\n")
    assert len(lines) == 2 and lines[-1].endswith("…")
    for line in lines:  # no line starts with a mark that belongs to the consonant before it
        assert not re.match(r"[\u0E31\u0E33-\u0E3A\u0E47-\u0E4E]", line)
    assert long.startswith("".join(lines).rstrip("…"))
    assert charts.wrap_label("o6 (การบริหารงานและการใช้จ่ายงบประมาณ)", 34).split("\n")[-1] != ")"


def test_chart_view_shows_a_figure(qtbot, years):
    from itadesk.ui.chart_view import ChartView

    previous, current = years
    view = ChartView(placeholder="ยังไม่มีข้อมูล")
    qtbot.addWidget(view)
    view.resize(900, 500)
    view.show()
    qtbot.waitExposed(view)
    assert view.figure is None

    fig = charts.tool_scores(evaluate(current), evaluate(previous))
    view.set_figure(fig)
    assert view.figure is fig and fig.canvas is view.canvas
    view.canvas.draw()
    image = view.canvas.grab().toImage()
    assert image.width() > 300 and image.height() > 200
    colours = {image.pixelColor(x, y).name() for x in range(0, image.width(), 7) for y in range(0, image.height(), 7)}
    assert len(colours) > 5  # something was drawn, not a blank panel

    other = charts.overall_trend([previous, current])
    view.set_figure(other)
    assert view.figure is other
    view.set_figure(None)
    assert view.figure is None and view.canvas is None



@pytest.mark.parametrize("width", range(4, 36))
def test_wrap_label_never_splits_office_terms(width):
    """newmm alone cuts "ตัว|ชี้|วัด" and "กอง|คลัง"; chart labels use the report's word list."""
    label = "รายงานผลการดำเนินงานตามตัวชี้วัดของกองคลังและกองช่างประจำปีงบประมาณ"
    lines = charts.wrap_label(label, width, max_lines=8).split("\n")
    assert label.startswith("".join(lines).removesuffix("…"))
    breaks, pos = [], 0
    for line in lines[:-1]:
        pos += len(line)
        breaks.append(pos)
    for term in ("ตัวชี้วัด", "กองคลัง", "กองช่าง"):
        start = label.index(term)
        assert not [b for b in breaks if start < b < start + len(term)], (width, term, lines)


def test_target_and_threshold_are_the_findings_threshold():
    import inspect

    from itadesk.ita.findings import DEFAULT_THRESHOLD
    from itadesk.report.content import ReportOptions

    assert not hasattr(charts, "TARGET")  # one constant, in itadesk.ita.findings
    assert ReportOptions().threshold == DEFAULT_THRESHOLD
    for fn in (charts.tool_scores, charts.overall_trend):
        assert inspect.signature(fn).parameters["target"].default == DEFAULT_THRESHOLD


def test_tool_short_names_are_part_of_each_years_catalog_name(years):
    for year in (2560, 2565, 2566, 2567, 2568):
        for tool in load_catalog(year).tools:
            assert tool.short_name and tool.short_name in tool.name, (year, tool.code, tool.name)
    _, current = years
    tools = texts(charts.tool_scores(evaluate(current)))
    assert any(t.startswith("IIT\nผู้มีส่วนได้ส่วนเสีย") for t in tools), tools


def test_oit_chart_lists_the_same_items_as_findings_and_lost_items(years):
    """The chart, the PDF (findings) and the analysis tab (lost_items) agree on which OIT
    items lost points, including one the year's catalog does not list (o29) and one printed
    as 100.00 (99.996 is not below 100)."""
    from itadesk.ita.findings import findings, lost_items

    previous, current = years
    items = dict(current.items) | {"o29": 40.0, "o1": 99.996}
    current = Assessment(current.fiscal_year, dict(current.indicators), items=items)
    catalog = load_catalog(current.fiscal_year)
    labels = texts(charts.oit_items_lost(current, previous, catalog))
    shown = {m.group(0) for t in labels for m in [re.match(r"o\d+", t)] if m}
    by_findings = {f.code for f in findings(current, catalog) if f.kind == "item" and f.tool == "OIT"}
    by_lost = {x.code for x in lost_items(current, previous, catalog) if x.tool == "OIT"}
    assert shown == by_findings == by_lost
    assert "o29" in shown and "o1" not in shown


LAKSAMAN = Path("/usr/share/fonts/truetype/tlwg/Laksaman.ttf")  # TLWG's TH Sarabun New


@pytest.mark.skipif(not LAKSAMAN.is_file(), reason="fonts-tlwg-laksaman not installed")
def test_charts_can_be_drawn_in_another_thai_family(years):
    previous, current = years
    typeface = charts.chart_font([LAKSAMAN], size_factor=1.2)  # drawn larger than TH Sarabun
    assert typeface.family == "Laksaman"
    fig = charts.tool_scores(evaluate(current), evaluate(previous), typeface=typeface)
    fig.draw_without_rendering()
    shown = [t for t in fig.findobj(Text) if t.get_visible() and t.get_text()]
    assert shown
    for text in shown:
        path = font_manager.findfont(text.get_fontproperties(), fallback_to_default=False)
        assert Path(path).name.startswith("Laksaman"), (text.get_text(), path)
    sizes = {t.get_fontsize() for t in shown}
    assert min(sizes) >= charts.SMALL_PT * 1.2 - 0.01 and max(sizes) == pytest.approx(charts.BASE_PT * 1.2)
    assert charts.render_png(fig, dpi=100)
    # the typeface holds for that one call: the next chart is in Sarabun again
    plain = charts.tool_scores(evaluate(current))
    plain.draw_without_rendering()
    assert all(Path(font_manager.findfont(t.get_fontproperties())).name.startswith("Sarabun")
               for t in plain.findobj(Text) if t.get_visible() and t.get_text())


@pytest.mark.parametrize("name", ["indicators", "tools", "oit", "trend"])
def test_vector_drawing_looks_like_matplotlibs_own_rendering(years, name, tmp_path):
    """The PDF's chart (recorded paths and glyph outlines, drawn by ReportLab, rasterised by
    poppler) matches Matplotlib's own Agg picture of the same chart: same bars, hatching,
    lines and Thai text in the same places."""
    import subprocess

    from reportlab.pdfgen.canvas import Canvas

    from itadesk.report.chart_recorder import record

    previous, current = years

    def build():
        return {"indicators": lambda: charts.indicator_comparison(current, previous, load_catalog(current.fiscal_year)),
                "tools": lambda: charts.tool_scores(evaluate(current), evaluate(previous)),
                "oit": lambda: charts.oit_items_lost(current, previous),
                "trend": lambda: charts.overall_trend([previous, current])}[name]()

    drawing = record(build())
    canvas = Canvas(str(tmp_path / "chart.pdf"), pagesize=(drawing.width, drawing.height))
    drawing.draw_on(canvas)
    canvas.save()
    subprocess.run(["pdftoppm", "-r", "100", "-png", "-singlefile", str(tmp_path / "chart.pdf"),
                    str(tmp_path / "vector")], check=True)
    ours = Image.open(tmp_path / "vector.png").convert("L")
    theirs = Image.open(io.BytesIO(charts.render_png(build(), dpi=100))).convert("L")
    assert abs(ours.width - theirs.width) <= 1 and abs(ours.height - theirs.height) <= 1
    ours = ours.resize(theirs.size)
    # Dark pixels (bars, text, lines) of one picture lie within 3 px (0.8 mm) of dark pixels of
    # the other (the two layouts measure text apart by a pixel or two; without the text, 6-35 % stray).
    from PIL import ImageChops, ImageFilter

    def dark(image):
        return image.point(lambda v: 255 if v < 140 else 0)

    for a, b in ((ours, theirs), (theirs, ours)):
        missed = ImageChops.subtract(dark(a), dark(b).filter(ImageFilter.MaxFilter(7)))
        ink = dark(a).histogram()[255]
        stray = missed.histogram()[255]
        assert ink > 2000 and stray / ink < 0.02, (name, ink, stray)
    (tmp_path / "chart.pdf").unlink()


def test_oit_item_titles_are_wrapped_whole_over_two_lines(years):
    """Chart 3 names each item in full (issue 14): long titles take two lines, never "…"."""
    previous, current = years
    catalog = load_catalog(current.fiscal_year)
    fig = charts.oit_items_lost(current, previous, catalog)
    labels = [t.get_text() for t in fig.axes[0].get_yticklabels() if t.get_text()]
    assert labels and not any("…" in label for label in labels)
    assert max(label.count("\n") + 1 for label in labels) == 2
    for label in labels:
        code = label.split()[0]
        assert "".join(label.split()) == "".join(catalog.item_label(code).split()), label


def test_matplotlib_is_loaded_without_help_texts_but_with_working_setters():
    """The chart modules load Matplotlib without writing each drawable class's ``set`` help
    text (a quarter of loading it), yet ``set`` still knows and checks its properties, and
    Matplotlib's ``kwdoc`` works again afterwards. A fresh process: here it is loaded already."""
    import subprocess
    import sys

    code = """
import inspect
import itadesk.report.charts
import matplotlib.artist
from matplotlib.lines import Line2D
from matplotlib.patches import Rectangle
line = Line2D([0, 1], [0, 1])
line.set(linewidth=3, color="red")
assert line.get_linewidth() == 3
try:
    line.set(no_such_property=1)
except AttributeError:
    pass
else:
    raise SystemExit("set() accepted an unknown property")
assert "linewidth" in inspect.signature(Rectangle.set).parameters
assert "Properties" not in (Rectangle.set.__doc__ or ""), "the help text was written after all"
assert "linewidth" in matplotlib.artist.kwdoc(Rectangle), "kwdoc was not put back"
"""
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
