"""training/folding.py, training/opcheck.py and training/export.py (ONNX + manifest per docs/model-manifest.md)."""
import hashlib
import json

import numpy as np
import onnx
import pytest
import torch
from onnx import helper
from torch import nn

from training import export, opcheck, reference, train
from training.evaluate import load_checkpoint
from training.data import save_dataset
from training.folding import BATCH_NORMS, find_pairs, randomise_statistics, fold_batchnorm
from training.models import build_model
from training.models.config import label_names, load_config, resolve
from training.tests.datasets import make_dataset


def small(name: str, **changes) -> dict:
    return resolve({**load_config(name), "window": 16, **changes})


def outputs(model, x):
    with torch.no_grad():
        return model(x)


@pytest.mark.parametrize("config", ["stgcn-lite", "ttr-lite", "stbln-lite"])
def test_folding_keeps_outputs_with_nontrivial_statistics(config):
    torch.manual_seed(0)
    model = build_model(small(config))
    randomise_statistics(model, seed=5)
    x = torch.randn(2, 3, 16, 25, 1)
    folded, count = fold_batchnorm(model, x[:1])
    assert count >= 4
    remaining = sum(isinstance(m, BATCH_NORMS) for m in folded.modules())
    assert remaining == sum(isinstance(m, BATCH_NORMS) for m in model.modules()) - count
    want, got = outputs(model.eval(), x), outputs(folded, x)
    for key in want:
        torch.testing.assert_close(got[key], want[key], atol=1e-5, rtol=1e-4)


class SharedConvOutput(nn.Module):
    """conv → bn, but the conv output also feeds a skip: folding the BN would change the skip."""

    def __init__(self):
        super().__init__()
        self.conv, self.bn = nn.Conv2d(3, 4, 1), nn.BatchNorm2d(4)
        self.other, self.other_bn = nn.Conv2d(4, 4, 1), nn.BatchNorm2d(4)

    def forward(self, x):
        y = self.conv(x)
        return self.bn(y) + y + self.other_bn(self.other(y))


def test_folding_leaves_a_conv_whose_output_is_used_elsewhere():
    model = SharedConvOutput()
    randomise_statistics(model, seed=2)
    x = torch.randn(1, 3, 5, 5)
    assert set(find_pairs(model.eval(), x)) == {("conv", "bn"), ("other", "other_bn")}
    folded, count = fold_batchnorm(model, x)
    assert count == 1 and isinstance(folded.bn, nn.BatchNorm2d) and isinstance(folded.other_bn, nn.Identity)
    torch.testing.assert_close(outputs(folded, x), outputs(model, x), atol=1e-5, rtol=1e-5)


def test_operator_table_is_read_from_onnxruntime_web():
    table = opcheck.read_operator_table()
    assert table["Conv"].ranges["ai.onnx"][-1] == (11, None)
    assert (14, 18) in table["Reshape"].ranges["ai.onnx"] and table["Reshape"].cpu_only
    assert "Det" not in table


def test_opcheck_flags_unsupported_ops(tmp_path):
    node_in = helper.make_tensor_value_info("x", onnx.TensorProto.FLOAT, [2, 2])
    node_out = helper.make_tensor_value_info("y", onnx.TensorProto.FLOAT, [])
    graph = helper.make_graph([helper.make_node("Relu", ["x"], ["r"]), helper.make_node("Det", ["r"], ["y"])],
                              "g", [node_in], [node_out])
    path = tmp_path / "det.onnx"
    onnx.save(helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)]), path)
    result = opcheck.check_model(path)
    assert result.counts == {"Relu": 1, "Det": 1} and result.unsupported == ["Det-11"]
    assert "UNSUPPORTED on WebGPU: Det-11" in opcheck.format_report(result)
    with pytest.raises(SystemExit) as exit_info:
        opcheck.main([str(path)])
    assert exit_info.value.code == 1


def test_untrained_export_follows_the_manifest_contract(tmp_path):
    manifest = export.export(small("ttr-lite"), "ttr-small", tmp_path, random_seed=0, labels="default")
    onnx_path = tmp_path / "ttr-small.onnx"
    assert json.loads((tmp_path / "ttr-small.json").read_text()) == manifest
    assert manifest["trained"] is False and manifest["metrics"] is None and manifest["training"] is None
    assert manifest["parity"] == {"file": "ttr-small.parity.json", "source": "seed"}
    assert reference.read_reference(tmp_path / "ttr-small.parity.json")["source"] == {"kind": "seed", "seed": 0}
    assert manifest["onnx"] == {"file": "ttr-small.onnx", "opset": 17,
                                "sha256": hashlib.sha256(onnx_path.read_bytes()).hexdigest()}
    assert manifest["input"] == {
        "name": "skeleton", "shape": [1, 3, 16, 25, 1], "layout": "ntu25", "window": 16, "stride": 8, "fps": 30.0,
        "persons": 1, "features": "joints", "channels": ["x", "y", "z"],
        "normalisation": {"method": "torso-v1", "minVisibility": 0.5}, "preprocess": "torso-v1",
    }
    assert manifest["labels"] == label_names("default")
    assert {k: v["shape"] for k, v in manifest["outputs"].items()} == {
        "logits": [1, 15], "temporal_attention": [1, 16, 16], "frame_importance": [1, 16]}
    model = onnx.load(str(onnx_path))
    assert [o.name for o in model.graph.output] == list(manifest["outputs"])
    assert [d.dim_value for d in model.graph.input[0].type.tensor_type.shape.dim] == [1, 3, 16, 25, 1]
    ops = {node.op_type for node in model.graph.node}
    assert not ops & {"Dropout", "Identity", "Constant"}
    producers = {out: node.op_type for node in model.graph.node for out in node.output}
    assert not [n for n in model.graph.node if n.op_type == "BatchNormalization" and producers.get(n.input[0]) == "Conv"]
    assert manifest["parameters"] == sum(p.numel() for p in build_model(small("ttr-lite")).parameters())


