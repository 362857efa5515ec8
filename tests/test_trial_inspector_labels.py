"""The inspector's Step column names the trial's requests in 8 cells at most, in both
languages (issue 16 review: raw ids like ``trial.rec…`` ran into the next column)."""

from __future__ import annotations

import pytest

from tui.core.i18n.width import cell_width
from tui.core.inspect.columns import COLUMN_WIDTHS
from tui.core.trial.codes import STAGES
from tui.ui.widgets.inspector_labels import step_label


@pytest.mark.parametrize("lang", ["en", "zh-CN"])
@pytest.mark.parametrize("stage", STAGES)
def test_each_trial_step_has_a_short_label(stage, lang):
    label = step_label(f"trial.{stage}", lang)
    assert label != f"trial.{stage}" and not label.startswith("trial.")
    assert cell_width(label) <= COLUMN_WIDTHS["step"] == 8, label


def test_the_labels_differ():
    for lang in ("en", "zh-CN"):
        labels = {step_label(f"trial.{s}", lang) for s in STAGES}
        assert len(labels) == len(STAGES)
