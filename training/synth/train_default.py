"""Default model from synthetic data: generate, train the lite T-TR / ST-BLN / ST-GCN, evaluate, pick, export.

    scripts/python.sh -m training.synth.train_default [--config training/synth/configs/default.json]
        [--data data/synth.npz] [--out runs/default] [--epochs 20] [--models ttr-lite,stbln-lite,stgcn-lite]
        [--sequences-per-label N] [--export-name default] [--no-export]

1. Generates the dataset (skipped when --data exists and --regenerate is not given).
2. Split by body AND camera: every fifth body id and every fifth camera id are held out; the test set is the
   windows of a held-out body seen by a held-out camera (unseen person, unseen view); windows with only one of
   the two held out are used for neither, so nothing of the test people or views leaks into training.
3. Trains each model with `training.compare.compare_one` (training.train.train + training.evaluate on the last
   epoch's weights + PyTorch latency) with the domain augmentations below, then scores fall sensitivity and
   specificity against fall-like normal actions (training/synth/falls.py).
4. Picks the default: the highest top-1; a model within --top1-margin of it that is faster wins.
5. Exports it with training.export to models/NAME.onnx + NAME.json; writes OUT/report.json and OUT/report.md.

Run it from the repository root (as `python -m` needs anyway): the default paths are relative to it, and so are
the paths the checkpoints and the exported manifest record.
"""
from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

import numpy as np

from training.compare import compare_one
from training.data import DatasetError, WindowDataset, load_dataset, save_dataset, save_split
from training.evaluate import load_checkpoint, predict
from training.export import export
from training.models.config import load_config as load_model_config
from training.synth.falls import fall_group, fall_metrics
from training.synth.generate import load_config, synthesise

MODELS = ("ttr-lite", "stbln-lite", "stgcn-lite")
# Domain augmentations (training.data.AUGMENTATIONS): view rotation about the vertical axis, body size and
# camera shear, left/right mirror with joint swap, lost joints, whole body parts hidden down to about a dozen
# model joints, MediaPipe's gaps, swaps and flips drawn afresh, slower/faster people.
AUGMENT = {"rotate": {"max_degrees": 30.0}, "scale": True, "shear": True, "mirror": True,
           "joint_dropout": {"p": 0.1}, "part_dropout": True, "mediapipe_errors": {"p": 0.3}, "speed": True}


def body_camera_split(data_path: Path, out: Path, every: int = 5) -> tuple[Path, dict]:
    dataset = load_dataset(data_path)
    bodies, cameras = np.unique(dataset.subject), np.unique(dataset.camera)
    held_bodies, held_cameras = bodies[::every], cameras[::every]
    new_body, new_camera = np.isin(dataset.subject, held_bodies), np.isin(dataset.camera, held_cameras)
    test = np.flatnonzero(new_body & new_camera)
    train = np.flatnonzero(~new_body & ~new_camera)
    if not len(test) or not len(train):
        raise DatasetError(f"{data_path}: holding out every {every}th body and camera leaves an empty train or test set")
    out.mkdir(parents=True, exist_ok=True)
    path = out / "split.json"
    save_split(path, train, test)
    return path, {"heldOutBodies": held_bodies.tolist(), "heldOutCameras": held_cameras.tolist(),
                  "train": int(len(train)), "test": int(len(test))}


def fall_report(checkpoint: Path, data_path: Path, split_file: Path) -> dict:
    model, saved = load_checkpoint(checkpoint)
    dataset = load_dataset(data_path)
    test = np.asarray(json.loads(split_file.read_text())["test"])
    scores, truth = predict(model, WindowDataset(dataset, test, saved["config"]))
    context = dataset.meta.get("context")
    return fall_metrics(scores.argmax(axis=1), truth, dataset.labels, fall_group(),
                        [context[i] for i in test] if context else None)


def pick(rows: list[dict], margin: float) -> dict:
    best = max(row["top1"] for row in rows)
    close = [row for row in rows if row["top1"] >= best - margin]
    return min(close, key=lambda row: row["pytorch_min_ms"])


