"""training/train.py and training/evaluate.py on a tiny synthetic dataset (seconds, CPU)."""
import csv
import json

import numpy as np
import pytest
import torch

from training import evaluate, train
from training.data import save_dataset
from training.models.config import load_config, resolve
from training.tests.datasets import make_dataset

SPLIT = {"split": "cross-subject", "test_subjects": "5", "test_cameras": None, "split_file": None}


@pytest.fixture(scope="module")
def data_path(tmp_path_factory):
    path = tmp_path_factory.mktemp("data") / "toy.npz"
    save_dataset(path, make_dataset(samples=40, frames=16, classes=4, subjects=5))  # 32 train, 8 test samples
    return path


def tiny_config() -> dict:
    return resolve({**load_config("stgcn-lite"), "name": "stgcn-tiny", "window": 16, "num_classes": 4,
                    "widths": [8, 16], "strides": [1, 2], "dropout": 0.0})


def test_loss_falls_when_overfitting_32_samples(tmp_path, data_path):
    settings = {"epochs": 20, "batch_size": 8, "lr": 0.1, "schedule": "cosine", "seed": 0}
    rows = train.train(tiny_config(), data_path, tmp_path / "run", SPLIT, settings)
    losses = [row["train_loss"] for row in rows]
    assert losses[-1] < 0.5 * losses[0], losses
    assert rows[-1]["train_top1"] >= 0.9
    with (tmp_path / "run" / "metrics.csv").open() as handle:
        assert [int(r["epoch"]) for r in csv.DictReader(handle)] == list(range(1, 21))
    jsonl = [json.loads(line) for line in (tmp_path / "run" / "metrics.jsonl").read_text().splitlines()]
    assert jsonl == rows
    assert (tmp_path / "run" / "best.pt").is_file() and (tmp_path / "run" / "last.pt").is_file()


def test_resume_continues_with_identical_state(tmp_path, data_path):
    settings = {"epochs": 3, "batch_size": 8, "lr": 0.05, "seed": 7, "milestones": [2],
                "augment": {"rotate": True, "mirror": True, "joint_dropout": True}}
    straight = train.train(tiny_config(), data_path, tmp_path / "straight", SPLIT, settings)
    train.train(tiny_config(), data_path, tmp_path / "resumed", SPLIT, {**settings, "epochs": 1})
    resumed = train.train(tiny_config(), data_path, tmp_path / "resumed", SPLIT, settings, resume=True)
    assert [row["epoch"] for row in resumed] == [2, 3]
    for a, b in zip(straight[1:], resumed):
        assert {k: v for k, v in a.items() if k != "seconds"} == {k: v for k, v in b.items() if k != "seconds"}
    a, b = torch.load(tmp_path / "straight" / "last.pt"), torch.load(tmp_path / "resumed" / "last.pt")
    for key, value in a["model"].items():
        assert torch.equal(value, b["model"][key]), key
    assert a["scheduler"] == b["scheduler"] and a["optimizer"]["param_groups"] == b["optimizer"]["param_groups"]


def test_lr_schedules():
    step = train.training_settings({"name": "x"}, {"epochs": 120})
    assert [train.lr_factor(step, e) for e in (0, 59, 60, 89, 90)] == pytest.approx([1, 1, 0.1, 0.1, 0.01])
    cosine = train.training_settings({"name": "x"}, {"epochs": 10, "schedule": "cosine", "warmup_epochs": 1})
    factors = [train.lr_factor(cosine, e) for e in range(10)]
    assert factors[0] == 0.5 and factors[1] == 1.0 and all(a > b for a, b in zip(factors[1:], factors[2:]))
    with pytest.raises(ValueError, match="unknown training settings"):
        train.training_settings({"name": "x", "training": {"epoch": 3}}, {})


def test_classification_metrics_on_a_known_confusion():
    names = ["a", "b", "c"]
    truth = np.array([0, 0, 0, 1, 1, 2])
    predicted = np.array([0, 0, 1, 1, 2, 2])
    scores = np.full((6, 3), 0.1)
    scores[np.arange(6), predicted] = 0.8
    report = evaluate.classification_metrics(scores, truth, names)
    assert report["confusion"] == [[2, 1, 0], [0, 1, 1], [0, 0, 1]]
    assert report["top1"] == pytest.approx(4 / 6)
    assert report["perClass"] == pytest.approx({"a": 2 / 3, "b": 0.5, "c": 1.0})
    assert report["top5"] == 1.0  # 3 classes: every label is within the top 5