def test_strided_temporal_attention_is_spread_to_input_frames():
    torch.manual_seed(0)
    model = build_model(small("ttr-lite")).eval()
    x = torch.randn(1, 3, 16, 25, 1)
    attended = outputs(model, x)["temporal_attention"]
    assert attended.shape[-1] == 4  # two stride-2 layers
    keys = ["logits", "temporal_attention"]
    _, spread = export.NamedOutputs(model, keys, 16, 4)(x)
    assert spread.shape == (1, 16, 16)
    torch.testing.assert_close(spread.sum(dim=-1), torch.ones(1, 16))
    torch.testing.assert_close(spread[0, 5, 9], attended[0, 1, 2] / 4)


def test_trained_export_carries_labels_and_metrics(tmp_path):
    data = tmp_path / "toy.npz"
    save_dataset(data, make_dataset(samples=16, frames=16, classes=15, subjects=2))
    cfg = small("stgcn-lite", widths=[8, 16], strides=[1, 2])
    split = {"split": "cross-subject", "test_subjects": "2", "test_cameras": None, "split_file": None}
    train.train(cfg, data, tmp_path / "run", split, {"epochs": 1, "batch_size": 8})
    manifest = export.export(cfg, "trained", tmp_path / "out", checkpoint_path=tmp_path / "run" / "best.pt")
    assert manifest["trained"] is True and manifest["labels"] == [f"class_{k}" for k in range(15)]
    assert set(manifest["metrics"]) == {"dataset", "split", "top1", "top5"} and manifest["metrics"]["split"] == "cross-subject"
    assert manifest["training"]["epochs"] == 1 and manifest["export"]["seed"] is None
    # The parity reference is the checkpoint's PyTorch output (unfolded, eval mode), for the ONNX in the manifest.
    assert manifest["parity"] == {"file": "trained.parity.json", "source": "checkpoint"}
    document = reference.read_reference(tmp_path / "out" / "trained.parity.json")
    assert document["onnxSha256"] == manifest["onnx"]["sha256"]
    assert document["source"]["sha256"] == reference.file_sha256(tmp_path / "run" / "best.pt")
    model, _ = load_checkpoint(tmp_path / "run" / "best.pt")
    x = torch.from_numpy(reference.decode(document["input"]).copy())
    torch.testing.assert_close(x, reference.reference_input(tuple(manifest["input"]["shape"])))
    with torch.no_grad():
        logits = model.eval()(x)["logits"]
    np.testing.assert_array_equal(reference.decode(document["outputs"]["logits"]), logits.numpy())
    with pytest.raises(ValueError, match="trained with config"):
        export.export(small("ttr-lite"), "x", tmp_path / "out", checkpoint_path=tmp_path / "run" / "best.pt")


def test_export_errors_are_clear():
    with pytest.raises(ValueError, match="names no label set"):
        export.resolve_labels({"name": "stgcn-ntu60", "num_classes": 60}, None, None)
    with pytest.raises(ValueError, match="15 labels but model"):
        export.resolve_labels({"name": "x", "num_classes": 20}, "default", None)
    assert export.resolve_labels({"name": "x", "num_classes": 60}, "ntu120", None)[42] == "falling"
    assert export.config_label_set("ttr-lite") == "default"


def test_export_is_deterministic_for_a_seed(tmp_path):
    first = export.export(small("stbln-lite"), "a", tmp_path, random_seed=3, labels="default")
    second = export.export(small("stbln-lite"), "b", tmp_path, random_seed=3, labels="default")
    assert first["onnx"]["sha256"] == second["onnx"]["sha256"]


@pytest.mark.parametrize("path", sorted((export.REPO_ROOT / "models").glob("*.onnx")), ids=lambda p: p.name)
def test_shipped_models_use_only_webgpu_operators(path):
    result = opcheck.check_model(path)
    assert result.counts and not result.unsupported, opcheck.format_report(result)


def test_a_collapsed_st_bln_says_its_joint_importance_is_fixed(tmp_path):
    collapsed = export.export(small("stbln-lite", collapse_layer=3), "collapsed", tmp_path, labels="default")
    assert collapsed["outputs"]["joint_importance"]["inputDependent"] is False
    assert "same for every input" in collapsed["outputs"]["joint_importance"]["description"]
    full = export.export(small("stbln-lite"), "full", tmp_path, labels="default")
    assert "inputDependent" not in full["outputs"]["joint_importance"]
