"""Private temp folders (``itadesk-<kind>-<pid>-…``) left by killed processes are swept; a
folder of a process still running on this computer is kept however long it has been quiet
(a merge of a province's folder of files can run for long)."""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile

from itadesk.db import tempfiles


def test_the_sweep_keeps_a_running_process_folder_and_removes_a_dead_ones(tmp_path, monkeypatch):
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    monkeypatch.setattr(tempfiles, "LEFTOVER_AGE", 0.0)  # every folder counts as old
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                          capture_output=True, text=True, check=True)
    ours = tmp_path / f"itadesk-sweeptest-{os.getpid()}-busy"
    gone = tmp_path / f"itadesk-sweeptest-{int(dead.stdout)}-left"
    nameless = tmp_path / "itadesk-sweeptest-old"
    for folder in (ours, gone, nameless):
        folder.mkdir()
        (folder / "copy.db").write_bytes(b"x")
    with tempfiles.private_folder("sweeptest") as mine:
        assert mine.is_dir()
        assert (ours / "copy.db").exists()  # still running here: never taken away
        assert not gone.exists() and not nameless.exists()
    assert not mine.exists()
