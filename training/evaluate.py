"""Evaluate a checkpoint: top-1, top-5, per-class accuracy, confusion matrix (PNG) and a JSON report.

    python3 -m training.evaluate --checkpoint runs/NAME/best.pt --data DATA.npz [--split ...] [--out DIR]

Without --split the checkpoint's own test split (its saved split.json, else the split it was trained with) is
evaluated; --split all evaluates every sample.
"""
from __future__ import annotations

import argparse
import json
from pathlib import Path

import matplotlib

matplotlib.use("Agg")  # headless: no display on CI machines
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import torch  # noqa: E402

from training.data import DatasetError, WindowDataset, load_dataset, split_indices  # noqa: E402
from training.models import build_model  # noqa: E402
from training.train import add_split_arguments, split_arguments  # noqa: E402


def classification_metrics(scores: np.ndarray, truth: np.ndarray, class_names: list[str]) -> dict:
    """scores (N, K), truth (N,) → top1, top5, perClass (accuracy of the samples of each class present) and
    confusion [true][predicted] counts."""
    scores, truth = np.asarray(scores), np.asarray(truth)
    classes = len(class_names)
    if scores.shape != (len(truth), classes):
        raise ValueError(f"scores must be (N={len(truth)}, K={classes}), got {scores.shape}")
    predicted = scores.argmax(axis=1)
    top5 = np.argsort(-scores, axis=1, kind="stable")[:, :min(5, classes)]
    confusion = np.zeros((classes, classes), dtype=np.int64)
    np.add.at(confusion, (truth, predicted), 1)
    per_class = {name: float(confusion[k, k] / confusion[k].sum()) for k, name in enumerate(class_names)
                 if confusion[k].sum() > 0}
    return {
        "samples": int(len(truth)),
        "top1": float((predicted == truth).mean()) if len(truth) else 0.0,
        "top5": float((top5 == truth[:, None]).any(axis=1).mean()) if len(truth) else 0.0,
        "perClass": per_class,
        "confusion": confusion.tolist(),
    }


def plot_confusion(confusion: np.ndarray, class_names: list[str], path: Path, title: str) -> None:
    """Row-normalised confusion matrix (rows: true class), counts in the cells."""
    confusion = np.asarray(confusion)
    rows = confusion.sum(axis=1, keepdims=True)
    normalised = np.divide(confusion, rows, out=np.zeros(confusion.shape), where=rows > 0)
    size = max(6.0, 0.45 * len(class_names))
    figure, axes = plt.subplots(figsize=(size + 2, size))
    image = axes.imshow(normalised, cmap="Blues", vmin=0, vmax=1)
    axes.set_xticks(range(len(class_names)), class_names, rotation=90, fontsize=7)
    axes.set_yticks(range(len(class_names)), class_names, fontsize=7)
    axes.set_xlabel("predicted")
    axes.set_ylabel("true")
    axes.set_title(title)
    if len(class_names) <= 30:
        for (i, j), count in np.ndenumerate(confusion):
            if count:
                axes.text(j, i, str(count), ha="center", va="center", fontsize=6,
                          color="white" if normalised[i, j] > 0.5 else "black")
    figure.colorbar(image, ax=axes, fraction=0.046)
    figure.tight_layout()
    figure.savefig(path, dpi=120)
    plt.close(figure)


def predict(model: torch.nn.Module, dataset: WindowDataset, batch_size: int = 64) -> tuple[np.ndarray, np.ndarray]:
    model.eval()
    loader = torch.utils.data.DataLoader(dataset, batch_size=batch_size, shuffle=False)
    scores, truth = [], []
    with torch.no_grad():
        for x, y in loader:
            scores.append(torch.softmax(model(x)["logits"], dim=1).numpy())
            truth.append(y.numpy())
    return np.concatenate(scores), np.concatenate(truth)


def load_checkpoint(path: str | Path) -> tuple[torch.nn.Module, dict]:
    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(f"checkpoint {path} does not exist")
    checkpoint = torch.load(path)
    for key in ("model", "config", "labels"):
        if key not in checkpoint:
            raise ValueError(f"{path} is not a training.train checkpoint (no {key!r})")
    model = build_model(checkpoint["config"])
    model.load_state_dict(checkpoint["model"])
    return model.eval(), checkpoint


def checkpoint_test_indices(checkpoint: dict, dataset) -> tuple[np.ndarray, str]:
    """(test indices, split name) the checkpoint was tested on: its saved split.json when present, else its split."""
    saved = dict(checkpoint["split"])
    split_name = saved["split"]
    if saved.get("split_file") and Path(saved["split_file"]).is_file():
        saved["split"] = "file"  # the exact indices the run was tested on
    return split_indices(dataset, **saved)[1], split_name


def evaluate(checkpoint_path: Path, data_path: Path, split_args: dict | None, out: Path) -> dict:
    model, checkpoint = load_checkpoint(checkpoint_path)
    dataset = load_dataset(data_path)
    if dataset.labels != checkpoint["labels"]:
        raise DatasetError(f"{data_path} has other class names than the checkpoint was trained on")
    if split_args is None:
        indices, split_name = checkpoint_test_indices(checkpoint, dataset)
    elif split_args["split"] == "all":
        indices, split_name = np.arange(len(dataset)), "all"
    else:
        indices, split_name = split_indices(dataset, **split_args)[1], split_args["split"]
    scores, truth = predict(model, WindowDataset(dataset, indices, checkpoint["config"]))
    report = classification_metrics(scores, truth, dataset.labels)
    report = {"checkpoint": str(checkpoint_path), "dataset": str(data_path), "split": split_name,
              "model": checkpoint["config"]["name"], "epoch": checkpoint.get("epoch"), **report}
    out.mkdir(parents=True, exist_ok=True)
    (out / "evaluation.json").write_text(json.dumps(report, indent=2) + "\n")
    plot_confusion(np.array(report["confusion"]), dataset.labels, out / "confusion.png",
                   f"{report['model']} on {data_path.name} ({split_name}): top-1 {report['top1']:.3f}")
    return report


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--checkpoint", required=True, type=Path)
    parser.add_argument("--data", required=True, type=Path)
    parser.add_argument("--out", type=Path, help="report folder (default: beside the checkpoint)")
    add_split_arguments(parser, None, extra_choices=("all",))
    args = parser.parse_args(argv)
    try:
        split_args = split_arguments(args) if args.split else None
        report = evaluate(args.checkpoint, args.data, split_args, args.out or args.checkpoint.parent)
    except (ValueError, FileNotFoundError) as error:
        parser.exit(1, f"error: {error}\n")
    print(f"top-1 {report['top1']:.4f}  top-5 {report['top5']:.4f}  ({report['samples']} samples, split {report['split']})")


if __name__ == "__main__":
    main()
