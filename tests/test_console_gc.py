"""The console's garbage collector (issue 14): paused by the command line while the
console is built, then back on with what exists frozen and collected in bigger
batches, and frozen again once the late panes are built. A long streamed reply used
to stall keys for up to ~90 ms in old-generation collections."""

from __future__ import annotations

import subprocess
import sys

PROBE = """
import gc, json
from tui.ui import early
default = gc.get_threshold()
{setup}
before = gc.get_freeze_count()
early.resume_gc()
after_resume = gc.get_freeze_count()
junk = [[i] for i in range(50_000)]  # the late panes, say
early.settle_gc_again()
print(json.dumps({{"enabled": gc.isenabled(), "thresholds": gc.get_threshold(), "default": default,
                  "before": before, "after_resume": after_resume,
                  "after_panes": gc.get_freeze_count()}}))
"""


def probe(setup: str) -> dict:
    out = subprocess.run(
        [sys.executable, "-c", PROBE.format(setup=setup)],
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    import json

    return json.loads(out.stdout)


def test_the_console_settles_the_collector_it_was_handed():
    from tui.ui.early import GC_THRESHOLDS

    got = probe("gc.disable()  # as tui/commands/console.py does")
    assert got["enabled"] and tuple(got["thresholds"]) == GC_THRESHOLDS
    assert got["after_resume"] > got["before"]
    assert got["after_panes"] >= got["after_resume"] + 50_000  # the panes are frozen too


def test_an_app_in_a_test_process_leaves_the_collector_alone():
    got = probe("")
    assert got["enabled"] and got["thresholds"] == got["default"]
    assert got["before"] == got["after_resume"] == got["after_panes"] == 0
