"""Recordings + label sidecars → dataset (training/recordings.py), on a recording the test writes."""
from __future__ import annotations

import json

import numpy as np
import pytest

from training.data import SkeletonDataset, load_dataset
from training.recordings import (
    RecordingError, build_dataset, main, merge, read_recording, resample, window_label,
)
from training.skeleton import REPO_ROOT, to_canonical
from training.synth.generate import load_config, synthesise

LABELS = REPO_ROOT / "training/labels/default.json"
NAMES = json.loads(LABELS.read_text())["labels"]
WIDTH, HEIGHT = 640, 480


def write_recording(path, frames_ms, people_per_frame, labels=None):
    """people_per_frame: list of lists of (33, 4) MediaPipe image landmarks."""
    lines = [json.dumps({"format": "skeleton-recording", "version": 1, "layout": "blazepose33", "fps": 30,
                         "width": WIDTH, "height": HEIGHT, "source": "test"})]
    for t, people in zip(frames_ms, people_per_frame):
        lines.append(json.dumps({"t": t, "people": [{"landmarks": p.tolist(), "world": p.tolist()} for p in people]}))
    path.write_text("\n".join(lines) + "\n")
    if labels is not None:
        path.with_name(path.name.removesuffix(".jsonl") + ".labels.json").write_text(json.dumps(labels))


@pytest.fixture(scope="module")
def motion():
    """Two synthetic sequences (walking, then a forward fall) as MediaPipe image landmarks, 128 frames."""
    synth = synthesise(load_config(REPO_ROOT / "training/synth/configs/small.json", sequences_per_label=6))
    detected = synth.image[..., 3].any(axis=2).sum(axis=1)  # frames with a detection, per sequence

    def clearest(label: str) -> np.ndarray:
        return synth.image[np.argmax(np.where(synth.dataset.label == NAMES.index(label), detected, -1))]

    return np.concatenate([clearest("walking"), clearest("falling_forward")])


def test_labelled_windows_hold_the_recorded_frames(tmp_path, motion):
    step = 1000 / 30
    times = [1000 + k * step for k in range(len(motion))]
    people = [[frame] if frame[:, 3].any() else [] for frame in motion]  # a missed frame records nobody
    labels = {"format": "skeleton-recording-labels", "version": 1, "subject": 7, "camera": 2,
              "segments": [{"start": 1000, "end": 1000 + 64 * step, "label": "walking"},
                           {"start": 1000 + 64 * step, "end": 1000 + 128 * step, "label": "falling_forward"}]}
    path = tmp_path / "session.jsonl"
    write_recording(path, times, people, labels)
    dataset = build_dataset([path], LABELS, window=64, stride=8, fps=30, persons=1, min_presence=0.5, max_gap_ms=250)
    assert dataset.data.shape[1:] == (4, 64, 33, 1) and dataset.layout == "blazepose33"
    assert set(dataset.subject) == {7} and set(dataset.camera) == {2}
    named = [dataset.labels[i] for i in dataset.label]
    assert named[0] == "walking" and named[-1] == "falling_forward"
    # The first window is frames 0..63 exactly (same fps: every tick falls on a frame).
    expected = to_canonical(motion[:64], WIDTH, HEIGHT)
    expected[~motion[:64, :, 3].any(axis=1)] = 0.0
    np.testing.assert_allclose(dataset.data[0, ..., 0].transpose(1, 2, 0), expected, atol=1e-9)
    # Windows straddling the boundary belong to the range covering most of them.
    assert named.count("walking") + named.count("falling_forward") == len(named) == (128 - 64) // 8 + 1


def test_slower_camera_is_interpolated_onto_the_model_grid(tmp_path, motion):
    frames = motion[::2][:40]  # 15 fps
    frames = np.where(frames[..., 3:] > 0, frames, 0.5)  # every landmark present for a clean check
    path = tmp_path / "slow.jsonl"
    write_recording(path, [k * 1000 / 15 for k in range(len(frames))], [[f] for f in frames])
    ticks, grid = resample(read_recording(path, 1), fps=30, max_gap_ms=250)
    assert np.allclose(np.diff(ticks), 1000 / 30)
    canonical = to_canonical(frames, WIDTH, HEIGHT)
    np.testing.assert_allclose(grid[2, 0], canonical[1], atol=1e-9)
    np.testing.assert_allclose(grid[3, 0], (canonical[1] + canonical[2]) / 2, atol=1e-9)


def test_a_long_gap_leaves_the_person_missing(tmp_path, motion):
    path = tmp_path / "gap.jsonl"
    write_recording(path, [0, 1000], [[motion[0]], [motion[1]]])
    ticks, grid = resample(read_recording(path, 1), fps=30, max_gap_ms=250)
    assert len(ticks) == 31 and grid[0, 0, :, 3].any() and grid[-1, 0, :, 3].any()
    assert not grid[1:-1].any()


def test_short_events_label_the_windows_that_contain_them():
    fall = [(1000.0, 1800.0, 9)]
    assert window_label(500, 2633, fall) == 9  # the whole fall inside a 2.1 s window
    assert window_label(1700, 3833, fall) is None  # only its last 100 ms
    assert window_label(0, 2133, [(0, 1500, 1), (1500, 2133, 2)]) == 1


def test_bad_input_gets_clear_errors(tmp_path, motion, capsys):
    path = tmp_path / "rec.jsonl"
    write_recording(path, [0, 33], [[motion[0]], [motion[1]]])
    with pytest.raises(RecordingError, match="does not exist"):
        build_dataset([path], LABELS, 64, 8, 30, 1, 0.5, 250)
    write_recording(path, [0, 33], [[motion[0]], [motion[1]]],
                    {"format": "skeleton-recording-labels", "version": 1, "segments": [{"start": 0, "end": 50, "label": "dancing"}]})
    with pytest.raises(RecordingError, match="not in the label set"):
        build_dataset([path], LABELS, 64, 8, 30, 1, 0.5, 250)
    path.write_text('{"format": "skeleton-recording", "version": 1, "layout": "blazepose33", "width": 640, "height": 480}\n{"t": 5, "people": [{"landmarks": [[0, 0, 0]]}]}\n')
    with pytest.raises(RecordingError, match="rec.jsonl:2"):
        read_recording(path, 1)
    assert main([str(path), "--out", str(tmp_path / "x.npz")]) == 2
    assert "error:" in capsys.readouterr().err


def test_cli_merges_recordings_into_the_synthetic_set(tmp_path, motion):
    path = tmp_path / "rec.jsonl"
    write_recording(path, [k * 1000 / 30 for k in range(128)], [[f] if f[:, 3].any() else [] for f in motion],
                    {"format": "skeleton-recording-labels", "version": 1,
                     "segments": [{"start": 0, "end": 128 * 1000 / 30, "label": "walking"}]})
    synth = synthesise(load_config(REPO_ROOT / "training/synth/configs/small.json", sequences_per_label=1)).dataset
    from training.data import save_dataset
    save_dataset(tmp_path / "synth.npz", synth)
    assert main([str(path), "--out", str(tmp_path / "mixed.npz"), "--merge-with", str(tmp_path / "synth.npz")]) == 0
    mixed = load_dataset(tmp_path / "mixed.npz")
    assert len(mixed) == len(synth) + 9
    assert mixed.subject[len(synth):].min() > synth.subject.max()
    with pytest.raises(ValueError, match="different fps"):
        merge(synth, SkeletonDataset(synth.data, synth.label, synth.subject, synth.camera, synth.labels, synth.layout, 15.0))
