"""Control run for the crash harness: the same kills against a naive in-place save.

A harness that never fails proves nothing. This replaces the careful save with what a
simple program does (write the new content straight over the old file, no temp file, no
.bak) and runs ``crash_save.py`` against it; it must report failures (damaged targets,
missing .bak). Exit status 0 when the harness caught the unsafe save, 1 when it did not.

    python bench/crash_save_unsafe_control.py [--points 60]
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE))

import crash_save  # noqa: E402

from itadesk.db import document, files  # noqa: E402


def unsafe_save(source, target, before_replace=None):
    target = Path(target)
    with tempfile.TemporaryDirectory() as folder:
        tmp = Path(folder) / "new.db"
        source.execute("VACUUM INTO ?", (str(tmp),))
        data = tmp.read_bytes()
    with open(target, "r+b") as fh:
        for i in range(0, len(data), 4096):
            fh.write(data[i:i + 4096])
            fh.flush()
            os.fsync(fh.fileno())
        fh.truncate()
    return files.fingerprint(target)


def main() -> int:
    document.save_copy = unsafe_save
    points = sys.argv[sys.argv.index("--points") + 1] if "--points" in sys.argv else "60"
    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder) / "unsafe.json"
        crash_save.main(["--points", points, "--quiet", "--json", str(out)])
        result = json.loads(out.read_text(encoding="utf-8"))
    print(f"unsafe save: {result['failed']} of {result['points']} points failed: {result['problem_counts']}")
    return 0 if result["failed"] else 1


if __name__ == "__main__":
    sys.exit(main())
