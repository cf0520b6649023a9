"""The document layer's folders (working copies, recovery notes, backups).

They are decided with every other path of the program in :mod:`itadesk.paths` (installed or
portable, local disk or stick); this module only names what the document layer uses.
"""

from __future__ import annotations

from itadesk.paths import APP_NAME, backups_dir, data_dir, working_dir

__all__ = ["APP_NAME", "backups_dir", "data_dir", "working_dir"]
