"""training.real on a tiny synthetic set and a stand-in "real" set of two subjects: every subject is held out once,
its fold model is exported, and the final model's manifest carries the leave-one-subject-out figures."""
from __future__ import annotations

import dataclasses
import json

import numpy as np
import pytest

from training.data import load_dataset, save_dataset
from training.real import main as real_main
from training.skeleton import REPO_ROOT
from training.synth.generate import load_config, synthesise

SMALL = REPO_ROOT / "training/synth/configs/small.json"


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    folder = tmp_path_factory.mktemp("real")
    save_dataset(folder / "synth.npz", synthesise(load_config(SMALL, sequences_per_label=4)).dataset)
    stand_in = synthesise(load_config(SMALL, sequences_per_label=2, seed=99)).dataset
    subjects = np.arange(len(stand_in.label)) % 2
    save_dataset(folder / "real.npz", dataclasses.replace(stand_in, subject=subjects))
    models = folder / "models"
    models.mkdir()
    code = real_main(["--config", "stgcn-lite", "--synth", str(folder / "synth.npz"), "--real", str(folder / "real.npz"),
                      "--out", str(folder / "out"), "--base-epochs", "1", "--epochs", "1", "--real-repeat", "1",
                      "--synth-windows", "20", "--export-name", "final-test", "--models-dir", str(models)])
    return folder, code


def test_every_subject_is_held_out_once_and_its_fold_model_exported(run):
    folder, code = run
    assert code == 0
    report = json.loads((folder / "out/report.json").read_text())
    real = load_dataset(folder / "real.npz")
    assert sorted(report["folds"]) == ["0", "1"]
    assert sum(fold["windows"] for fold in report["folds"].values()) == report["loso"]["windows"] == len(real.label)
    assert report["synthWindows"] == 20
    for subject in (0, 1):
        assert (folder / f"out/without-{subject}.onnx").exists()
        assert json.loads((folder / f"out/without-{subject}.json").read_text())["trained"] is True
    loso = report["loso"]
    assert 0.0 <= loso["top1"] <= 1.0 and 0.0 <= loso["majorityBaseline"] <= 1.0
    assert (folder / "out/loso-confusion.png").exists()


def test_the_final_manifest_carries_the_real_figures(run):
    folder, _ = run
    manifest = json.loads((folder / "models/final-test.json").read_text())
    assert manifest["metrics"]["real"]["protocol"].startswith("leave-one-subject-out")
    assert manifest["metrics"]["real"]["windows"] == len(load_dataset(folder / "real.npz").label)
    assert "GMDCSA24" in manifest["training"]["data"]


def test_one_subject_is_refused(tmp_path):
    stand_in = synthesise(load_config(SMALL, sequences_per_label=1)).dataset
    save_dataset(tmp_path / "synth.npz", stand_in)
    save_dataset(tmp_path / "real.npz", dataclasses.replace(stand_in, subject=np.zeros_like(stand_in.subject)))
    code = real_main(["--config", "stgcn-lite", "--synth", str(tmp_path / "synth.npz"), "--real", str(tmp_path / "real.npz"),
                      "--out", str(tmp_path / "out"), "--base-epochs", "1"])
    assert code == 2
