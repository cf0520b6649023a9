"""Writing a PDF the safe way: into an exclusive temp file beside the target, then one rename.

A failed or interrupted build never leaves half a PDF under the officer's name, and an OS error
becomes the report's Thai :class:`~itadesk.report.pdf.PdfError`. (The report and the progress
report still spell this out themselves; new renderers use :func:`replacing`.)
"""

from __future__ import annotations

import contextlib
import os
from pathlib import Path
from typing import Iterator

from itadesk.report.pdf import _publishable, _save_error, temp_beside


@contextlib.contextmanager
def replacing(output: Path) -> Iterator[Path]:
    """Yield the temp path to build into; on success it replaces ``output`` (readable by all)."""
    tmp = temp_beside(output)
    try:
        yield tmp
        _publishable(tmp)
        os.replace(tmp, output)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise _save_error(exc, output) from exc
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
