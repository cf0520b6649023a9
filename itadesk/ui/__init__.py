"""The Qt window, tabs, models and dialogs: the only package with Qt widgets."""

from itadesk.ui import pyside_workarounds as _pyside_workarounds

# Before any signal is emitted: PySide6 6.12's emit() leaks references to True (see module).
_pyside_workarounds.apply()