def markdown(rows: list[dict], chosen: dict, split: dict, data_path: Path, epochs: int) -> str:
    lines = [f"Data `{data_path}` ({split['train']} train / {split['test']} test windows; test = held-out bodies "
             f"x held-out cameras), {epochs} epochs, augmentations {', '.join(AUGMENT)}. "
             f"Default: **{chosen['config']}**.", "",
             "| model | parameters | top-1 | fall sensitivity | specificity vs fall-like | PyTorch ms (min) | training s |",
             "|---|---:|---:|---:|---:|---:|---:|"]
    for row in rows:
        falls = row["falls"]
        fmt = lambda v: "–" if v is None else f"{v:.3f}"  # noqa: E731
        lines.append(f"| {row['config']} | {row['parameters']:,} | {row['top1']:.3f} | {fmt(falls['sensitivity'])} | "
                     f"{fmt(falls['specificityFallLike'])} | {row['pytorch_min_ms']:.1f} | {row['train_seconds']:.0f} |")
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python3 -m training.synth.train_default", description=__doc__.splitlines()[0])
    parser.add_argument("--config", type=Path, default=Path("training/synth/configs/default.json"))
    parser.add_argument("--data", type=Path, default=Path("data/synth.npz"))
    parser.add_argument("--regenerate", action="store_true")
    parser.add_argument("--sequences-per-label", type=int)
    parser.add_argument("--out", type=Path, default=Path("runs/default"))
    parser.add_argument("--models", default=",".join(MODELS))
    parser.add_argument("--epochs", type=int, default=20)
    parser.add_argument("--batch-size", type=int)
    parser.add_argument("--top1-margin", type=float, default=0.02, help="a faster model this close in top-1 wins")
    parser.add_argument("--export-name", default="default")
    parser.add_argument("--models-dir", type=Path, default=Path("models"))
    parser.add_argument("--no-export", action="store_true")
    args = parser.parse_args(argv)
    started = time.monotonic()
    try:
        if args.regenerate or not args.data.is_file():
            config = load_config(args.config, sequences_per_label=args.sequences_per_label)
            args.data.parent.mkdir(parents=True, exist_ok=True)
            save_dataset(args.data, synthesise(config).dataset)
            print(f"generated {args.data} ({time.monotonic() - started:.0f} s)", flush=True)
        split_file, split = body_camera_split(args.data, args.out)
        split_args = {"split": "file", "split_file": str(split_file)}
        overrides = {"epochs": args.epochs, "batch_size": args.batch_size, "augment": AUGMENT, "schedule": "cosine",
                     "warmup_epochs": 2 if args.epochs > 4 else 0}
        rows = []
        for name in args.models.split(","):
            row = compare_one(name, args.data, args.out, split_args, overrides)
            row["falls"] = fall_report(args.out / name / "last.pt", args.data, split_file)
            rows.append(row)
            print(json.dumps(row), flush=True)
        chosen = pick(rows, args.top1_margin)
        exported = None
        if not args.no_export:
            manifest = export(load_model_config(chosen["config"]), args.export_name, args.models_dir,
                              args.out / chosen["config"] / "last.pt")
            exported = str(args.models_dir / f"{args.export_name}.onnx")
            print(f"exported {chosen['config']} as {exported} (top-1 {manifest['metrics']['top1']:.3f})")
    except (ValueError, FileNotFoundError, RuntimeError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    report = {"data": str(args.data), "split": split, "epochs": args.epochs, "augment": AUGMENT, "models": rows,
              "default": chosen["config"], "exported": exported, "seconds": round(time.monotonic() - started)}
    (args.out / "report.json").write_text(json.dumps(report, indent=2) + "\n")
    (args.out / "report.md").write_text(markdown(rows, chosen, split, args.data, args.epochs))
    print((args.out / "report.md").read_text())
    return 0


if __name__ == "__main__":
    sys.exit(main())
