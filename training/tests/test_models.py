"""ST-GCN, ST-TR and ST-BLN models: outputs, attention properties, DropAttention, ONNX-exportability, training."""
import io

import numpy as np
import pytest
import torch

from training.models import build_model
from training.models.config import label_names, load_config, resolve
from training.models.layers import SelfAttentionUnit, drop_attention

OUR_CONFIGS = ["stgcn-ntu60", "str-ntu60", "ttr-ntu60", "sttr-1s-ntu60", "sttr-2s-ntu60", "stbln-ntu60",
               "stbln-lambda6-ntu60", "stgcn-additive-ntu60", "stgcn-symmetric-ntu60", "ttr-lite", "stbln-lite",
               "stgcn-lite", "str-jb-ntu60", "ttr-jb-ntu60", "sttr-2s-jb-ntu60", "stbln-bones-ntu60", "ttr-lite-jb",
               "stbln-lite-jb", "ttr-lite-bones", "stbln-lite-bones"]
SHORT_WINDOW = 8  # a multiple of every config's total stride; keeps the paper-size models fast here
# What onnxruntime-web's WASM and WebGPU EPs handle well (training/models/layers.py); no Einsum, Scatter, etc.
ALLOWED_ONNX_OPS = {"Abs", "Add", "BatchNormalization", "Clip", "Constant", "ConstantOfShape", "Conv", "Div", "Equal",
                    "Expand", "Gemm", "Identity", "Log", "MatMul", "Mul", "ReduceMean", "ReduceSum", "Relu",
                    "Reshape", "Softmax", "Split", "Transpose", "Unsqueeze", "Where"}


def short(name: str, window: int = SHORT_WINDOW) -> dict:
    return {**load_config(name), "window": window}


def sample(cfg: dict, batch: int = 2, seed: int = 0) -> torch.Tensor:
    generator = torch.Generator().manual_seed(seed)
    return torch.randn(batch, cfg["in_channels"], cfg["window"], cfg["joints"], cfg["persons"], generator=generator)


@pytest.mark.parametrize("name", OUR_CONFIGS)
def test_outputs_have_the_manifest_shapes_and_properties(name):
    cfg = short(name)
    model = build_model(cfg).eval()
    with torch.no_grad():
        out = model(sample(cfg))
    v, k = cfg["joints"], resolve(cfg)["num_classes"]
    assert out["logits"].shape == (2, k) and torch.isfinite(out["logits"]).all()
    expected = {
        "st-gcn": set(),
        "s-tr": {"spatial_attention", "joint_importance"},
        "t-tr": {"temporal_attention", "frame_importance"},
        "1s": {"spatial_attention", "joint_importance", "temporal_attention", "frame_importance"},
        "2s": {"spatial_attention", "joint_importance", "temporal_attention", "frame_importance"},
        "st-bln": {"joint_importance"},
    }[cfg["variant"] if cfg["family"] == "st-tr" else cfg["family"]]
    assert set(out) - {"logits"} == expected
    if "spatial_attention" in out:
        assert out["spatial_attention"].shape == (2, v, v)
        torch.testing.assert_close(out["spatial_attention"].sum(-1), torch.ones(2, v))
    if "temporal_attention" in out:
        length = model.temporal_attention_length
        assert length == cfg["window"] // int(np.prod(cfg["strides"]))
        assert out["temporal_attention"].shape == (2, length, length)
        torch.testing.assert_close(out["temporal_attention"].sum(-1), torch.ones(2, length))
        assert out["frame_importance"].shape == (2, cfg["window"])
    for key, size in (("joint_importance", v), ("frame_importance", cfg["window"])):
        if key in out:
            assert out[key].shape == (2, size) and (out[key] >= 0).all()
            torch.testing.assert_close(out[key].sum(-1), torch.ones(2))


