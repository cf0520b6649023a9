"""PDF and report tests: a package, so that its conftest is ``report.conftest`` and never takes
the name ``conftest`` that tests/gui/conftest.py is imported by (``pytest tests/gui tests/report``)."""
