"""training/preprocess.py (the papers' clip → window pipelines) and training/view_normalise.py (agcn-v1)."""
import json
import math

import numpy as np
import pytest

from training import preprocess
from training.data import WindowDataset
from training.models.config import load_config, resolve
from training.skeleton import UnclassifiableWindow, get_layout
from training.tests.datasets import make_dataset
from training.view_normalise import VIEW_VECTORS_PATH, make_vectors, rotation_onto, view_features

NTU = get_layout("ntu25")


def clip(frames: int, present: dict[int, list[int]], persons: int = 2) -> np.ndarray:
    """(4, frames, 25, persons): x = the frame index, visible in the listed frames of each slot."""
    raw = np.zeros((4, frames, 25, persons))
    for slot, shown in present.items():
        raw[0, shown, :, slot] = np.array(shown)[:, None]
        raw[3, shown, :, slot] = 1.0
    return raw


def test_2s_agcn_repeats_each_persons_frames_as_its_pre_normalization():
    cfg = {"window": 8, "preprocess": "2s-agcn"}
    late = preprocess.fit_window(clip(10, {0: [2, 3, 5]}), cfg)  # absent at the start: present frames packed
    assert list(late[0, :, 0, 0]) == [2, 3, 5, 2, 3, 5, 2, 3] and (late[3, :, :, 0] == 1).all()
    assert not late[..., 1].any()  # an absent slot stays absent
    gap = preprocess.fit_window(clip(10, {0: [0, 2, 3]}), cfg)  # present at the start: the gap at 1 is kept
    assert list(gap[0, :, 0, 0]) == [0, 0, 2, 3, 0, 0, 2, 3] and list(gap[3, :, 0, 0]) == [1, 0, 1, 1] * 2
    longer = preprocess.fit_window(clip(10, {0: list(range(10))}), {"window": 4, "preprocess": "2s-agcn"})
    assert list(longer[0, :, 0, 0]) == [0, 1, 2, 3]  # a longer clip keeps its first frames


def test_stst_samples_150_per_128_and_crops_centred_or_at_random():
    raw = clip(40, {0: list(range(5, 35))})
    cfg = {"window": 16, "preprocess": "stst"}
    centred = preprocess.fit_window(raw, cfg)
    assert centred.shape == (4, 16, 25, 2)
    sampled = preprocess.resample_frames(raw, 5, 30, round(16 * 150 / 128))  # 19 frames of the present span
    np.testing.assert_allclose(centred, sampled[:, 1:17])
    offsets = set()
    for seed in range(20):
        cropped = preprocess.fit_window(raw, cfg, np.random.default_rng(seed))
        offsets.add(next(o for o in range(4) if np.allclose(cropped, sampled[:, o:o + 16])))
    assert offsets == {0, 1, 2, 3}


def test_san_crops_090_centred_for_evaluation_and_half_to_all_when_training():
    raw = clip(30, {0: list(range(30))})
    cfg = {"window": 10, "preprocess": "san"}
    np.testing.assert_allclose(preprocess.fit_window(raw, cfg), preprocess.resample_frames(raw, 1.5, 27, 10))
    for seed in range(10):
        span = preprocess.fit_window(raw, cfg, np.random.default_rng(seed))[0, :, 0, 0]
        assert 0.5 * 30 - 1 <= (span[-1] - span[0]) * 10 / 9 <= 30 + 1e-9


def test_torso_v1_resamples_the_whole_clip_as_before():
    raw = clip(10, {0: list(range(10))})
    np.testing.assert_allclose(preprocess.fit_window(raw, {"window": 5}), preprocess.resample_frames(raw, 0, 10, 5))


def test_configs_name_their_pipeline_and_get_its_normalisation():
    assert load_config("ttr-ntu60")["preprocess"] == "2s-agcn" and load_config("ttr-ntu60")["normalisation"] == "agcn-v1"
    assert load_config("stst-paper")["normalisation"] == "agcn-v1"
    assert load_config("san-paper")["normalisation"] == "torso-v1"
    assert "preprocess" not in load_config("ttr-lite")  # the lite models keep the app's torso-v1
    with pytest.raises(ValueError, match="preprocess must be one of torso-v1, 2s-agcn, stst, san"):
        resolve({**load_config("ttr-lite"), "preprocess": "mean-pad"})