def test_evaluate_cli_writes_report_and_confusion_png(tmp_path, data_path, capsys):
    train.train(tiny_config(), data_path, tmp_path / "run", SPLIT, {"epochs": 1, "batch_size": 16})
    evaluate.main(["--checkpoint", str(tmp_path / "run" / "best.pt"), "--data", str(data_path)])
    report = json.loads((tmp_path / "run" / "evaluation.json").read_text())
    assert report["samples"] == 8 and report["split"] == "cross-subject"
    assert np.array(report["confusion"]).sum() == 8
    assert (tmp_path / "run" / "confusion.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert "top-1" in capsys.readouterr().out
    evaluate.main(["--checkpoint", str(tmp_path / "run" / "best.pt"), "--data", str(data_path), "--split", "all",
                   "--out", str(tmp_path / "all")])
    assert json.loads((tmp_path / "all" / "evaluation.json").read_text())["samples"] == 40


def test_train_cli_rejects_mismatched_classes(tmp_path, data_path):
    with pytest.raises(SystemExit) as exit_info:
        train.main(["--config", "stgcn-lite", "--data", str(data_path), "--out", str(tmp_path / "x"),
                    "--test-subjects", "5"])
    assert exit_info.value.code == 1


def test_two_stream_model_trains_each_stream_on_its_own_loss():
    """One epoch of 2s-ST-TR moves its S-TR stream exactly as one epoch of a lone S-TR on the same batches."""
    cfg = resolve({**load_config("ttr-lite"), "variant": "2s", "window": 16, "dropout": 0.0, "drop_attention": 0.0})
    torch.manual_seed(0)
    two_stream = train.build_model(cfg)
    alone = train.build_model({**cfg, "variant": "s-tr"})
    alone.load_state_dict(two_stream.spatial_stream.state_dict())
    x = torch.randn(8, 3, 16, 25, 1, generator=torch.Generator().manual_seed(1))
    batches = [(x[:4], torch.tensor([0, 1, 2, 3])), (x[4:], torch.tensor([4, 5, 6, 7]))]
    for model in (two_stream, alone):
        train.run_epoch(model, batches, torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9))
    for (name, got), want in zip(two_stream.spatial_stream.state_dict().items(), alone.state_dict().values()):
        torch.testing.assert_close(got, want, msg=name)
    assert "stream_logits" not in two_stream.eval()(x[:1])  # eval (and export) outputs are unchanged


PAPER_RECIPES = {
    "stbln-ntu60": {"epochs": 50, "batch_size": 64, "lr": 0.1, "milestones": [30, 40], "gamma": 0.1, "schedule": "step"},
    "stbln-lambda6-ntu60": {"epochs": 50, "batch_size": 64, "milestones": [30, 40]},
    "ttr-ntu60": {"epochs": 120, "batch_size": 32, "lr": 0.1, "milestones": [60, 90], "schedule": "step"},
    "san-paper": {"optimizer": "adam", "epochs": 200, "batch_size": 64, "schedule": "plateau", "gamma": 0.5, "patience": 5},
    "stst-paper": {"epochs": 120, "batch_size": 32, "weight_decay": 0.0005, "milestones": [60, 90]},
}


@pytest.mark.parametrize("name", sorted(PAPER_RECIPES))
def test_paper_configs_carry_their_papers_recipe(name):
    settings = train.training_settings(load_config(name), {})
    assert {key: settings[key] for key in PAPER_RECIPES[name]} == PAPER_RECIPES[name]


def test_every_paper_config_has_a_recipe():
    from training.models.config import config_names
    paper = [name for name in config_names() if "lite" not in name]
    assert paper and all("training" in load_config(name) for name in paper), paper


def test_plateau_schedule_halves_the_lr_after_five_epochs_without_a_better_test_top1():
    model = torch.nn.Linear(2, 2)
    settings = train.training_settings(load_config("san-paper"), {})
    optimizer = train.make_optimizer(model, settings)
    scheduler = train.make_scheduler(optimizer, settings)
    lrs = []
    for top1 in [0.5, 0.6, 0.6, 0.6, 0.6, 0.6, 0.6, 0.7]:
        scheduler.step(top1)
        lrs.append(optimizer.param_groups[0]["lr"])
    assert lrs == [0.001] * 6 + [0.0005, 0.0005]  # 0.6 first seen at epoch 2, then 5 epochs without better
