"""Charts drawn once per content: a recorded chart is kept on the local disk by a hash of all
that decides how it looks, so the next export of the same figures skips Matplotlib entirely
(loading it and drawing four charts is most of a report's build).

The key holds the chart's name and the ``repr`` of its arguments (plain dataclasses of the
figures, the catalog and the options, every field shown), the report font's files (path,
size, modification time), Matplotlib's version and the source of the modules that draw and
record charts, so a change to any of them draws afresh. The cache is JSON (never pickle: the
folder may be on a shared PC) in the program's local folder, never on a USB stick; any
unreadable entry is drawn again and rewritten, and a cache that cannot be written is skipped.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Callable
from functools import lru_cache
from importlib.util import find_spec
from pathlib import Path

from itadesk.report.chart_drawing import ChartDrawing, Hatch, Shape, Style, Text

FORMAT = 1
KEEP = 64  # entries kept; the oldest beyond are removed when one is written


@lru_cache(maxsize=1)
def _code_version() -> str:
    here = Path(__file__).resolve().parent
    digest = hashlib.sha256(str(FORMAT).encode())
    for name in ("charts.py", "chart_sizes.py", "chart_recorder.py", "chart_drawing.py"):
        try:
            digest.update((here / name).read_bytes())
        except OSError:  # a frozen build without sources: its version says enough
            from itadesk import __version__

            digest.update(__version__.encode())
    spec = find_spec("matplotlib")  # its version file, read without importing it (or importlib.metadata)
    if spec is not None and spec.origin:
        try:
            digest.update((Path(spec.origin).parent / "_version.py").read_bytes())
        except OSError:
            digest.update(spec.origin.encode())
    return digest.hexdigest()


def _font_files(paths) -> list[tuple[str, int, int]]:
    out = []
    for p in paths:
        try:
            st = os.stat(p)
            out.append((str(p), st.st_size, st.st_mtime_ns))
        except OSError:
            out.append((str(p), -1, -1))
    return out


def key(name: str, args: tuple, kwargs: dict, font_paths, size_factor: float) -> str:
    text = repr((_code_version(), name, args, sorted(kwargs.items()), _font_files(font_paths), size_factor))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:40]


def folder() -> Path:
    from itadesk.paths import layout

    return layout().working.parent / "chart-cache"


def load(chart_key: str, where: Path | None = None) -> ChartDrawing | None:
    """The drawing kept under ``chart_key``; None if there is none (or it cannot be read)."""
    path = (where or folder()) / f"{chart_key}.json"
    try:
        return from_json(json.loads(path.read_text(encoding="utf-8")))
    except (OSError, ValueError, KeyError, TypeError, IndexError):
        return None


def keep(chart_key: str, drawing: ChartDrawing, where: Path | None = None) -> None:
    """Keep ``drawing`` under ``chart_key`` for next time (silently not, if it cannot be written)."""
    where = where or folder()
    path = where / f"{chart_key}.json"
    try:
        where.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(f".{os.getpid()}.tmp")
        tmp.write_text(json.dumps(to_json(drawing), separators=(",", ":")), encoding="utf-8")
        os.replace(tmp, path)
        _trim(where)
    except OSError:
        pass


def cached(chart_key: str, draw: Callable[[], ChartDrawing], where: Path | None = None) -> ChartDrawing:
    """The drawing kept under ``chart_key``, or ``draw()`` kept for next time."""
    drawing = load(chart_key, where)
    if drawing is None:
        drawing = draw()
        keep(chart_key, drawing, where)
    return drawing


def _trim(where: Path) -> None:
    entries = sorted(where.glob("*.json"), key=lambda p: p.stat().st_mtime, reverse=True)
    for old in entries[KEEP:]:
        old.unlink(missing_ok=True)


def _style_json(st: Style) -> list:
    return [st.fill, st.stroke, st.line_width, st.dash, st.cap, st.join, st.clip_rect, st.clip_path]


def _style(v: list) -> Style:
    fill, stroke, width, dash, cap, join, clip_rect, clip_path = v
    return Style(_tuple(fill), _tuple(stroke), width, (dash[0], tuple(dash[1])) if dash else None, cap, join,
                 _tuple(clip_rect), clip_path)


def _tuple(v):
    return tuple(v) if v is not None else None


def to_json(d: ChartDrawing) -> dict:
    items = []
    for it in d.items:
        if isinstance(it, Text):
            items.append(["t", list(it.matrix), [list(g) for g in it.glyphs], _style_json(it.style)])
        else:
            hatch = [it.hatch.path, it.hatch.colour, it.hatch.width] if it.hatch else None
            items.append(["s", it.path, list(it.bounds), _style_json(it.style), hatch])
    return {"format": FORMAT, "width": d.width, "height": d.height, "glyphs": d.glyphs, "items": items}


def from_json(j: dict) -> ChartDrawing:
    if j["format"] != FORMAT:
        raise ValueError("another format")
    items = []
    for it in j["items"]:
        if it[0] == "t":
            items.append(Text(tuple(it[1]), tuple((g[0], g[1], g[2]) for g in it[2]), _style(it[3])))
        else:
            hatch = Hatch(it[4][0], tuple(it[4][1]), it[4][2]) if it[4] else None
            items.append(Shape(it[1], tuple(it[2]), _style(it[3]), hatch))
    return ChartDrawing(j["width"], j["height"], tuple(items), dict(j["glyphs"]))
