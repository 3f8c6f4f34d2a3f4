"""SAN / TS-SAN (training/models/san.py): shapes of every variant, attention maps, export, overfitting."""
import io

import onnx
import pytest
import torch

from training.models import build_model
from training.models.config import load_config, resolve
from training.models.san import motion
from training.tests.overfit import toy_batch, train_losses
from training.train import auxiliary_loss, make_optimizer, training_settings

LITE = load_config("san-lite")


def tiny(**overrides) -> dict:
    """san-lite shrunk so a test runs in milliseconds."""
    cfg = dict(LITE, window=16, widths=[8, 8, 8, 8], ff_dim=16, layers=2, heads=2, segments=1, num_classes=5)
    cfg.update(overrides)
    return resolve(cfg)


@pytest.mark.parametrize("variant", ["v1", "v2", "v3"])
@pytest.mark.parametrize("encoder", ["cnn", "ff"])
@pytest.mark.parametrize("segments", [1, 2])
def test_every_variant_has_the_documented_outputs(variant, encoder, segments):
    cfg = tiny(variant=variant, encoder=encoder, segments=segments, persons=2)
    model = build_model(cfg).eval()
    x = torch.randn(3, 3, 16, 25, 2)
    with torch.no_grad():
        out = model(x)
    assert set(out) == {"logits", "temporal_attention", "frame_importance"}
    assert out["logits"].shape == (3, 5)
    assert out["temporal_attention"].shape == (3, 16, 16)
    assert out["frame_importance"].shape == (3, 16)
    torch.testing.assert_close(out["temporal_attention"].sum(-1), torch.ones(3, 16))
    torch.testing.assert_close(out["frame_importance"].sum(-1), torch.ones(3))


def test_segments_attend_only_within_their_clip():
    model = build_model(tiny(segments=2)).eval()
    with torch.no_grad():
        attention = model(torch.randn(2, 3, 16, 25, 1))["temporal_attention"]
    assert torch.all(attention[:, :8, 8:] == 0) and torch.all(attention[:, 8:, :8] == 0)
    assert torch.all(attention[:, :8, :8] > 0)


def test_v2_takes_the_strongest_person_and_ignores_person_order():
    model = build_model(tiny(variant="v2", persons=2)).eval()
    x = torch.randn(2, 3, 16, 25, 2)
    with torch.no_grad():
        torch.testing.assert_close(model(x)["logits"], model(x.flip(-1))["logits"])


def test_v3_returns_modality_logits_for_the_loss_only_in_training():
    model = build_model(tiny(variant="v3"))
    x = torch.randn(2, 3, 16, 25, 1)
    aux = model.train()(x)["aux_logits"]
    assert set(aux) == {"position", "motion"} and aux["motion"].shape == (2, 5)
    assert "aux_logits" not in model.eval()(x)


def test_motion_is_the_frame_difference_with_zero_first_frame():
    x = torch.arange(4.0).reshape(1, 1, 4, 1, 1) ** 2
    assert motion(x).flatten().tolist() == [0.0, 1.0, 3.0, 5.0]


def test_wrong_input_shape_is_a_clear_error():
    model = build_model(tiny())
    with pytest.raises(ValueError, match=r"SAN expects \(N, 3, 16, 25, 1\)"):
        model(torch.randn(1, 3, 32, 25, 1))


def test_config_errors_are_explained():
    with pytest.raises(ValueError, match="not divisible into 3 segments"):
        build_model(tiny(segments=3))
    with pytest.raises(ValueError, match="unknown variant"):
        build_model(tiny(variant="v4"))


def test_paper_configuration_builds():
    cfg = load_config("san-paper")
    model = build_model(cfg)
    assert (cfg["window"], cfg["segments"], cfg["layers"], cfg["heads"]) == (96, 3, 4, 8)
    assert sum(p.numel() for p in model.parameters()) > 1_000_000


def test_lite_exports_to_static_onnx_opset_17():
    model = build_model(LITE).eval()
    buffer = io.BytesIO()
    torch.onnx.export(model, torch.randn(1, 3, 64, 25, 1), buffer, opset_version=17, input_names=["skeleton"],
                      output_names=list(model(torch.randn(1, 3, 64, 25, 1))))
    graph = onnx.load_from_string(buffer.getvalue()).graph
    assert [o.name for o in graph.output] == ["temporal_attention", "frame_importance", "logits"]
    assert {n.op_type for n in graph.node}.isdisjoint({"Loop", "If", "NonZero", "Einsum"})


def test_loss_falls_when_overfitting_32_samples():
    cfg = tiny(num_classes=4, dropout_encoder=0.0, dropout_attention=0.0, dropout_head=0.0)
    x, y = toy_batch(cfg)
    torch.manual_seed(0)
    losses = train_losses(build_model(cfg), x, y, steps=40)
    assert losses[-1] < 0.5 * losses[0]


def test_trainer_adds_the_v3_modality_losses():
    model = build_model(tiny(variant="v3")).train()
    x, y = torch.randn(4, 3, 16, 25, 1), torch.tensor([0, 1, 2, 3])
    torch.manual_seed(0)
    outputs = model(x)
    loss_fn = torch.nn.CrossEntropyLoss()
    expected = loss_fn(outputs["aux_logits"]["position"], y) + loss_fn(outputs["aux_logits"]["motion"], y)
    torch.testing.assert_close(auxiliary_loss(model, outputs, x, y, loss_fn), expected)


def test_lite_config_trains_with_adamw():
    settings = training_settings(LITE, {})
    assert settings["optimizer"] == "adamw"
    assert isinstance(make_optimizer(build_model(LITE), settings), torch.optim.AdamW)
    with pytest.raises(ValueError, match="optimizer must be"):
        training_settings(LITE, {"optimizer": "rmsprop"})
