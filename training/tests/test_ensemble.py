"""training/ensemble.py: separately trained streams fused into one model with the mean of their softmax scores."""
import json

import pytest
import torch

from training import ensemble, reference
from training.data import save_dataset
from training.evaluate import load_checkpoint
from training.tests.datasets import make_dataset
from training.tests.tiny_models import tiny_config, train_tiny


@pytest.fixture(scope="module")
def streams(tmp_path_factory):
    """Checkpoints of a joints ST-GCN, a bones ST-BLN and a joints ST-BLN at another window, each trained 1 epoch."""
    root = tmp_path_factory.mktemp("streams")
    data = root / "toy.npz"
    save_dataset(data, make_dataset(samples=16, frames=16, classes=15, subjects=2))
    return {
        "data": data,
        "joints": train_tiny(tiny_config("stgcn-lite"), data, root / "joints"),
        "bones": train_tiny(tiny_config("stbln-lite", features="bones"), data, root / "bones"),
        "short": train_tiny(tiny_config("stbln-lite", window=8), data, root / "short"),
    }


def test_fused_logits_are_log_mean_softmax_of_the_streams_on_their_channels(streams):
    model, cfg, _ = ensemble.build_ensemble([streams["joints"], streams["bones"]], "fused")
    assert cfg["features"] == "joints+bones" and cfg["in_channels"] == 6 and cfg["family"] == "ensemble"
    joints, _ = load_checkpoint(streams["joints"])
    bones, _ = load_checkpoint(streams["bones"])
    x = torch.randn(2, 6, 16, 25, 1, generator=torch.Generator().manual_seed(0))
    with torch.no_grad():
        fused = model(x)
        want = (torch.softmax(joints(x[:, :3])["logits"], 1) + torch.softmax(bones(x[:, 3:])["logits"], 1)) / 2
    torch.testing.assert_close(fused["logits"].exp(), want)
    assert set(fused) == {"logits", "joint_importance"}  # the ST-BLN stream's, described as such
    assert model.output_descriptions["joint_importance"].startswith("stream stbln-lite:")


def test_export_writes_manifest_reference_and_metrics(streams, tmp_path):
    manifest = ensemble.export_ensemble([streams["joints"], streams["bones"]], "fused", tmp_path, streams["data"])
    assert json.loads((tmp_path / "fused.json").read_text()) == manifest
    assert manifest["trained"] is True and manifest["input"]["features"] == "joints+bones"
    assert manifest["input"]["channels"] == ["x", "y", "z", "bone_x", "bone_y", "bone_z"]
    assert manifest["metrics"]["split"] == "cross-subject" and 0 <= manifest["metrics"]["top1"] <= 1
    assert [s["features"] for s in manifest["ensemble"]["streams"]] == ["joints", "bones"]
    document = reference.read_reference(tmp_path / "fused.parity.json")
    assert document["source"]["kind"] == "ensemble" and len(document["source"]["streams"]) == 2
    assert document["onnxSha256"] == manifest["onnx"]["sha256"]


def test_same_features_keep_the_input_and_need_no_slicing():
    assert ensemble.input_features(["joints", "joints"]) == "joints"
    assert ensemble.input_features(["bones", "joints+bones"]) == "joints+bones"
    assert ensemble.input_features(["bones", "bones"]) == "bones"


def test_incompatible_streams_are_refused_with_a_clear_message(streams):
    with pytest.raises(ValueError, match="window is 8 but .* has 16; streams must share their input"):
        ensemble.build_ensemble([streams["joints"], streams["short"]], "x")
    with pytest.raises(ValueError, match="at least two"):
        ensemble.build_ensemble([streams["joints"]], "x")
    with pytest.raises(FileNotFoundError):
        ensemble.build_ensemble([streams["joints"], streams["joints"].parent / "missing.pt"], "x")


def test_a_fixed_importance_is_marked_in_the_manifest(streams, tmp_path):
    collapsed = train_tiny(tiny_config("stbln-lite", collapse_layer=2), streams["data"], tmp_path / "collapsed")
    fused = ensemble.export_ensemble([collapsed, streams["joints"]], "fused", tmp_path / "out")
    assert fused["outputs"]["joint_importance"]["inputDependent"] is False
    varying = ensemble.export_ensemble([streams["bones"], collapsed], "varying", tmp_path / "out")
    assert "inputDependent" not in varying["outputs"]["joint_importance"]  # the first stream's CAM is used