@pytest.mark.parametrize("name,channels", [("str-jb-ntu60", 6), ("sttr-2s-jb-ntu60", 6), ("ttr-lite-jb", 6),
                                           ("stbln-lite-jb", 6), ("stbln-bones-ntu60", 3), ("ttr-lite-bones", 3)])
def test_bone_configs_take_their_features(name, channels):
    cfg = load_config(name)
    assert cfg["in_channels"] == channels and cfg["features"] == ("joints+bones" if channels == 6 else "bones")


def test_joints_plus_bones_input_has_six_channels():
    cfg = {**short("ttr-lite", 16), "features": "joints+bones", "in_channels": 6}
    model = build_model(cfg).eval()
    assert model.data_norm.bn.num_features == 6 * 25
    with torch.no_grad():
        assert model(sample(cfg))["logits"].shape == (2, 15)


def test_two_stream_logits_are_log_of_mean_stream_probabilities():
    model = build_model(short("sttr-2s-ntu60")).eval()
    x = sample(model.cfg)
    with torch.no_grad():
        fused = model(x)["logits"]
        streams = [torch.softmax(s(x)["logits"], 1) for s in (model.spatial_stream, model.temporal_stream)]
    torch.testing.assert_close(fused.exp(), (streams[0] + streams[1]) / 2)


def test_drop_attention_only_in_training():
    weights = torch.softmax(torch.randn(4, 6, 8, 8), dim=-1)
    assert drop_attention(weights, 0.5, training=False) is weights
    torch.manual_seed(0)
    dropped = drop_attention(weights, 0.5, training=True)
    torch.testing.assert_close(dropped.sum(-1), torch.ones(4, 6, 8))
    dropped_columns = (dropped == 0).all(dim=-2)
    assert dropped_columns.any() and not dropped_columns.all()

    unit = SelfAttentionUnit("frames", 16, 16, 5, heads=4, dk_ratio=0.25, dv_ratio=1.0, drop_attention=0.5)
    x = torch.randn(2, 16, 6, 5)
    unit.eval()
    with torch.no_grad():
        torch.testing.assert_close(unit(x)[0], unit(x)[0])
    unit.train()
    torch.manual_seed(1)
    with torch.no_grad():
        first, second = unit(x)[0], unit(x)[0]
    assert not torch.allclose(first, second)


def test_stbln_collapse_layer_pools_joints_with_learned_weights():
    model = build_model(short("stbln-lambda6-ntu60")).eval()
    collapse = model.blocks[5].spatial.mapping
    assert collapse.graphs().shape == (3, 1, 25)
    assert not hasattr(model.blocks[6].spatial.mapping, "graphs")  # plain linear map after the collapse
    with torch.no_grad():
        a, b = model(sample(model.cfg, seed=1)), model(sample(model.cfg, seed=2))
    torch.testing.assert_close(a["joint_importance"], b["joint_importance"])


def test_stbln_class_activation_importance_depends_on_the_input():
    torch.manual_seed(0)  # an unlucky init can leave every class activation ≤ 0 (uniform importance)
    model = build_model(short("stbln-lite")).eval()
    with torch.no_grad():
        a, b = model(sample(model.cfg, seed=1)), model(sample(model.cfg, seed=2))
    assert not torch.allclose(a["joint_importance"], b["joint_importance"])


def test_symmetric_attention_adds_a_symmetric_matrix():
    model = build_model(short("stgcn-symmetric-ntu60"))
    mapping = model.blocks[0].spatial.mapping
    learned = mapping.graphs() - mapping.adjacency
    torch.testing.assert_close(learned, learned.transpose(1, 2))


def test_lite_configs_use_the_default_label_set():
    for name in ("ttr-lite", "stbln-lite", "stgcn-lite"):
        cfg = load_config(name)
        assert cfg["num_classes"] == len(label_names("default")) and cfg["persons"] == 1


