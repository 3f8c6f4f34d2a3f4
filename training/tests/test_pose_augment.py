"""training/pose_augment.py through training.data.augment: hidden body parts leave about a dozen model joints,
MediaPipe's gross errors appear at the measured rates, and bad input is refused clearly."""
from __future__ import annotations

import numpy as np
import pytest

from training.data import augment, augment_settings
from training.pose_augment import drop_parts, mediapipe_errors
from training.skeleton import REPO_ROOT, blazepose33_to_ntu25
from training.synth.generate import load_config, synthesise


@pytest.fixture(scope="module")
def windows():
    dataset = synthesise(load_config(REPO_ROOT / "training/synth/configs/small.json", sequences_per_label=3)).dataset
    people = dataset.label != dataset.labels.index("no_person")
    return dataset.data[people]


def _visible_model_joints(raw: np.ndarray) -> np.ndarray:
    """Per frame, how many of the 25 ntu25 joints the model gets with visibility ≥ 0.5."""
    ntu = blazepose33_to_ntu25(raw[..., 0].transpose(1, 2, 0))
    return (ntu[..., 3] >= 0.5).sum(axis=1)


def test_hidden_parts_leave_about_a_dozen_model_joints(windows):
    counts, spans = [], []
    for index, raw in enumerate(windows[:30]):
        raw = raw.copy()
        raw[3] = 1.0  # everything visible before
        out = drop_parts(raw, "blazepose33", np.random.default_rng(index), keep_min=10, keep_max=14, whole_window=0.5)
        visible = _visible_model_joints(out)
        counts.append(visible.min())
        spans.append((visible < 25).mean())
        np.testing.assert_array_equal(out[:3], raw[:3])  # coordinates untouched: gap filling decides
    assert 6 <= min(counts) and max(counts) <= 14 and 10 <= np.median(counts) <= 14
    assert min(spans) >= 0.5 and np.mean(np.array(spans) == 1.0) > 0.3


def test_mediapipe_errors_add_gaps_swaps_and_flips(windows):
    upright = windows[:40].copy()
    changed = missed = 0
    for index, raw in enumerate(upright):
        out = mediapipe_errors(raw, "blazepose33", np.random.default_rng(index), fps=30.0)
        present = raw[3].any(axis=1)[:, 0]
        missed += int((present & ~out[3].any(axis=1)[:, 0]).sum())
        changed += int((np.abs(out[:2] - raw[:2]).max(axis=(0, 2, 3)) > 1e-6)[present & out[3].any(axis=1)[:, 0]].sum())
    assert missed > 0 and changed > 0
    with pytest.raises(ValueError, match="needs blazepose33"):
        mediapipe_errors(np.zeros((4, 8, 25, 1), np.float32), "ntu25", np.random.default_rng(0), 30.0)


def test_augment_applies_them_by_name_and_is_reproducible(windows):
    settings = augment_settings({"part_dropout": {"p": 1.0}, "mediapipe_errors": {"p": 1.0}})
    a = augment(windows[0], "blazepose33", settings, np.random.default_rng(3))
    b = augment(windows[0], "blazepose33", settings, np.random.default_rng(3))
    np.testing.assert_array_equal(a, b)
    assert (a[3] == 0).sum() > (windows[0][3] == 0).sum()
    with pytest.raises(ValueError, match="no parameters"):
        augment_settings({"part_dropout": {"keep": 3}})
