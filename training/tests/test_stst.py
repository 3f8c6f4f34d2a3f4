"""STST (training/models/stst.py): shapes, directional masks, causality, SSL heads kept out of the export."""
import io

import onnx
from onnx import numpy_helper
import pytest
import torch

from training.models import build_model
from training.models.config import load_config, resolve
from training.models.stst import MASK_VALUE, forward_mask
from training.export import export as export_model
from training.tests.overfit import toy_batch, train_losses
from training.train import auxiliary_loss

LITE = load_config("stst-lite")


def tiny(**overrides) -> dict:
    """stst-lite shrunk so a test runs in milliseconds: 3 blocks, total temporal stride 4."""
    cfg = dict(LITE, window=16, embed_dim=12, widths=[12, 12, 24], strides=[1, 2, 2], attention_hidden=[4, 4, 8], num_classes=5)
    cfg.update(overrides)
    return resolve(cfg)


def export(model: torch.nn.Module, cfg: dict) -> onnx.ModelProto:
    x = torch.randn(1, cfg["in_channels"], cfg["window"], cfg["joints"], cfg["persons"])
    buffer = io.BytesIO()
    with torch.no_grad():
        names = list(model(x))
    torch.onnx.export(model, x, buffer, opset_version=17, input_names=["skeleton"], output_names=names)
    return onnx.load_from_string(buffer.getvalue())


@pytest.mark.parametrize("causal", [False, True])
def test_outputs_and_attention_rows_sum_to_one(causal):
    model = build_model(tiny(causal=causal, persons=2)).eval()
    with torch.no_grad():
        out = model(torch.randn(3, 3, 16, 25, 2))
    assert out["logits"].shape == (3, 5)
    assert out["spatial_attention"].shape == (3, 25, 25) and out["joint_importance"].shape == (3, 25)
    assert out["temporal_attention"].shape == (3, 16, 16) and out["frame_importance"].shape == (3, 16)
    for name, axis_size in (("spatial_attention", 25), ("temporal_attention", 16)):
        torch.testing.assert_close(out[name].sum(-1), torch.ones(3, axis_size))
    for name in ("joint_importance", "frame_importance"):
        torch.testing.assert_close(out[name].sum(-1), torch.ones(3))
        assert torch.all(out[name] >= 0)


def test_forward_and_backward_masks_are_transposes_and_keep_the_diagonal():
    mask = forward_mask(6)
    assert torch.all(mask.diagonal() == 0)
    assert torch.all(mask.tril() == 0) and torch.all(mask.triu(1)[mask.triu(1) != 0] == MASK_VALUE)
    assert torch.isfinite(mask).all() and torch.isfinite(mask.half()).all()
    block = build_model(tiny()).blocks[0][1]
    torch.testing.assert_close(block.backward_mask, block.forward_mask.t())


def test_causal_model_ignores_future_frames_and_directional_one_does_not():
    x = torch.randn(2, 3, 16, 25, 1)
    future = x.clone()
    future[:, :, 8:] += torch.randn_like(future[:, :, 8:])
    for causal in (True, False):
        model = build_model(tiny(causal=causal)).eval()
        with torch.no_grad():
            before, after = model.encode(x)[0], model.encode(future)[0]
        # Total stride 4: output frames 0 and 1 summarise input frames 0..7.
        unchanged = torch.allclose(before[:, :2], after[:, :2], atol=1e-6)
        assert unchanged == causal
        assert not torch.allclose(before[:, 2:], after[:, 2:])
        if causal:
            attention = model(x)["temporal_attention"]
            # The last block attends over 2-frame steps: no frame attends to a later step.
            assert model.attention_stride == 2 and torch.all(attention.triu(2) < 1e-6)


def test_ssl_losses_train_the_heads_and_the_encoder():
    model = build_model(tiny()).train()
    losses = model.ssl_losses((torch.randn(4, 3, 16, 25, 1), torch.zeros(4, dtype=torch.long)))
    assert set(losses) == {"semantic", "coordinates", "permutation", "total"}
    torch.testing.assert_close(losses["total"], 0.2 * (losses["semantic"] + losses["coordinates"] + losses["permutation"]))
    losses["total"].backward()
    for module in (model.ssl.semantic_head, model.ssl.coordinate_head, model.ssl.permutation_head, model.coordinates):
        assert all(p.grad is not None and p.grad.abs().sum() > 0 for p in module.parameters())
    assert model.ssl.mask_token.grad is not None


