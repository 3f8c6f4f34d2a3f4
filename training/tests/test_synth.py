"""Synthesiser: determinism, physical plausibility, camera output, labels and dataset format."""
from __future__ import annotations

import json

import numpy as np
import pytest

from training.data import load_dataset, save_dataset
from training.skeleton import REPO_ROOT, UnclassifiableWindow, get_layout, to_canonical, window_features
from training.synth.__main__ import main as synth_cli
from training.synth.actions import GENERATORS
from training.synth.body import J
from training.synth.generate import ConfigError, load_config, synthesise

SMALL = REPO_ROOT / "training/synth/configs/small.json"
FALLS = ("falling_forward", "falling_backward", "falling_sideways")
HIPS = [J["left_hip"], J["right_hip"]]


@pytest.fixture(scope="module")
def synth():
    return synthesise(load_config(SMALL, sequences_per_label=10))


def _of(synth, label: str) -> np.ndarray:
    return synth.dataset.label == synth.dataset.labels.index(label)


def _hip_height(synth, label: str) -> np.ndarray:
    return synth.world[_of(synth, label)][..., HIPS, 1].mean(axis=-1)


def _peak_descent(synth, label: str) -> np.ndarray:
    """Per sequence, the fastest downward hip speed (m/s)."""
    return (-np.diff(_hip_height(synth, label), axis=1) * synth.dataset.fps).max(axis=1)


def _people(synth) -> np.ndarray:
    return synth.dataset.label != synth.dataset.labels.index("no_person")


def test_same_config_same_dataset_and_seed_changes_it(synth):
    again = synthesise(load_config(SMALL, sequences_per_label=10))
    np.testing.assert_array_equal(again.dataset.data, synth.dataset.data)
    np.testing.assert_array_equal(again.dataset.subject, synth.dataset.subject)
    np.testing.assert_array_equal(again.dataset.camera, synth.dataset.camera)
    other = synthesise(load_config(SMALL, sequences_per_label=10, seed=load_config(SMALL)["seed"] + 1))
    assert not np.array_equal(other.dataset.data, synth.dataset.data)


def test_every_label_of_the_default_set_is_generated_in_file_order(synth):
    names = json.loads((REPO_ROOT / "training/labels/default.json").read_text())["labels"]
    assert synth.dataset.labels == names
    assert set(GENERATORS) == set(names) - {"no_person"}
    counts = np.bincount(synth.dataset.label, minlength=len(names))
    assert (counts == 10).all()


def test_bone_lengths_stay_constant_in_world_coordinates(synth):
    world = synth.world[_people(synth)]
    # The layout's nose → left_shoulder link spans the neck, which turns; every other bone is one rigid segment.
    bones = [(c, p) for c, p in get_layout("blazepose33").bones if (c, p) != (J["nose"], J["left_shoulder"])]
    for child, parent in bones:
        length = np.linalg.norm(world[:, :, child] - world[:, :, parent], axis=-1)
        assert np.ptp(length, axis=1).max() < 1e-9, (child, parent)


def test_nothing_goes_through_the_floor_and_something_touches_it(synth):
    people = _people(synth)
    world = synth.world[people]
    assert world[..., 1].min() >= -1e-9
    lowest = world[..., 1].min(axis=2)
    # Standing, walking, bending, after a fall: the lowest landmark rests on the floor in most frames.
    for label in ("standing", "walking", "bending", "falling_forward"):
        assert np.median(lowest[_of(synth, label)[people]]) < 0.03, label


def test_hips_never_drop_faster_than_gravity_and_falls_reach_free_fall(synth):
    dt = 1 / synth.dataset.fps
    for label in synth.dataset.labels[:-1]:
        step = np.diff(_hip_height(synth, label), axis=1)
        # Downward speed grows by at most g·dt per frame (a rising body stops at the top, it is not thrown).
        assert (step[:, 1:] - np.minimum(step[:, :-1], 0) >= -9.81 * dt ** 2 - 1e-9).all(), label
    for label in FALLS:
        downward = -np.diff(_hip_height(synth, label), n=2, axis=1).min(axis=1) / dt ** 2
        context = [c for c, chosen in zip(synth.dataset.meta["context"], _of(synth, label)) if chosen]
        # Slow collapses fold the knees slowly (no free fall); a window that opens mid-fall may start after the drop.
        plain = np.array([not c["slow"] and not c["midway"] for c in context])
        assert plain.any() and (downward[plain] > 0.7 * 9.81).all(), label


def test_a_fall_drops_the_hips_faster_than_sitting_down_and_ends_low(synth):
    sitting = _peak_descent(synth, "sitting_down")
    for label in FALLS:
        context = [c for c, chosen in zip(synth.dataset.meta["context"], _of(synth, label)) if chosen]
        plain = np.array([not c["slow"] and not c["midway"] and c["onto"] == "floor" for c in context])
        falls = _peak_descent(synth, label)[plain]
        assert np.median(falls) > 1.5 * np.median(sitting), label
        assert falls.min() > np.median(sitting), label
        assert _hip_height(synth, label)[plain, -1].max() < 0.5, label  # standing hips: ~0.8–1.0 m


