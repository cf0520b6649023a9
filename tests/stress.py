"""Opt-in pytest plugin that makes the GUI tests' machine look slow and loaded, to find races.

Not used by CI. Enable with ``-p tests.stress`` (from the project folder, with
``python -m pytest``); each disturbance can be tuned or switched off:

- ``STRESS_JITTER_MS`` (60): every ``processEvents()`` a test makes (``settle``, ``press``, the
  typing helpers) may first lose up to that many ms, so timers come due inside those turns at
  random points;
- ``STRESS_HICCUP_MS`` (40): the GUI thread stalls that long at random moments, as a
  descheduled process does, so timers and posted events pile up and fire in one turn;
- ``STRESS_SLOW_WORK_S`` (0.45): every ``run_busy`` worker first waits that long (past
  ``busy.DIALOG_AFTER_MS``), so the "please wait" dialog really comes and goes each time;
- ``STRESS_SEED`` (1) picks the pattern (per test, so one test reruns alike).

Run it with other hash seeds, time zones and one busy core as well, e.g.
``PYTHONHASHSEED=5 TZ=Pacific/Kiritimati taskset -c 0 python -m pytest -p tests.stress tests/gui``.
"""

from __future__ import annotations

import os
import random
import time

import pytest


def _ms(name: str, default: str) -> float:
    return float(os.environ.get(name, default)) / 1000


@pytest.fixture(autouse=True)
def _stress(request, monkeypatch):
    if "qapp" not in request.fixturenames and "qtbot" not in request.fixturenames:
        yield
        return
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    from itadesk.ui import busy

    rng = random.Random(f"{os.environ.get('STRESS_SEED', '1')}-{request.node.nodeid}")
    jitter, hiccup = _ms("STRESS_JITTER_MS", "60"), _ms("STRESS_HICCUP_MS", "40")
    pause = float(os.environ.get("STRESS_SLOW_WORK_S", "0.45"))

    original_process = QApplication.processEvents

    def late_process(*args):
        if jitter and rng.random() < 0.5:
            time.sleep(rng.uniform(0, jitter))
        return original_process(*args)

    monkeypatch.setattr(QApplication, "processEvents", staticmethod(late_process))

    original_run = busy._Worker.run  # noqa: SLF001

    def slow_run(self):
        time.sleep(pause)
        original_run(self)

    if pause:
        monkeypatch.setattr(busy._Worker, "run", slow_run)  # noqa: SLF001

    timer = QTimer()
    timer.setInterval(3)

    def stall():
        if rng.random() < 0.5:
            time.sleep(rng.uniform(0.002, hiccup))
        timer.setInterval(rng.randint(0, 12))

    timer.timeout.connect(stall)
    if hiccup:
        timer.start()
    yield
    timer.stop()
