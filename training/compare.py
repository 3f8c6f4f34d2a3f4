"""Train and evaluate every model family's lite config on one dataset, split and budget; print and record a table.

    python3 -m training.compare --data DATA.npz [--budget-epochs N] [--configs a,b,...] [--out runs/compare]
        [--split cross-subject --test-subjects 1,2 | --split cross-view --test-cameras 1 | --split file --split-file F]
        [--lr LR --batch-size B --schedule cosine --seed S] [--readme models/README.md | --no-readme]

Each config is trained by `training.train.train` with its own training settings and the same number of epochs
(plus any --lr/--batch-size/--schedule given here, which apply to all), then its *last* checkpoint — not the
best on the test set, which would select on test data — is scored by `training.evaluate.evaluate` on the test
split. Without a split option the test set is every fifth subject of the dataset (cross-subject).
Latency is PyTorch CPU, batch 1, one thread (`training.params.pytorch_latency`); the ONNX Runtime figures come
from the model benchmark in bench/. The table goes to models/README.md between COMPARE_BEGIN and COMPARE_END.
"""
from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

import numpy as np

from training.data import DatasetError, load_dataset
from training.evaluate import evaluate
from training.export import inference_parameters
from training.models import build_model
from training.models.config import config_names, load_config
from training.params import pytorch_latency
from training.skeleton import REPO_ROOT
from training.train import add_split_arguments, split_arguments, train

README = REPO_ROOT / "models" / "README.md"
COMPARE_BEGIN = "<!-- training.compare:begin -->"
COMPARE_END = "<!-- training.compare:end -->"


def lite_configs() -> list[str]:
    """Every config named *-lite or *-lite-VARIANT: the app-sized model of each family (and its variants)."""
    return [name for name in config_names() if name.endswith("-lite") or "-lite-" in name]


def default_split(data_path: Path) -> dict:
    """Cross-subject split with every fifth subject (in id order) as test, so every run of compare agrees."""
    subjects = np.unique(load_dataset(data_path).subject)
    if len(subjects) < 2:
        raise DatasetError(f"{data_path} has {len(subjects)} subject(s); pass a --split that leaves a test set")
    test = subjects[4::5] if len(subjects) >= 5 else subjects[-1:]
    return {"split": "cross-subject", "test_subjects": ",".join(str(int(s)) for s in test)}


def compare_one(config: str, data_path: Path, out: Path, split_args: dict, overrides: dict) -> dict:
    cfg = load_config(config)
    run = out / cfg["name"]
    started = time.monotonic()
    rows = train(cfg, data_path, run, split_args, overrides)
    train_seconds = time.monotonic() - started
    report = evaluate(run / "last.pt", data_path, None, run)
    model = build_model(cfg)
    return {"config": cfg["name"], "family": cfg["family"], "variant": cfg["variant"],
            "parameters": inference_parameters(model, cfg),
            "epochs": rows[-1]["epoch"] if rows else 0, "top1": report["top1"], "top5": report["top5"],
            "test_samples": report["samples"], "train_seconds": round(train_seconds, 1),
            **{f"pytorch_{k}": v for k, v in pytorch_latency(model, cfg).items() if k != "input"}}


def command_options(overrides: dict) -> str:
    """The command-line options that reproduce `overrides`."""
    flags = {"epochs": "--budget-epochs", "lr": "--lr", "batch_size": "--batch-size", "schedule": "--schedule", "seed": "--seed"}
    return " ".join(f"{flags[key]} {value}" for key, value in overrides.items() if value is not None)


def markdown_table(rows: list[dict], data_path: Path, split_args: dict, overrides: dict) -> str:
    split = split_args["split"] + "".join(f", {k} {v}" for k, v in split_args.items() if k != "split" and v)
    settings = ", ".join(f"{k} {v}" for k, v in overrides.items() if v is not None)
    lines = [
        f"Dataset `{data_path.name}`, split {split}; training: {settings} (otherwise each config's own settings);",
        "accuracy of the last epoch's weights on the test split. Latency: PyTorch CPU, batch 1, 1 thread, eval mode "
        "(min / median ms; the machine is shared, so the minimum is the more reliable figure). Parameters: those the "
        "exported model uses (training-only heads such as STST's self-supervision excluded).",
        f"Command: `scripts/python.sh -m training.compare --data {data_path.name} {command_options(overrides)}`"
        f" ({time.strftime('%Y-%m-%d', time.gmtime())}).",
        "",
        "| config | family / variant | parameters | top-1 | top-5 | PyTorch ms (min / median) | training s |",
        "|---|---|---:|---:|---:|---:|---:|",
    ]
    for row in rows:
        lines.append(f"| {row['config']} | {row['family']} / {row['variant']} | {row['parameters']:,} | "
                     f"{row['top1']:.3f} | {row['top5']:.3f} | {row['pytorch_min_ms']:.1f} / {row['pytorch_median_ms']:.1f} | "
                     f"{row['train_seconds']:.0f} |")
    return "\n".join(lines)


def write_between_markers(path: Path, body: str) -> None:
    """Replaces the text between the compare markers in `path`, or appends a section holding them."""
    block = f"{COMPARE_BEGIN}\n{body}\n{COMPARE_END}"
    text = path.read_text() if path.is_file() else ""
    if COMPARE_BEGIN in text and COMPARE_END in text:
        head, rest = text.split(COMPARE_BEGIN, 1)
        text = head + block + rest.split(COMPARE_END, 1)[1]
    else:
        text = text.rstrip("\n") + ("\n\n" if text else "") + "## Lite models compared (`training.compare`)\n\n" + block + "\n"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", required=True, type=Path, help="dataset .npz (training/DATASET.md)")
    parser.add_argument("--budget-epochs", type=int, default=20, help="epochs for every config (default 20)")
    parser.add_argument("--configs", help="comma-separated config names or JSON paths (default: every *-lite config)")
    parser.add_argument("--out", type=Path, default=REPO_ROOT / "runs" / "compare", help="run folders go here")
    parser.add_argument("--lr", type=float)
    parser.add_argument("--batch-size", type=int)
    parser.add_argument("--schedule", choices=("step", "cosine"))
    parser.add_argument("--seed", type=int, help="training seed for every config (default: each config's, else 0)")
    parser.add_argument("--readme", type=Path, default=README, help="file whose compare section gets the table")
    parser.add_argument("--no-readme", action="store_true", help="print the table only")
    add_split_arguments(parser, None)
    args = parser.parse_args(argv)
    if args.budget_epochs < 1:
        parser.error("--budget-epochs must be at least 1")
    names = args.configs.split(",") if args.configs else lite_configs()
    unknown = sorted(n for n in names if n not in config_names() and not Path(n).is_file())
    if unknown:
        parser.error(f"unknown configs {unknown}; known: {config_names()}")
    overrides = {"epochs": args.budget_epochs, "lr": args.lr, "batch_size": args.batch_size, "schedule": args.schedule,
                 "seed": args.seed}
    try:
        split_args = split_arguments(args) if args.split else default_split(args.data)
        rows = []
        for name in names:
            rows.append(compare_one(name, args.data, args.out, split_args, overrides))
            print(json.dumps(rows[-1]), flush=True)
    except (ValueError, FileNotFoundError) as error:
        parser.exit(1, f"error: {error}\n")
    table = markdown_table(rows, args.data, split_args, overrides)
    print(table)
    (args.out / "compare.md").write_text(table + "\n")
    if not args.no_readme:
        write_between_markers(args.readme, table)
        print(f"wrote the table into {args.readme}")


if __name__ == "__main__":
    main()
