"""The Qt window, tabs, models and dialogs: the only package with Qt widgets."""
