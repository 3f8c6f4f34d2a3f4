"""training/streaming.py (per-frame inference of causal graph models), the causal windowed models it must equal,
torso-frame-v1 normalisation (training/skeleton_frames.py) and that the stream config trains and exports."""
import json

import numpy as np
import pytest
import torch

from training import export, train
from training.data import save_dataset
from training.folding import randomise_statistics
from training.models import build_model
from training.models.config import load_config, pooled_frames, receptive_field, resolve
from training.skeleton import get_layout, window_features
from training.skeleton_frames import frame_features, model_features
from training.streaming import StreamingNet
from training.tests.datasets import make_dataset

TOLERANCE = 1e-4


def causal(name: str, **changes) -> dict:
    return resolve({**load_config(name), "causal": True, "strides": [1, 1, 1, 1], "window": 40, **changes})


@pytest.mark.parametrize("cfg", [causal("stbln-lite"), causal("stgcn-lite"), causal("stbln-lite", collapse_layer=3)],
                         ids=["st-bln", "st-gcn", "st-bln-collapse"])
def test_streaming_equals_the_windowed_causal_model_on_every_full_window(cfg):
    torch.manual_seed(0)
    model = build_model(cfg)
    randomise_statistics(model, seed=3)
    model.eval()
    frames = torch.randn(2, 3, cfg["window"] + 5, 25, 1)
    with torch.no_grad():
        streamed = StreamingNet(model).run(frames)
        for end in range(cfg["window"], frames.shape[2] + 1):
            windowed = model(frames[:, :, end - cfg["window"]:end])["logits"]
            assert (streamed[:, end - 1] - windowed).abs().max() <= TOLERANCE


def test_a_causal_window_pools_the_positions_its_receptive_field_allows():
    cfg = causal("stbln-lite")
    assert receptive_field(cfg) == 33 and pooled_frames(cfg) == 8
    torch.manual_seed(0)
    model = build_model(cfg).eval()
    with torch.no_grad():
        h, _, _ = model.features(torch.randn(1, 3, 40, 25, 1))
    assert h.shape[2] == 8


def test_causal_configs_reject_strides_and_windows_within_the_receptive_field():
    with pytest.raises(ValueError, match="cannot stride"):
        causal("stbln-lite", strides=[1, 2, 1, 2])
    with pytest.raises(ValueError, match="receptive field"):
        causal("stbln-lite", window=32)
    with pytest.raises(ValueError, match="normalisation"):
        resolve({**load_config("stbln-lite"), "normalisation": "torso-v9"})


def random_raw(rng, frames=12):
    raw = np.zeros((4, frames, 25, 1))
    raw[:3] = rng.normal(0, 0.3, (3, frames, 25, 1))
    raw[3] = 1.0
    return raw


def test_frame_features_never_change_when_later_frames_arrive():
    rng = np.random.default_rng(0)
    raw = random_raw(rng)
    raw[3, 2:5, [3, 7], 0] = 0.0  # joints missing for a while: held from their last visible frame
    raw[3, 6, 0, 0] = 0.0  # a frame without the torso bottom: repeats the previous frame
    full = frame_features(raw, "ntu25", "ntu25", "joints+bones")
    for end in range(1, raw.shape[1]):
        np.testing.assert_array_equal(frame_features(raw[:, :end], "ntu25", "ntu25", "joints+bones"), full[:, :end])
    np.testing.assert_array_equal(full[:, 6], full[:, 5])
    layout = get_layout("ntu25")
    bottom = raw[:3, 3][:, list(layout.torso_bottom)].mean(axis=1)
    top = raw[:3, 3][:, list(layout.torso_top)].mean(axis=1)
    held = (raw[:3, 1, 3, 0] - bottom[:, 0]) / np.linalg.norm(top - bottom)
    np.testing.assert_allclose(full[:3, 3, 3, 0], held, atol=1e-6)  # joint 3 at frame 3: its frame-1 position


def test_frame_features_centre_and_scale_every_frame_on_its_own_torso():
    rng = np.random.default_rng(1)
    raw = random_raw(rng)
    layout = get_layout("ntu25")
    feats = frame_features(raw, "ntu25", "ntu25", "joints")[..., 0]  # (3, T, V)
    bottom = feats[:, :, list(layout.torso_bottom)].mean(axis=2)
    top = feats[:, :, list(layout.torso_top)].mean(axis=2)
    np.testing.assert_allclose(bottom, 0, atol=1e-6)
    np.testing.assert_allclose(np.linalg.norm(top - bottom, axis=0), 1, atol=1e-5)
    moved = raw.copy()
    moved[:3] = moved[:3] * 2.0 + 0.7
    np.testing.assert_allclose(frame_features(moved, "ntu25", "ntu25", "joints"), feats[..., None], atol=1e-5)


def test_model_features_follow_the_config_normalisation():
    raw = random_raw(np.random.default_rng(2))
    stream, windowed = load_config("stbln-lite-stream"), load_config("stbln-lite")
    np.testing.assert_array_equal(model_features(raw, "ntu25", stream), frame_features(raw, "ntu25", "ntu25", "joints"))
    np.testing.assert_array_equal(model_features(raw, "ntu25", windowed), window_features(raw, "ntu25", "ntu25", "joints"))


def test_the_stream_config_trains_and_exports_with_a_streaming_section(tmp_path):
    data = tmp_path / "toy.npz"
    save_dataset(data, make_dataset(samples=24, frames=40, classes=4, subjects=3))
    cfg = resolve({**load_config("stbln-lite-stream"), "window": 40, "num_classes": 4, "widths": [8, 8, 8, 8]})
    split = {"split": "cross-subject", "test_subjects": "3", "test_cameras": None, "split_file": None}
    rows = train.train(cfg, data, tmp_path / "run", split, {"epochs": 2, "batch_size": 8, "lr": 0.05, "seed": 0})
    assert len(rows) == 2
    manifest = export.export(cfg, "stream-test", tmp_path / "models", tmp_path / "run" / "best.pt")
    assert manifest["input"]["normalisation"]["method"] == "torso-frame-v1"
    section = manifest["streaming"]
    assert (tmp_path / "models" / section["onnx"]["file"]).is_file()
    assert section["warmupFrames"] == 40 and section["receptiveField"] == 33
    assert [state["shape"] for state in section["states"]][-1] == [1, 8, 8]
    assert json.loads((tmp_path / "models" / "stream-test.json").read_text())["streaming"] == section
