"""Real people in the loop: a model trained on synthetic motion, fine-tuned on real recordings, scored
leave-one-subject-out (docs/real-data.md, models/README.md "Real people").

    scripts/python.sh -m training.real --config stbln-lite --synth data/synth.npz --real data/gmdcsa24.npz \
        --out runs/real/stbln-lite [--base-epochs 10] [--epochs 8] [--real-repeat 6] [--synth-windows 1200] [--export-name NAME]

1. Base: the config trained on the synthetic set (held-out bodies x cameras as its test split, as
   training.synth.train_default does), or --base CHECKPOINT.
2. For every real subject S: the base fine-tuned on --synth-windows of the synthetic training windows plus the real
   windows of the other subjects (repeated --real-repeat times: they are few), scored on S's windows only, and exported as
   OUT/without-S.onnx + .json (what `npm run eval:loso -- … --fold-model 'OUT/without-{subject}.json'` replays).
3. The pooled held-out predictions give the real figures: top-1 against two majority-class baselines (the class
   most frequent in each fold's real training windows, and the class most frequent among all real windows),
   per-class accuracy, confusion matrix, window-level fall sensitivity and precision.
4. Final: the base fine-tuned on every real subject plus the synthetic set, exported with --export-name into
   models/ with both figures in its manifest (metrics: synthetic held-out split; metrics.real: the LOSO figures).
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import numpy as np

from training.data import DatasetError, WindowDataset, load_dataset, save_dataset, save_split
from training.evaluate import classification_metrics, load_checkpoint, plot_confusion, predict
from training.export import export
from training.finetune import seed_run
from training.models.config import load_config
from training.recordings import merge
from training.synth.falls import fall_group
from training.synth.train_default import AUGMENT, body_camera_split
from training.train import train

REAL_DATASET = "GMDCSA24 (Alam et al. 2024, MIT licence): real falls and daily activities of 4 people at home"


def real_subjects(merged, offset: int) -> dict[int, np.ndarray]:
    """Original real subject id → indices of its windows in the merged set (real ids are shifted by `offset`)."""
    real = np.flatnonzero(merged.subject >= offset)
    return {int(s - offset): real[merged.subject[real] == s] for s in np.unique(merged.subject[real])}


def fine_tune(cfg: dict, base: Path, data: Path, train_idx: np.ndarray, test_idx: np.ndarray, out: Path, epochs: int) -> Path:
    out.mkdir(parents=True, exist_ok=True)
    split_file = out / "fold-split.json"
    save_split(split_file, train_idx, test_idx)
    if not (out / "last.pt").exists():
        cfg, overrides = seed_run(base, out, {"epochs": epochs})
    else:
        overrides = dict(load_checkpoint(out / "last.pt")[1]["settings"])
    train(cfg, data, out, {"split": "file", "split_file": str(split_file)}, overrides, resume=True)
    return out / "last.pt"


def window_figures(predicted: np.ndarray, truth: np.ndarray, majority: np.ndarray, labels: list[str]) -> dict:
    falls = [labels.index(name) for name in fall_group() if name in labels]
    said, is_fall = np.isin(predicted, falls), np.isin(truth, falls)
    present = sorted(set(truth.tolist()))
    return {
        "windows": int(len(truth)),
        "top1": float((predicted == truth).mean()),
        # Two baselines: the class most frequent in each fold's real training windows (what a model that learnt
        # nothing but the priors would say), and the class most frequent among all these windows (stronger).
        "majorityBaseline": float((majority == truth).mean()),
        "majorityOfAll": float(np.bincount(truth).max() / len(truth)),
        "perClass": {labels[c]: float((predicted[truth == c] == c).mean()) for c in present},
        "fallSensitivity": float(said[is_fall].mean()) if is_fall.any() else None,
        "fallPrecision": float(is_fall[said].mean()) if said.any() else None,
        "classes": [labels[c] for c in present],
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python3 -m training.real", description=__doc__.splitlines()[0])
    parser.add_argument("--config", required=True)
    parser.add_argument("--synth", required=True, type=Path)
    parser.add_argument("--real", required=True, type=Path, help="training.recordings dataset of the real recordings")
    parser.add_argument("--out", required=True, type=Path)
    parser.add_argument("--base", type=Path, help="synthetic-trained checkpoint to start from (else trained here)")
    parser.add_argument("--base-epochs", type=int, default=10)
    parser.add_argument("--epochs", type=int, default=8, help="fine-tuning epochs")
    parser.add_argument("--real-repeat", type=int, default=6)
    parser.add_argument("--synth-windows", type=int, default=1200,
                        help="synthetic training windows mixed into each fine-tune (a fixed random subset; 0 = all)")
    parser.add_argument("--export-name", help="export the final model as models/NAME (default: no final model)")
    parser.add_argument("--models-dir", type=Path, default=Path("models"))
    args = parser.parse_args(argv)
    try:
        cfg = load_config(args.config)
        synth, real = load_dataset(args.synth), load_dataset(args.real)
        args.out.mkdir(parents=True, exist_ok=True)
        split_file, split = body_camera_split(args.synth, args.out)
        synth_split = json.loads(split_file.read_text())
        merged = merge(synth, real)
        merged_path = args.out / "merged.npz"
        save_dataset(merged_path, merged)
        offset = int(merged.meta["offsets"]["subject"])
        subjects = real_subjects(merged, offset)
        if len(subjects) < 2:
            raise DatasetError(f"{args.real}: leave-one-subject-out needs at least two subjects, found {len(subjects)}")
        base = args.base
        if base is None:
            base = args.out / "base" / "last.pt"
            if not base.exists() or load_checkpoint(base)[1]["epoch"] < args.base_epochs:
                overrides = {"epochs": args.base_epochs, "augment": AUGMENT, "schedule": "cosine", "warmup_epochs": 2}
                train(cfg, args.synth, base.parent, {"split": "file", "split_file": str(split_file)}, overrides,
                      resume=base.exists())
        synth_train, synth_test = np.asarray(synth_split["train"]), np.asarray(synth_split["test"])
        if 0 < args.synth_windows < len(synth_train):
            # The base has seen them all; a subset keeps what it learnt at a fraction of the fine-tuning cost.
            synth_train = np.sort(np.random.default_rng(0).choice(synth_train, args.synth_windows, replace=False))
        predicted, truth, majority, folds = [], [], [], {}
        for subject, held_out in subjects.items():
            others = np.concatenate([idx for s, idx in subjects.items() if s != subject])
            train_idx = np.concatenate([synth_train, np.tile(others, args.real_repeat)])
            checkpoint = fine_tune(cfg, base, merged_path, train_idx, held_out, args.out / f"without-{subject}", args.epochs)
            model, saved = load_checkpoint(checkpoint)
            scores, labels_true = predict(model, WindowDataset(merged, held_out, saved["config"]))
            predicted.append(scores.argmax(axis=1))
            truth.append(labels_true)
            majority.append(np.full(len(held_out), np.bincount(merged.label[others]).argmax()))
            folds[subject] = window_figures(predicted[-1], truth[-1], majority[-1], merged.labels)
            export(cfg, f"without-{subject}", args.out, checkpoint)
            print(f"subject {subject}: top-1 {folds[subject]['top1']:.3f} (majority {folds[subject]['majorityBaseline']:.3f})", flush=True)
        predicted, truth, majority = np.concatenate(predicted), np.concatenate(truth), np.concatenate(majority)
        pooled = window_figures(predicted, truth, majority, merged.labels)
        metrics = classification_metrics(np.eye(len(merged.labels))[predicted], truth, merged.labels)
        present = sorted(set(truth.tolist()) | set(predicted.tolist()))
        confusion = np.asarray(metrics["confusion"])[np.ix_(present, present)]
        plot_confusion(confusion, [merged.labels[c] for c in present], args.out / "loso-confusion.png",
                       f"{cfg['name']}: GMDCSA24 leave-one-subject-out ({len(truth)} windows)")
        report = {"config": cfg["name"], "synthSplit": split, "realRepeat": args.real_repeat, "epochs": args.epochs,
                  "synthWindows": int(len(synth_train)),
                  "baseEpochs": args.base_epochs, "loso": pooled, "folds": folds,
                  "confusion": {"classes": [merged.labels[c] for c in present], "matrix": confusion.tolist()}}
        if args.export_name:
            everyone = np.concatenate(list(subjects.values()))
            # Its test split is the synthetic one: every real window is training data now.
            final = fine_tune(cfg, base, merged_path, np.concatenate([synth_train, np.tile(everyone, args.real_repeat)]),
                              synth_test, args.out / "final", args.epochs)
            manifest = export(cfg, args.export_name, args.models_dir, final)
            manifest["metrics"]["real"] = {"dataset": REAL_DATASET, "protocol": "leave-one-subject-out, fine-tuned without the held-out subject",
                                           **{k: v for k, v in pooled.items() if k != "classes"}}
            manifest["training"]["data"] = f"{manifest['training']['data']}; fine-tuned on {REAL_DATASET}"
            (args.models_dir / f"{args.export_name}.json").write_text(json.dumps(manifest, indent=2) + "\n")
            report["exported"] = str(args.models_dir / f"{args.export_name}.json")
    except (ValueError, FileNotFoundError, KeyError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    (args.out / "report.json").write_text(json.dumps(report, indent=2) + "\n")
    print(json.dumps({"config": cfg["name"], "loso": pooled}, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
