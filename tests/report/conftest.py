"""The reference report and the long-text document, printed once for the report tests."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from .long_text import FIXTURE, write_long_text_assessment
from .text_engines import printed_inputs, thai_phrases


def itadesk(*args, env_dir: Path) -> None:
    env = dict(os.environ, ITADESK_DATA_DIR=str(env_dir))
    proc = subprocess.run([sys.executable, "-m", "itadesk", *map(str, args)], capture_output=True,
                          text=True, env=env)
    assert proc.returncode == 0, proc.stderr


@pytest.fixture(scope="session")
def report_documents(tmp_path_factory) -> dict[str, dict]:
    tmp = tmp_path_factory.mktemp("documents")
    sources = {"reference": FIXTURE, "long-text": write_long_text_assessment(tmp / "long.json")}
    out = {}
    for name, source in sources.items():
        db, pdf = tmp / f"{name}.db", tmp / f"{name}.pdf"
        itadesk("import", db, source, env_dir=tmp)
        org = json.loads(source.read_text(encoding="utf-8"))[-1]["organization"]["name"]
        itadesk("report", db, "--org", org, "--year", "2568", "-o", pdf, env_dir=tmp)
        out[name] = {"pdf": pdf, "phrases": thai_phrases(*printed_inputs(source))}
    return out
