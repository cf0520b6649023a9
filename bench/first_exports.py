"""First exports of the reference report, this checkout alternating with another version.

Shared by ``bench/report_timeline.py`` and ``bench/report_window.py``: a temporary data folder
(the chart cache emptied before every run: a first export), the reference file imported, and
each run's version put first on ``PYTHONPATH`` (``--against``: a source tree such as
``git archive main | tar -x -C /tmp/main-src``) with the command run outside this checkout.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FIXTURE = ROOT / "tests" / "fixtures" / "chiangphin.json"


@dataclass(frozen=True)
class Turn:
    label: str  # "this checkout" or "against (...)"
    env: dict  # the environment that runs this version
    tmp: Path  # the run's folder (also its working directory)
    document: Path  # the reference file
    counted: bool  # False for the first round (bytecode written)


def labels(against: Path | None) -> list[str]:
    return ([f"against ({against})"] if against else []) + ["this checkout"]


def turns(runs: int, against: Path | None, extra_env: dict | None = None) -> Iterator[Turn]:
    """``runs + 1`` rounds of one first export per version (the first round not counted)."""
    versions = dict(zip(labels(against), ([against.resolve()] if against else []) + [ROOT]))
    with tempfile.TemporaryDirectory(prefix="itadesk-first-export-") as name:
        tmp = Path(name)
        env = {**os.environ, "ITADESK_DATA_DIR": str(tmp / "data"), **(extra_env or {})}
        env.pop("PYTHONDONTWRITEBYTECODE", None)  # as installed: compiled bytecode
        document = tmp / "reference.db"
        subprocess.run([sys.executable, "-m", "itadesk", "import", str(document), str(FIXTURE)], env=env,
                       check=True, capture_output=True, cwd=tmp)
        for i in range(runs + 1):
            for label, source in versions.items():
                for cache in (tmp / "data" / "chart-cache").glob("*.json"):
                    cache.unlink()
                paths = [str(source), *filter(None, [os.environ.get("PYTHONPATH")])]
                yield Turn(label, {**env, "PYTHONPATH": os.pathsep.join(paths)}, tmp, document, i > 0)