def test_ssl_losses_without_heads_is_a_clear_error():
    model = build_model(tiny(ssl=None))
    with pytest.raises(RuntimeError, match="no self-supervised heads"):
        model.ssl_losses(torch.randn(1, 3, 16, 25, 1))


def test_exported_graph_has_no_ssl_heads():
    cfg = tiny()
    with_ssl = build_model(cfg).eval()
    without_ssl = build_model(dict(cfg, ssl=None)).eval()
    missing, unexpected = without_ssl.load_state_dict(with_ssl.state_dict(), strict=False)
    assert not missing and unexpected and all(k.startswith("ssl.") for k in unexpected)
    exported, reference = export(with_ssl, cfg), export(without_ssl, cfg)

    def signature(model):
        return ([n.op_type for n in model.graph.node],
                sorted(int(torch.tensor(t.dims).prod()) for t in model.graph.initializer))

    assert signature(exported) == signature(reference)
    names = [t.name for t in exported.graph.initializer] + [n.name for n in exported.graph.node]
    assert not any("ssl" in name or "mask_token" in name for name in names)
    # No trained SSL weight matrix appears among the exported constants (in either orientation).
    ssl_weights = {p.detach().flatten()[:4].numpy().tobytes() for p in with_ssl.ssl.parameters() if p.dim() == 2}
    ssl_weights |= {p.detach().t().flatten()[:4].numpy().tobytes() for p in with_ssl.ssl.parameters() if p.dim() == 2}
    exported_weights = {numpy_helper.to_array(t).flatten()[:4].tobytes() for t in exported.graph.initializer}
    assert not ssl_weights & exported_weights


def test_lite_configs_export_without_unfriendly_ops():
    for name in ("stst-lite", "stst-lite-causal"):
        cfg = load_config(name)
        graph = export(build_model(cfg).eval(), cfg).graph
        assert {n.op_type for n in graph.node}.isdisjoint({"Loop", "If", "NonZero", "Einsum", "Where"})
        constants = [numpy_helper.to_array(t) for t in graph.initializer]
        assert all(abs(c).max() < 1e5 for c in constants if c.size)  # masks are finite


def test_wrong_input_shape_is_a_clear_error():
    with pytest.raises(ValueError, match=r"STST expects \(N, 3, 16, 25, 1\)"):
        build_model(tiny())(torch.randn(1, 3, 15, 25, 1))


def test_paper_configuration_builds():
    cfg = load_config("stst-paper")
    model = build_model(cfg)
    assert cfg["widths"] == [64, 64, 128, 128, 256, 256, 256, 256] and cfg["heads"] == 3
    assert cfg["ssl"]["weight"] == 0.2 and len(model.blocks) == 8


def test_loss_with_ssl_falls_when_overfitting_32_samples():
    cfg = tiny(window=8, num_classes=4, dropout=0.0, dropout_head=0.0)
    x, y = toy_batch(cfg)
    torch.manual_seed(0)  # fixes the initial weights and the SSL corruptions
    losses = train_losses(build_model(cfg), x, y, steps=30, extra_loss=lambda model, batch: model.ssl_losses(batch)["total"])
    assert losses[-1] < 0.5 * losses[0]


def test_trainer_adds_the_ssl_losses_only_when_the_model_has_heads():
    x, y = torch.randn(2, 3, 16, 25, 1), torch.tensor([0, 1])
    loss_fn = torch.nn.CrossEntropyLoss()
    with_ssl, without_ssl = build_model(tiny()).train(), build_model(tiny(ssl=None)).train()
    extra = auxiliary_loss(with_ssl, with_ssl(x), x, y, loss_fn)
    assert torch.is_tensor(extra) and extra.item() > 0 and extra.requires_grad
    assert auxiliary_loss(without_ssl, without_ssl(x), x, y, loss_fn) == 0


def test_manifest_counts_only_the_exported_parameters(tmp_path):
    cfg = tiny(num_classes=15)
    manifest = export_model(cfg, "stst-tiny", tmp_path, random_seed=0, labels="default")
    model = build_model(cfg)
    inference = sum(p.numel() for name, p in model.named_parameters() if not name.startswith("ssl."))
    assert manifest["parameters"] == inference < sum(p.numel() for p in model.parameters())