def test_window_dataset_crops_at_random_only_when_training():
    dataset = make_dataset(samples=2, frames=20)
    cfg = resolve({**load_config("stst-lite"), "window": 8, "preprocess": "stst"})
    evaluation = WindowDataset(dataset, np.arange(2), cfg)
    training = WindowDataset(dataset, np.arange(2), cfg, training=True)
    assert np.allclose(evaluation[0][0], WindowDataset(dataset, np.arange(2), cfg)[0][0])
    assert any(not np.allclose(evaluation[0][0], training[0][0]) for training.epoch in range(5))


def euler_rodrigues(axis, theta):
    """2s-AGCN's data_gen/rotation.py rotation_matrix, as printed there (reference for rotation_onto)."""
    axis = np.asarray(axis) / math.sqrt(np.dot(axis, axis))
    a = math.cos(theta / 2.0)
    b, c, d = -axis * math.sin(theta / 2.0)
    aa, bb, cc, dd = a * a, b * b, c * c, d * d
    bc, ad, ac, ab, bd, cd = b * c, a * d, a * c, a * b, b * d, c * d
    return np.array([[aa + bb - cc - dd, 2 * (bc + ad), 2 * (bd - ac)],
                     [2 * (bc - ad), aa + cc - bb - dd, 2 * (cd + ab)],
                     [2 * (bd + ac), 2 * (cd - ab), aa + dd - bb - cc]])


def test_rotation_is_2s_agcns():
    rng = np.random.default_rng(0)
    for _ in range(5):
        v, target = rng.normal(size=3), np.eye(3)[rng.integers(3)]
        angle = np.arccos(np.dot(v, target) / np.linalg.norm(v))
        np.testing.assert_allclose(rotation_onto(v, target), euler_rodrigues(np.cross(v, target), angle), atol=1e-12)
    np.testing.assert_array_equal(rotation_onto(np.zeros(3), np.eye(3)[2]), np.eye(3))


def ntu_window(rng, frames=5, persons=2):
    raw = np.zeros((4, frames, 25, persons))
    raw[:3] = rng.normal(0, 0.3, (3, frames, 25, persons)) + rng.normal(0, 1, (3, 1, 1, persons))
    raw[3] = 1.0
    return raw


def test_view_normalisation_centres_on_the_main_spine_and_aligns_the_first_frame_shoulders():
    rng = np.random.default_rng(1)
    raw = ntu_window(rng)
    out = view_features(raw, "ntu25", "ntu25", "joints")
    np.testing.assert_allclose(out[:, :, 1, 0], 0, atol=1e-6)  # spine_mid of the first person, every frame
    shoulders = out[:, 0, 8, 0] - out[:, 0, 4, 0]
    assert shoulders[0] > 0 and np.allclose(shoulders[1:], 0, atol=1e-6)
    # The two rotations are minimal ones in sequence (as 2s-AGCN), so the result does not depend on where the
    # camera stood along the floor, though it is not invariant to every camera rotation.
    moved = raw.copy()
    moved[:3] += rng.normal(size=(3, 1, 1, 1))
    np.testing.assert_allclose(view_features(moved, "ntu25", "ntu25", "joints"), out, atol=1e-5)
    people = view_features(raw, "ntu25", "ntu25", "joints+bones")
    np.testing.assert_allclose(people[3:, :, 0], people[:3, :, 0] - people[:3, :, NTU.parents[0]], atol=1e-6)


def test_view_normalisation_fails_clearly():
    empty = np.zeros((4, 3, 25, 1))
    with pytest.raises(UnclassifiableWindow):
        view_features(empty, "ntu25", "ntu25", "joints")
    with pytest.raises(ValueError, match="no viewAlignment"):
        view_features(np.zeros((4, 3, 33, 1)), "blazepose33", "blazepose33", "joints")


def test_view_vectors_are_up_to_date():
    committed = json.loads(VIEW_VECTORS_PATH.read_text())
    assert committed == json.loads(json.dumps(make_vectors())), "run: python3 -m training.view_normalise --write-vectors"