def test_walking_moves_the_body_without_sliding_the_standing_foot(synth):
    world = synth.world[_of(synth, "walking")]
    feet = [J[f"{s}_{p}"] for s in ("left", "right") for p in ("heel", "foot_index")]
    travelled = np.linalg.norm(world[:, -1, HIPS, ::2].mean(1) - world[:, 0, HIPS, ::2].mean(1), axis=-1)
    assert np.median(travelled) > 0.8  # ~0.5–1.5 m/s over 2.1 s, some start or stop inside the window
    lowest = world[..., feet, 1].argmin(axis=2)
    on_floor = world[..., feet, 1].min(axis=2) < 1e-6
    for n, t in zip(*np.nonzero(on_floor[:, 1:] & on_floor[:, :-1] & (lowest[:, 1:] == lowest[:, :-1]))):
        joint = feet[lowest[n, t]]
        slide = np.linalg.norm(world[n, t + 1, joint, ::2] - world[n, t, joint, ::2])
        assert slide < 1e-9


def test_seats_and_beds_hold_the_body_at_their_height(synth):
    sitting = _of(synth, "sitting")
    seats = np.array([c["seat"] for c, s in zip(synth.dataset.meta["context"], sitting) if s])
    above = _hip_height(synth, "sitting").min(axis=1) - seats
    assert (above > 0.0).all() and (above < 0.15).all()
    lying = _of(synth, "lying")
    surface = np.array([c["surface"] for c, s in zip(synth.dataset.meta["context"], lying) if s])
    hips = _hip_height(synth, "lying").mean(axis=1)
    assert hips[surface == "floor"].max() < 0.4  # on the side the wide shoulders keep the hips ~0.2–0.35 m up
    assert hips[surface == "bed"].min() > hips[surface == "floor"].max()


def test_landmarks_outside_the_image_keep_mediapipe_visibility(synth):
    # MediaPipe keeps estimating landmarks beyond the image border and mostly calls them visible
    # (docs/real-poses.md); only far outside does their visibility drop below 0.5.
    image = synth.image
    assert ((image[..., 3] >= 0) & (image[..., 3] <= 1)).all()
    detected = image[..., 3] > 0
    x, y = image[..., 0], image[..., 1]
    outside = detected & ((x < 0) | (x > 1) | (y < 0) | (y > 1))
    near = outside & (x > -0.1) & (x < 1.1) & (y > -0.1) & (y < 1.1)
    assert near.sum() > 100 and (image[..., 3][near] >= 0.5).mean() > 0.6
    far = detected & ((x < -1) | (x > 2) | (y < -1) | (y > 2))
    assert not far.any() or (image[..., 3][far] < 0.5).mean() > 0.9


def test_dataset_holds_canonical_frames_and_survives_a_round_trip(synth, tmp_path):
    dataset = synth.dataset
    assert dataset.data.shape == (150, 4, 64, 33, 1) and dataset.layout == "blazepose33"
    camera = dataset.meta["cameras"][int(dataset.camera[0])]
    expected = to_canonical(synth.image[0], camera["width"], camera["height_px"])
    present = synth.image[0, :, :, 3].any(axis=1) | synth.image[0, :, :, :3].any(axis=(1, 2))
    np.testing.assert_allclose(dataset.data[0, ..., 0].transpose(1, 2, 0)[present], expected[present], atol=1e-6)
    assert not dataset.data[0, ..., 0].transpose(1, 2, 0)[~present].any()  # missed frames carry nothing
    save_dataset(tmp_path / "synth.npz", dataset)
    loaded = load_dataset(tmp_path / "synth.npz")
    np.testing.assert_array_equal(loaded.data, dataset.data)
    np.testing.assert_array_equal(loaded.label, dataset.label)
    assert loaded.labels == dataset.labels and loaded.meta["source"] == "training.synth"


def test_windows_with_a_person_are_mostly_classifiable(synth):
    # Partial-view cameras often cut the hips off, and then the app does not classify either.
    full_view = np.array([camera["partial"] == 0 for camera in synth.dataset.meta["cameras"]])
    data = synth.dataset.data[_people(synth) & full_view[synth.dataset.camera]]
    classified = 0
    for raw in data:
        try:
            window_features(raw, "blazepose33", "ntu25", "joints")
            classified += 1
        except UnclassifiableWindow:
            pass
    assert classified >= 0.9 * len(data)


def test_cli_writes_a_dataset_and_rejects_a_bad_config(tmp_path, capsys):
    out = tmp_path / "tiny.npz"
    assert synth_cli(["--config", str(SMALL), "--out", str(out), "--sequences-per-label", "2"]) == 0
    assert len(load_dataset(out)) == 30
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({"sequences_per_labl": 3}))
    assert synth_cli(["--config", str(bad), "--out", str(out)]) == 2
    assert "unknown settings" in capsys.readouterr().err
    with pytest.raises(ConfigError):
        load_config(None, frames=0)


def test_windows_written_as_app_recordings_read_back_unchanged(synth, tmp_path):
    from training.recordings import build_dataset
    from training.synth.recordings_out import write_recordings

    assert write_recordings(synth, tmp_path) == len(synth.dataset)
    dataset = synth.dataset
    people = np.flatnonzero(_people(synth))[::7]
    paths = [tmp_path / dataset.labels[dataset.label[i]] / f"{i:05d}.jsonl" for i in people]
    header = json.loads(paths[0].read_text().splitlines()[0])
    assert header["format"] == "skeleton-recording" and header["layout"] == "blazepose33"
    back = build_dataset(paths, REPO_ROOT / "training/labels/default.json", window=64, stride=64, fps=dataset.fps,
                         persons=1, min_presence=0.0, max_gap_ms=250)
    np.testing.assert_array_equal(back.label, dataset.label[people])
    np.testing.assert_array_equal(back.subject, dataset.subject[people])
    np.testing.assert_array_equal(back.camera, dataset.camera[people])
    np.testing.assert_allclose(back.data, dataset.data[people], atol=1e-5)  # 6 decimals in the file
