"""An assessment's result as a file keeps it beside its scores: tool scores, total, level.

A district's summary or overview reads 48,000 of these instead of evaluating 48,000 years
(:func:`itadesk.ita.scoring.evaluate`, ~60 µs each, after reading 900,000 scores). They are
always computed here, by ``evaluate``, never elsewhere; :func:`basis` names the rules they were
computed with (this program's scoring code and the year's catalog), so a result computed by
other rules is not used. Pure Python: :mod:`itadesk.db.results` stores and reads them.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
from pathlib import Path
from typing import NamedTuple

from itadesk.ita.catalog import Catalog
from itadesk.ita.model import Assessment
from itadesk.ita.numbers import round2
from itadesk.ita.scoring import evaluate
from itadesk.texts import level_code


class Result(NamedTuple):
    """What a summary or the overview shows of one assessment: ``evaluate``'s figures as
    published (two decimals, :func:`itadesk.ita.numbers.round2`). A named tuple: a district's
    48,000 are made in a blink."""

    tools: dict[str, float | None]  # tool code -> score (published figure where it replaced ours)
    total: float | None
    level: str | None  # a level code (texts.level_code): "excellent" … "fail", "AA" … "F"
    confirmed: bool | None  # whether the level's rule is confirmed (None: no level)
    rules_year: int

    def to_text(self) -> str:
        return json.dumps([self.tools, self.total, self.level, self.confirmed, self.rules_year],
                          ensure_ascii=False, separators=(",", ":"))

    @classmethod
    def many_from_texts(cls, texts: list[str]) -> list["Result"]:
        """Parsed in one call (a district's 48,000 one by one took half a second). Raises
        ValueError (or TypeError) when one is not a text this module wrote."""
        joined = ",".join(texts)
        # One whole result per text: each is one array, and a text this module wrote holds no
        # other bracket (tool codes, level codes, numbers), so none ends inside another's value.
        if (joined.count("[") != len(texts) or joined.count("]") != len(texts)
                or not all(t[:1] == "[" and t[-1:] == "]" for t in texts)):
            raise ValueError("not one result per text")
        parsed = json.loads("[" + joined + "]") if texts else []
        if len(parsed) != len(texts):
            raise ValueError("not results")
        out = [cls(*value) for value in parsed]  # TypeError: not five values
        if not all(type(r.tools) is dict and type(r.rules_year) is int for r in out):
            raise ValueError("not a result")
        return out


def result_of(assessment: Assessment, catalog: Catalog | None = None) -> Result:
    ev = evaluate(assessment, catalog)
    return Result({code: None if v is None else round2(v) for code, v in ev.tools.items()}, ev.total,
                  level_code(ev.level.name) if ev.level else None, ev.level.confirmed if ev.level else None,
                  ev.rules_year)


def _code_stamp() -> bytes:
    """The program's version and the scoring code itself: a result computed by another version
    of the rules is not used (a frozen build, whose sources are not files, has its version)."""
    from itadesk import __version__, texts  # noqa: PLC0415
    from itadesk.ita import catalog, levels, numbers, published, scoring  # noqa: PLC0415

    h = hashlib.sha256(__version__.encode())
    for name in (scoring.__file__, levels.__file__, published.__file__, numbers.__file__, catalog.__file__,
                 texts.__file__, __file__):
        with contextlib.suppress(OSError, TypeError):
            h.update(Path(name).read_bytes())
    return h.digest()


_STAMP: list[bytes] = []
_BASES: dict[int, tuple[Catalog, str]] = {}  # id(catalog) -> (the catalog, kept alive; its basis)


def basis(catalog: Catalog) -> str:
    """The rules a result of ``catalog``'s year is computed with: changes when the scoring code
    or anything of the catalog (weights, level rules, items, a borrowed year) changes."""
    cached = _BASES.get(id(catalog))
    if cached is not None and cached[0] is catalog:
        return cached[1]
    if not _STAMP:
        _STAMP.append(_code_stamp())
    value = hashlib.sha256(_STAMP[0] + repr(catalog).encode("utf-8")).hexdigest()[:24]
    if len(_BASES) > 256:
        _BASES.clear()
    _BASES[id(catalog)] = (catalog, value)
    return value
