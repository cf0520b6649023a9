"""Matplotlib loaded without the help texts it writes for ``help()`` alone.

Importing this module imports the parts of Matplotlib the charts use. As Matplotlib's modules
load, each of its ~120 drawable classes (``Artist`` subclasses) writes the help text of its
``set`` method with ``matplotlib.artist.kwdoc``, which inspects every setter and formats its
docstring: a quarter of loading Matplotlib (cProfile: 0.27 s of 0.83 s; without the profiler
0.43 → 0.31 s of CPU for what the charts import). Nobody reads that text here, so while these
modules load ``kwdoc`` gives an empty one, then it is put back (a later call works as usual).
``set``'s signature, which Matplotlib checks arguments against, is built as before. If
Matplotlib is already loaded, or one day has no ``kwdoc``, this changes nothing.

Import it before any other ``matplotlib`` import of a module (the chart modules do).
"""

from __future__ import annotations

import sys


def _no_help_text(artist) -> str:
    return ""


def _load() -> None:
    if "matplotlib.figure" in sys.modules:  # already loaded: its help texts are written
        return
    import matplotlib.artist as artist

    kwdoc = getattr(artist, "kwdoc", None)
    if kwdoc is None:
        return
    artist.kwdoc = _no_help_text
    try:
        import matplotlib.backend_bases  # noqa: F401 - loaded here for the reason above
        import matplotlib.figure  # noqa: F401
        import matplotlib.patches  # noqa: F401
        import matplotlib.patheffects  # noqa: F401
        import matplotlib.textpath  # noqa: F401
    finally:
        artist.kwdoc = kwdoc


_load()
