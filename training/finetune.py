"""Fine-tune a trained checkpoint on new data, then keep it or roll back (docs/training-loop.md).

    python3 -m training.finetune --checkpoint runs/default/ttr-lite/last.pt --data data/mixed.npz \
        --out runs/finetune-1 [--epochs 10] [--lr 0.01] [--guard-data data/synth.npz]
        [--split cross-subject --test-subjects 81 | --split file --split-file F]

Training: the run folder is seeded with a last.pt holding the checkpoint's weights at epoch 0 and a fresh
optimiser (lower lr, cosine schedule, the checkpoint's augmentations), and `training.train.train` resumes from
it, so fine-tuning runs the same loop, metrics and checkpoints as training from scratch. --resume continues an
interrupted fine-tune.

Decision: the old and the new weights are scored on the fine-tune data's test split (by default: every window of
the subjects with the highest id, i.e. the last recordings merged) and, with --guard-data, on a second set that
must not get worse (the synthetic test split: forgetting check). The new model is kept when its top-1 on the
new data is not lower, its fall sensitivity is not lower, and its top-1 on the guard set drops by at most
--max-guard-drop. OUT/decision.json records the figures; export the kept checkpoint with training.export.
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import numpy as np
import torch

from training.data import DatasetError, WindowDataset, load_dataset, split_indices
from training.evaluate import load_checkpoint, predict
from training.synth.falls import fall_group, fall_metrics
from training.train import (
    add_split_arguments, lr_factor, rng_state, seed_everything, split_arguments, train, training_settings,
)

FINETUNE_DEFAULTS = {"epochs": 10, "lr": 0.01, "schedule": "cosine", "warmup_epochs": 0}


def seed_run(checkpoint_path: Path, out: Path, overrides: dict) -> tuple[dict, dict]:
    """Writes OUT/last.pt (the checkpoint's weights, epoch 0, fresh optimiser); returns (config, overrides)."""
    model, checkpoint = load_checkpoint(checkpoint_path)
    cfg = checkpoint["config"]
    overrides = {**FINETUNE_DEFAULTS, "augment": checkpoint.get("settings", {}).get("augment", {}),
                 **{k: v for k, v in overrides.items() if v is not None}}
    settings = training_settings(cfg, overrides)
    seed_everything(settings["seed"])
    optimizer = torch.optim.SGD(model.parameters(), lr=settings["lr"], momentum=settings["momentum"],
                                nesterov=settings["nesterov"], weight_decay=settings["weight_decay"])
    scheduler = torch.optim.lr_scheduler.LambdaLR(optimizer, lambda epoch: lr_factor(settings, epoch))
    out.mkdir(parents=True, exist_ok=True)
    torch.save({"model": model.state_dict(), "optimizer": optimizer.state_dict(), "scheduler": scheduler.state_dict(),
                "epoch": 0, "best_top1": -1.0, "rng": rng_state()}, out / "last.pt")
    (out / "init.json").write_text(json.dumps({"init": str(checkpoint_path), "initData": checkpoint.get("data"),
                                               "overrides": overrides}, indent=2) + "\n")
    return cfg, overrides


def score(checkpoint_path: Path, data_path: Path, indices: np.ndarray) -> dict:
    model, checkpoint = load_checkpoint(checkpoint_path)
    dataset = load_dataset(data_path)
    if dataset.labels != checkpoint["labels"]:
        raise DatasetError(f"{data_path} has other class names than {checkpoint_path}")
    scores, truth = predict(model, WindowDataset(dataset, indices, checkpoint["config"]))
    predicted = scores.argmax(axis=1)
    return {"samples": int(len(truth)), "top1": float((predicted == truth).mean()),
            **fall_metrics(predicted, truth, dataset.labels, fall_group())}


def newest_subjects_split(data_path: Path) -> dict:
    """Test = every window of the highest subject id (the recordings appended last by --merge-with)."""
    subjects = np.unique(load_dataset(data_path).subject)
    if len(subjects) < 2:
        raise DatasetError(f"{data_path} has one subject; pass a --split that leaves a test set")
    return {"split": "cross-subject", "test_subjects": str(int(subjects[-1]))}


def decide(before: dict, after: dict, guard_before: dict | None, guard_after: dict | None, max_guard_drop: float) -> dict:
    reasons = []
    if after["top1"] < before["top1"]:
        reasons.append(f"top-1 on the new data fell {before['top1']:.3f} -> {after['top1']:.3f}")
    if before["sensitivity"] is not None and after["sensitivity"] is not None and after["sensitivity"] < before["sensitivity"]:
        reasons.append(f"fall sensitivity fell {before['sensitivity']:.3f} -> {after['sensitivity']:.3f}")
    if guard_before is not None and guard_after["top1"] < guard_before["top1"] - max_guard_drop:
        reasons.append(f"top-1 on the guard set fell {guard_before['top1']:.3f} -> {guard_after['top1']:.3f}")
    return {"keep": not reasons, "reasons": reasons}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python3 -m training.finetune", description=__doc__.splitlines()[0])
    parser.add_argument("--checkpoint", required=True, type=Path, help="training.train checkpoint to start from")
    parser.add_argument("--data", required=True, type=Path, help="fine-tune dataset (e.g. training.recordings --merge-with)")
    parser.add_argument("--out", required=True, type=Path)
    parser.add_argument("--epochs", type=int)
    parser.add_argument("--lr", type=float)
    parser.add_argument("--batch-size", type=int)
    parser.add_argument("--resume", action="store_true", help="continue an interrupted fine-tune in --out")
    parser.add_argument("--guard-data", type=Path, help="dataset whose test split must not get worse (forgetting)")
    parser.add_argument("--max-guard-drop", type=float, default=0.02)
    add_split_arguments(parser, None)
    args = parser.parse_args(argv)
    try:
        split_args = split_arguments(args) if args.split else newest_subjects_split(args.data)
        overrides = {"epochs": args.epochs, "lr": args.lr, "batch_size": args.batch_size}
        if args.resume:
            state = torch.load(args.out / "last.pt")
            if "config" not in state:
                raise ValueError(f"{args.out}: no epoch finished yet; start again without --resume")
            cfg, overrides = state["config"], dict(state["settings"])
        else:
            if (args.out / "last.pt").exists():
                raise ValueError(f"{args.out} already holds a run; use --resume or another --out")
            cfg, overrides = seed_run(args.checkpoint, args.out, overrides)
        train(cfg, args.data, args.out, split_args, overrides, resume=True)
        test = split_indices(load_dataset(args.data), **split_args)[1]
        before, after = score(args.checkpoint, args.data, test), score(args.out / "last.pt", args.data, test)
        guard_before = guard_after = None
        if args.guard_data:
            guard_ckpt = torch.load(args.checkpoint)
            saved = dict(guard_ckpt["split"])
            if saved.get("split_file") and Path(saved["split_file"]).is_file():
                saved["split"] = "file"
            guard_test = split_indices(load_dataset(args.guard_data), **saved)[1]
            guard_before, guard_after = score(args.checkpoint, args.guard_data, guard_test), score(args.out / "last.pt", args.guard_data, guard_test)
    except (ValueError, FileNotFoundError, KeyError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    decision = decide(before, after, guard_before, guard_after, args.max_guard_drop)
    report = {"checkpoint": str(args.checkpoint), "finetuned": str(args.out / "last.pt"), "data": str(args.data),
              "split": split_args, "before": before, "after": after, "guardBefore": guard_before,
              "guardAfter": guard_after, **decision}
    (args.out / "decision.json").write_text(json.dumps(report, indent=2) + "\n")
    print(f"new data top-1 {before['top1']:.3f} -> {after['top1']:.3f}; "
          + (f"guard top-1 {guard_before['top1']:.3f} -> {guard_after['top1']:.3f}; " if guard_before else "")
          + ("KEEP " + str(args.out / "last.pt") if decision["keep"] else "ROLL BACK: " + "; ".join(decision["reasons"])))
    return 0


if __name__ == "__main__":
    sys.exit(main())