def test_bad_configs_and_inputs_get_clear_errors():
    cfg = load_config("ttr-lite")
    with pytest.raises(ValueError, match="unknown st-tr variant"):
        build_model({**cfg, "variant": "x-tr"})
    with pytest.raises(ValueError, match="multiple of the total temporal stride"):
        build_model({**cfg, "window": 30})
    with pytest.raises(ValueError, match="does not match features"):
        build_model({**cfg, "features": "joints+bones"})
    with pytest.raises(ValueError, match="unknown label set"):
        build_model({**cfg, "num_classes": "labels:nope"})
    with pytest.raises(ValueError, match="not divisible by 3 heads"):
        build_model({**cfg, "heads": 3})
    with pytest.raises(ValueError, match="not found"):
        load_config("no-such-model")
    model = build_model(cfg)
    with pytest.raises(ValueError, match=r"expected input \(N, 3, 64, 25, 1\)"):
        model(torch.zeros(1, 3, 32, 25, 1))


@pytest.mark.parametrize("name,changes", [
    ("ttr-lite", {}), ("ttr-lite", {"variant": "1s"}), ("ttr-lite", {"variant": "2s"}), ("stbln-lite", {}),
    ("stbln-lite", {"collapse_layer": 3}), ("stbln-lite", {"variant": "symmetric", "graph": "spatial"}),
])
def test_exports_to_onnx_opset17_with_web_friendly_ops(name, changes):
    onnx = pytest.importorskip("onnx")
    cfg = {**short(name, 16), **changes}
    model = build_model(cfg).eval()
    x = sample(cfg, batch=1)
    names = list(model(x))

    class Outputs(torch.nn.Module):
        def __init__(self):
            super().__init__()
            self.model = model

        def forward(self, x):
            out = self.model(x)
            return tuple(out[n] for n in names)

    buffer = io.BytesIO()
    torch.onnx.export(Outputs(), x, buffer, opset_version=17, input_names=["skeleton"], output_names=names)
    graph = onnx.load_from_string(buffer.getvalue())
    onnx.checker.check_model(graph)
    ops = {node.op_type for node in graph.graph.node}
    assert ops <= ALLOWED_ONNX_OPS, f"ops outside the allowlist: {ops - ALLOWED_ONNX_OPS}"
    shapes = {o.name: [d.dim_value for d in o.type.tensor_type.shape.dim] for o in graph.graph.output}
    assert shapes["logits"] == [1, len(label_names("default"))]


def test_overfits_a_small_random_set():
    torch.manual_seed(0)
    cfg = {**load_config("ttr-lite"), "window": 16, "dropout": 0.0, "drop_attention": 0.0}
    model = build_model(cfg).train()
    x = sample(cfg, batch=32, seed=3)
    y = torch.randint(0, cfg["num_classes"], (32,), generator=torch.Generator().manual_seed(4))
    optimiser = torch.optim.Adam(model.parameters(), lr=1e-2)
    losses = []
    for _ in range(12):
        loss = torch.nn.functional.cross_entropy(model(x)["logits"], y)
        optimiser.zero_grad()
        loss.backward()
        optimiser.step()
        losses.append(loss.item())
    assert losses[-1] < 0.5 * losses[0], losses


def test_st_bln_reference_code_residuals_are_convs_in_every_layer():
    from training.models.layers import Residual, ZeroResidual
    printed, code = (build_model(short(name)) for name in ("stbln-ntu60", "stbln-refcode-ntu60"))
    assert sum(isinstance(b.spatial.skip, Residual) and b.spatial.skip.conv is not None for b in printed.blocks) == 3
    for index, block in enumerate(code.blocks):
        assert block.spatial.skip.conv.kernel_size == (1, 1)
        if index == 0:
            assert isinstance(block.residual, ZeroResidual)  # ST-GCN's first layer has no residual, as in the code
        else:
            assert block.residual.conv.kernel_size == (9, 1) and block.residual.conv.padding == (4, 0)
    x = sample(code.cfg)
    with torch.no_grad():
        assert code.eval()(x)["logits"].shape == (2, 60)
