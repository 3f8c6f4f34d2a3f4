"""Test support for test/parity/trained-models.test.ts: trains tiny models for one epoch on a toy dataset and exports
them with training.export, so ONNX Runtime can be checked against a real checkpoint's PyTorch reference.

    scripts/python.sh -m training.tests.tiny_models OUT_DIR

Writes OUT_DIR/tiny-trained.{onnx,json,parity.json} (one ST-GCN) and OUT_DIR/tiny-ensemble.* (training.ensemble of a
joints ST-GCN and a bones ST-BLN stream, so its input is joints+bones), plus OUT_DIR/runs/. Takes seconds.
"""
from __future__ import annotations

import sys
from pathlib import Path

from training import train
from training.data import save_dataset
from training.ensemble import export_ensemble
from training.export import export
from training.models.config import load_config, resolve
from training.tests.datasets import make_dataset

SPLIT = {"split": "cross-subject", "test_subjects": "2", "test_cameras": None, "split_file": None}


def tiny_config(name: str, **changes) -> dict:
    return resolve({**load_config(name), "window": 16, "widths": [8, 16], "strides": [1, 2], **changes})


def train_tiny(cfg: dict, data: Path, run: Path) -> Path:
    train.train(cfg, data, run, SPLIT, {"epochs": 1, "batch_size": 8})
    return run / "best.pt"


def main(argv: list[str] | None = None) -> None:
    out = Path((argv if argv is not None else sys.argv[1:])[0])
    out.mkdir(parents=True, exist_ok=True)
    data = out / "toy.npz"
    save_dataset(data, make_dataset(samples=16, frames=16, classes=15, subjects=2))
    cfg = tiny_config("stgcn-lite")
    joints = train_tiny(cfg, data, out / "runs" / "tiny-trained")
    export(cfg, "tiny-trained", out, checkpoint_path=joints)
    bones = train_tiny(tiny_config("stbln-lite", features="bones"), data, out / "runs" / "tiny-bones")
    export_ensemble([joints, bones], "tiny-ensemble", out)


if __name__ == "__main__":
    main()
