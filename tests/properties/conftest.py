"""Hypothesis profiles: a short deterministic run for CI and a long opt-in one.

``ITADESK_HYPOTHESIS=long`` (or any registered profile name) selects the long run;
the default ``ci`` profile tries few examples, always the same ones, so the suite stays fast
and main stays green. Run the long one with ``--hypothesis-show-statistics`` for the counts.
"""

from __future__ import annotations

import os

from hypothesis import HealthCheck, settings

_COMMON = dict(deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
settings.register_profile("ci", max_examples=15, derandomize=True, database=None, print_blob=True, **_COMMON)
settings.register_profile("long", max_examples=300, print_blob=True, **_COMMON)
settings.load_profile(os.environ.get("ITADESK_HYPOTHESIS", "ci"))
