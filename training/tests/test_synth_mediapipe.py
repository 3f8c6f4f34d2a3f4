"""The synthesiser's MediaPipe imperfections: each mechanism does what it says, and the measured statistics of
its output (training.pose_stats, the tool that measured the real videos) match the behaviour model it reads."""
from __future__ import annotations

import numpy as np
import pytest

from training.pose_stats.report import describe
from training.pose_stats.tracks import recordings
from training.skeleton import REPO_ROOT
from training.synth import mediapipe
from training.synth.generate import load_config, synthesise
from training.synth.body import J
from training.synth.mediapipe import BEHAVIOUR, Frames, apply_errors, sample_errors, swap_table
from training.synth.recordings_out import write_recordings

SMALL = REPO_ROOT / "training/synth/configs/small.json"


def _frames(n=2, t=10, **masks) -> Frames:
    empty = np.zeros((n, t), bool)
    return Frames(masks.get("missed", empty), masks.get("flipped", empty),
                  {group: masks.get(group, empty) for group in BEHAVIOUR["swaps"]})


def test_a_flip_turns_the_skeleton_upside_down_through_the_hips_and_a_leg_swap_only_swaps_legs():
    points = np.random.default_rng(0).random((2, 10, 33, 4))
    flipped = np.zeros((2, 10), bool)
    flipped[0, 3] = True
    out = apply_errors(points, _frames(flipped=flipped))
    hips = points[0, 3, [J["left_hip"], J["right_hip"]], :2].mean(axis=0)
    np.testing.assert_allclose(out[0, 3, :, :2], 2 * hips - points[0, 3, :, :2])
    np.testing.assert_array_equal(out[0, 3, :, 2:], points[0, 3, :, 2:])
    np.testing.assert_array_equal(np.delete(out, 3, axis=1)[0], np.delete(points, 3, axis=1)[0])
    table = swap_table("legs")
    assert table[J["left_knee"]] == J["right_knee"] and table[J["right_foot_index"]] == J["left_foot_index"]
    assert table[J["left_hip"]] == J["left_hip"] and table[J["left_wrist"]] == J["left_wrist"]
    assert (swap_table("body") == mediapipe.LAYOUT.mirror).all()
    missed = np.zeros((2, 10), bool)
    missed[1, :4] = True
    assert not apply_errors(points, _frames(missed=missed))[1, :4].any()


def test_errors_follow_the_posture_rates_and_never_start_in_undetectable_frames():
    rng = np.random.default_rng(1)
    postures = np.zeros((400, 300), int)
    postures[200:] = 1  # bent: the measured gap rate is several times the upright one
    undetectable = np.zeros_like(postures, bool)
    undetectable[:, :50] = True
    errors = sample_errors(rng, postures, np.zeros_like(undetectable), 30.0, undetectable)
    assert errors.missed[:, :50].all()
    starts = errors.missed[:, 51:] & ~errors.missed[:, 50:-1]
    upright, bent = starts[:200].mean(), starts[200:].mean()
    rates = BEHAVIOUR["detection"]["gapStart"]
    assert bent / upright == pytest.approx(rates["bent"] / rates["upright"], rel=0.35)
    assert not errors.flipped[:, :50].any() and not any(mask[:, :50].any() for mask in errors.swapped.values())


@pytest.fixture(scope="module")
def measured(tmp_path_factory):
    folder = tmp_path_factory.mktemp("synth-recordings")
    write_recordings(synthesise(load_config(SMALL, sequences_per_label=10)), folder)
    return describe([path for path in recordings([str(folder)]) if "no_person" not in path.parts])


def test_measured_noise_matches_the_model(measured):
    jitter, sd = measured["jitter"]["lag1"], BEHAVIOUR["noise"]["sd"]
    # Per part the same ratio to the face as in the model (knees and feet jitter ~3-4 times the face).
    for part in ("hips", "knees", "feet"):
        assert jitter[part]["median"] / jitter["face"]["median"] == pytest.approx(sd[part] / sd["face"], rel=0.3), part
    assert measured["jitter"]["depth_lag1_median"] > 5 * jitter["face"]["median"]


def test_measured_visibility_matches_the_model(measured):
    quantiles = BEHAVIOUR["visibility"]["quantiles"]["upright"]
    for part in ("face", "shoulders", "hips"):
        assert quantiles[part][1] >= 0.5  # MediaPipe: never below 0.5 in 9 frames of 10
        assert measured["visibility"]["by_posture"]["upright"][part]["below_half"] < 0.05, part
    model_share = np.interp(0.5, quantiles["elbows"], np.linspace(0, 1, 11))
    assert measured["visibility"]["by_posture"]["upright"]["elbows"]["below_half"] == pytest.approx(model_share, abs=0.15)
    near = measured["visibility"]["outside_by_distance"][0]
    assert near["n"] > 0 and near["above_half"] > 0.6


def test_measured_swaps_and_flips_occur_at_about_the_model_rates(measured):
    flips = measured["events"]["flips"]["per_minute_by_posture"]["upright"]
    assert flips == pytest.approx(BEHAVIOUR["flips"]["perMinute"]["upright"], rel=0.6)
    body = measured["events"]["swaps"]["body"]["per_minute"]
    assert body == pytest.approx(BEHAVIOUR["swaps"]["body"]["perMinute"], rel=0.6)
    assert measured["detection"]["gap_frames"]["count"] > 0
