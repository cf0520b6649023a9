"""The overview's level chart counts offices: its axis never shows a fraction of one."""

from __future__ import annotations

from itadesk.report.overview_chart import level_distribution


def test_the_level_chart_counts_whole_offices():
    for counts in ({"ผ่านดีเยี่ยม": 0, "ผ่านดี": 0, "ผ่าน": 1, "ไม่ผ่าน": 0},
                   {"ผ่านดีเยี่ยม": 3, "ผ่านดี": 2, "ผ่าน": 7, "ไม่ผ่าน": 1}):
        fig = level_distribution(counts, 2568)
        ticks = fig.axes[0].get_yticks()
        shown = [t for t in ticks if 0 <= t <= fig.axes[0].get_ylim()[1]]
        assert len(shown) >= 2 and all(float(t).is_integer() for t in shown), shown
