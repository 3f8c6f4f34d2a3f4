"""Default-model pipeline pieces: body x camera split, model choice, fall metrics, fine-tune and its decision."""
from __future__ import annotations

import json

import numpy as np
import pytest
import torch

from training.data import load_dataset, save_dataset
from training.finetune import decide, main as finetune
from training.models.config import load_config as load_model_config
from training.skeleton import REPO_ROOT
from training.synth.falls import fall_group, fall_metrics
from training.synth.generate import load_config, synthesise
from training.synth.train_default import body_camera_split, pick
from training.train import train

LABELS = json.loads((REPO_ROOT / "training/labels/default.json").read_text())["labels"]


@pytest.fixture(scope="module")
def tiny(tmp_path_factory):
    folder = tmp_path_factory.mktemp("tiny")
    save_dataset(folder / "synth.npz", synthesise(load_config(REPO_ROOT / "training/synth/configs/small.json",
                                                              sequences_per_label=4)).dataset)
    return folder


def test_split_holds_out_people_and_views_entirely(tiny):
    split_file, summary = body_camera_split(tiny / "synth.npz", tiny, every=3)
    dataset = load_dataset(tiny / "synth.npz")
    split = json.loads(split_file.read_text())
    train, test = np.array(split["train"]), np.array(split["test"])
    assert len(test) == summary["test"] > 0 and len(train) == summary["train"] > 0
    assert not set(dataset.subject[train]) & set(dataset.subject[test])
    assert not set(dataset.camera[train]) & set(dataset.camera[test])


def test_the_faster_model_wins_when_accuracy_is_close():
    rows = [{"config": "a", "top1": 0.80, "pytorch_min_ms": 9.0}, {"config": "b", "top1": 0.79, "pytorch_min_ms": 3.0},
            {"config": "c", "top1": 0.60, "pytorch_min_ms": 1.0}]
    assert pick(rows, 0.02)["config"] == "b"
    assert pick(rows, 0.0)["config"] == "a"


def test_fall_metrics_count_any_fall_label_and_fast_negatives():
    fall, sit, bend, lie = (LABELS.index(n) for n in ("falling_forward", "sitting_down", "bending", "lying_down"))
    truth = np.array([fall, fall, sit, sit, bend, lie])
    predicted = np.array([LABELS.index("falling_sideways"), sit, fall, sit, bend, lie])
    context = [{}, {}, {"fast": True}, {"fast": False}, {"fast": True}, {}]
    report = fall_metrics(predicted, truth, LABELS, fall_group(), context)
    assert report["sensitivity"] == 0.5
    assert report["specificity"]["sitting_down (fast)"] == {"samples": 1, "value": 0.0}
    assert report["specificityFallLike"] == 0.75


def test_roll_back_when_falls_are_missed_more_often():
    before = {"top1": 0.7, "sensitivity": 0.9}
    assert decide(before, {"top1": 0.75, "sensitivity": 0.95}, None, None, 0.02)["keep"]
    verdict = decide(before, {"top1": 0.75, "sensitivity": 0.8}, {"top1": 0.8}, {"top1": 0.7}, 0.02)
    assert not verdict["keep"] and len(verdict["reasons"]) == 2


def test_finetune_starts_from_the_checkpoint(tiny, capsys):
    cfg = load_model_config("ttr-lite")
    split = {"split": "cross-subject", "test_subjects": ",".join(str(s) for s in range(0, 10, 3))}
    train(cfg, tiny / "synth.npz", tiny / "base", split, {"epochs": 1, "batch_size": 16})
    # lr 0: the fine-tuned weights are the checkpoint's (BatchNorm statistics aside), so nothing gets worse.
    args = ["--checkpoint", str(tiny / "base" / "last.pt"), "--data", str(tiny / "synth.npz"), "--out", str(tiny / "ft"),
            "--epochs", "1", "--lr", "0", "--batch-size", "16", "--split", "cross-subject", "--test-subjects", "0,3,6,9"]
    assert finetune(args) == 0
    base, tuned = torch.load(tiny / "base" / "last.pt"), torch.load(tiny / "ft" / "last.pt")
    weights = [k for k in base["model"] if k.endswith("weight")]
    assert all(torch.equal(base["model"][k], tuned["model"][k]) for k in weights)
    decision = json.loads((tiny / "ft" / "decision.json").read_text())
    assert decision["before"]["samples"] == decision["after"]["samples"] > 0
    assert finetune(args) == 2  # the folder already holds a run
    assert "already holds a run" in capsys.readouterr().err
