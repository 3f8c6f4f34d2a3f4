"""Train a model config on a dataset (training/DATASET.md).

    python3 -m training.train --config ttr-lite --data DATA.npz [--out runs/NAME] [--epochs N] [--resume]
        [--split cross-subject --test-subjects 1,2 | --split cross-view --test-cameras 1 | --split file --split-file F]

Optimiser: SGD, momentum 0.9, Nesterov, lr 0.1, weight decay 1e-4, batch 32 (ST-TR, DIGEST §1.7); a config may
pick "optimizer": "adam" (SAN; L2 weight decay) or "adamw" instead (lr and weight_decay apply, momentum does not).
Schedule "step" multiplies the lr by gamma at the milestones (ST-TR: ÷10 at 60 and 90 of 120; ST-BLN: at 30 and
40 of 50); "plateau" by gamma once the test top-1 has not improved for `patience` epochs (SAN: halved after 5);
"cosine" (linear warm-up then cosine decay to 0) suits small synthetic datasets better, where the step
schedule's long flat phase overfits. The paper configs carry their paper's recipe in "training".
A config may override any of TRAINING_DEFAULTS in its "training" object; command-line options win.

Writes OUT/last.pt and OUT/best.pt (best test top-1), OUT/metrics.csv and OUT/metrics.jsonl (one row per epoch),
OUT/split.json. A run is deterministic for a seed, and --resume continues from last.pt with the same model,
optimiser, scheduler and RNG state, so an interrupted run ends where an uninterrupted one would.
"""
from __future__ import annotations

import argparse
import csv
import json
import math
import random
import sys
import time
from pathlib import Path

import numpy as np
import torch
from torch import nn

from training.data import DatasetError, WindowDataset, load_dataset, save_split, split_indices
from training.models import build_model
from training.models.config import load_config

TRAINING_DEFAULTS = {
    "optimizer": "sgd",  # sgd | adamw (the attention-only SAN/STST lite models stall under SGD on small data)
    "epochs": 120,
    "batch_size": 32,
    "lr": 0.1,
    "momentum": 0.9,
    "nesterov": True,
    "weight_decay": 1e-4,
    "schedule": "step",  # step | cosine | plateau
    "milestones": [60, 90],
    "gamma": 0.1,
    "patience": 5,  # plateau: the lr is multiplied by gamma after this many epochs without a better test top-1
    "warmup_epochs": 0,
    "augment": {},
    "seed": 0,
}
METRIC_COLUMNS = ("epoch", "lr", "train_loss", "train_top1", "test_loss", "test_top1", "test_top5", "seconds")


def training_settings(cfg: dict, overrides: dict) -> dict:
    settings = dict(TRAINING_DEFAULTS)
    recipe = {k: v for k, v in cfg.get("training", {}).items() if not k.startswith("$")}  # "$source": a note
    unknown = set(recipe) - set(settings)
    if unknown:
        raise ValueError(f"config {cfg['name']!r}: unknown training settings {sorted(unknown)}; known: {sorted(settings)}")
    settings.update(recipe)
    settings.update({k: v for k, v in overrides.items() if v is not None})
    if settings["schedule"] not in ("step", "cosine", "plateau"):
        raise ValueError(f"schedule must be 'step', 'cosine' or 'plateau', got {settings['schedule']!r}")
    if settings["optimizer"] not in ("sgd", "adam", "adamw"):
        raise ValueError(f"optimizer must be 'sgd', 'adam' or 'adamw', got {settings['optimizer']!r}")
    return settings


def make_optimizer(model: nn.Module, settings: dict) -> torch.optim.Optimizer:
    if settings["optimizer"] in ("adam", "adamw"):  # adam: L2 weight decay as in SAN's Adam; adamw: decoupled
        optimizer = torch.optim.Adam if settings["optimizer"] == "adam" else torch.optim.AdamW
        return optimizer(model.parameters(), lr=settings["lr"], weight_decay=settings["weight_decay"])
    return torch.optim.SGD(model.parameters(), lr=settings["lr"], momentum=settings["momentum"],
                           nesterov=settings["nesterov"], weight_decay=settings["weight_decay"])


def lr_factor(settings: dict, epoch: int) -> float:
    """Multiplier of the base lr during `epoch` (0-based)."""
    warmup = settings["warmup_epochs"]
    if epoch < warmup:
        return (epoch + 1) / (warmup + 1)
    if settings["schedule"] == "cosine":
        span = max(settings["epochs"] - warmup, 1)
        return 0.5 * (1 + math.cos(math.pi * (epoch - warmup) / span))
    return settings["gamma"] ** sum(epoch >= m for m in settings["milestones"])


def make_scheduler(optimizer: torch.optim.Optimizer, settings: dict):
    """step / cosine: lr_factor per epoch; plateau (SAN): lr × gamma once the test top-1 has not improved for
    `patience` epochs (torch counts the epochs beyond its patience, hence − 1)."""
    if settings["schedule"] == "plateau":
        return torch.optim.lr_scheduler.ReduceLROnPlateau(optimizer, mode="max", factor=settings["gamma"],
                                                          patience=settings["patience"] - 1)
    return torch.optim.lr_scheduler.LambdaLR(optimizer, lambda epoch: lr_factor(settings, epoch))


def seed_everything(seed: int) -> None:
    random.seed(seed)
    np.random.seed(seed)
    torch.manual_seed(seed)


def rng_state() -> dict:
    return {"python": random.getstate(), "numpy": np.random.get_state(), "torch": torch.get_rng_state()}


def restore_rng(state: dict) -> None:
    random.setstate(state["python"])
    np.random.set_state(state["numpy"])
    torch.set_rng_state(state["torch"])


def topk_correct(logits: torch.Tensor, labels: torch.Tensor, k: int) -> int:
    k = min(k, logits.shape[1])
    return int((logits.topk(k, dim=1).indices == labels[:, None]).any(dim=1).sum())


class Progress:
    """A one-line progress bar on stderr (no tqdm on the Debian image)."""

    def __init__(self, total: int, title: str):
        self.total, self.title, self.start = total, title, time.monotonic()

    def update(self, done: int, note: str = "") -> None:
        width = 24
        filled = int(width * done / max(self.total, 1))
        elapsed = time.monotonic() - self.start
        print(f"\r{self.title} [{'#' * filled}{'.' * (width - filled)}] {done}/{self.total} {elapsed:5.1f}s {note}",
              end="", file=sys.stderr, flush=True)

    def close(self) -> None:
        print(file=sys.stderr, flush=True)


def auxiliary_loss(model: nn.Module, outputs: dict, x: torch.Tensor, y: torch.Tensor, loss_fn) -> torch.Tensor | float:
    """Training-only loss terms some families define: extra classifiers' logits in "aux_logits" (SAN-V3) and
    the weighted self-supervised losses of `model.ssl_losses` when the model has SSL heads (STST)."""
    extra = sum(loss_fn(logits, y) for logits in outputs.get("aux_logits", {}).values())
    if getattr(model, "ssl", None) is not None:
        extra = extra + model.ssl_losses(x)["total"]
    return extra


def run_epoch(model: nn.Module, loader, optimizer=None, title: str = "") -> dict:
    """One pass; trains when an optimizer is given. Returns loss, top-1 and top-5 accuracy."""
    training = optimizer is not None
    model.train(training)
    loss_fn = nn.CrossEntropyLoss()
    total_loss, top1, top5, seen = 0.0, 0, 0, 0
    progress = Progress(len(loader), title)
    with torch.set_grad_enabled(training):
        for step, (x, y) in enumerate(loader, 1):
            outputs = model(x)
            logits = outputs["logits"]
            loss = loss_fn(logits, y)
            if training:
                if "stream_logits" in outputs:  # separately trained streams (2s-ST-TR): each on its own loss
                    loss = sum(loss_fn(stream, y) for stream in outputs["stream_logits"].values())
                loss = loss + auxiliary_loss(model, outputs, x, y, loss_fn)
                optimizer.zero_grad()
                loss.backward()
                optimizer.step()
            total_loss += float(loss) * len(y)
            top1 += topk_correct(logits, y, 1)
            top5 += topk_correct(logits, y, 5)
            seen += len(y)
            progress.update(step, f"loss {total_loss / seen:.4f} top1 {top1 / seen:.3f}")
    progress.close()
    return {"loss": total_loss / max(seen, 1), "top1": top1 / max(seen, 1), "top5": top5 / max(seen, 1)}


def make_loader(dataset: WindowDataset, batch_size: int, shuffle: bool, seed: int, epoch: int):
    # A generator seeded per epoch makes the sample order a function of (seed, epoch) alone, hence resumable.
    generator = torch.Generator().manual_seed(seed * 100_003 + epoch)
    return torch.utils.data.DataLoader(dataset, batch_size=batch_size, shuffle=shuffle, generator=generator,
                                       num_workers=0)


def train(cfg: dict, data_path: Path, out: Path, split_args: dict, overrides: dict, resume: bool = False) -> list[dict]:
    """Runs (or resumes) training; returns the metrics rows of the epochs run in this call."""
    settings = training_settings(cfg, overrides)
    dataset = load_dataset(data_path)
    if len(dataset.labels) != cfg["num_classes"]:
        raise DatasetError(f"{data_path} has {len(dataset.labels)} classes but model {cfg['name']!r} has "
                           f"{cfg['num_classes']} outputs")
    train_idx, test_idx = split_indices(dataset, **split_args)
    out.mkdir(parents=True, exist_ok=True)
    save_split(out / "split.json", train_idx, test_idx)

    seed_everything(settings["seed"])
    model = build_model(cfg)
    optimizer = make_optimizer(model, settings)
    scheduler = make_scheduler(optimizer, settings)
    plateau = settings["schedule"] == "plateau"
    start_epoch, best_top1 = 0, -1.0
    if resume:
        if not (out / "last.pt").is_file():
            raise FileNotFoundError(f"--resume: {out / 'last.pt'} does not exist")
        state = torch.load(out / "last.pt")
        model.load_state_dict(state["model"])
        optimizer.load_state_dict(state["optimizer"])
        scheduler.load_state_dict(state["scheduler"])
        restore_rng(state["rng"])
        start_epoch, best_top1 = state["epoch"], state["best_top1"]

    train_set = WindowDataset(dataset, train_idx, cfg, settings["augment"], settings["seed"], training=True)
    test_set = WindowDataset(dataset, test_idx, cfg)
    rows = []
    for epoch in range(start_epoch, settings["epochs"]):
        started = time.monotonic()
        lr = optimizer.param_groups[0]["lr"]
        train_set.set_epoch(epoch)
        trained = run_epoch(model, make_loader(train_set, settings["batch_size"], True, settings["seed"], epoch),
                            optimizer, f"epoch {epoch + 1}/{settings['epochs']} train")
        if not plateau:
            scheduler.step()
        tested = run_epoch(model, make_loader(test_set, settings["batch_size"], False, settings["seed"], epoch),
                           title=f"epoch {epoch + 1}/{settings['epochs']} test ")
        if plateau:
            scheduler.step(tested["top1"])
        row = {"epoch": epoch + 1, "lr": lr, "train_loss": trained["loss"], "train_top1": trained["top1"],
               "test_loss": tested["loss"], "test_top1": tested["top1"], "test_top5": tested["top5"],
               "seconds": round(time.monotonic() - started, 3)}
        rows.append(row)
        append_metrics(out, row)
        checkpoint = {
            "model": model.state_dict(), "optimizer": optimizer.state_dict(), "scheduler": scheduler.state_dict(),
            "epoch": epoch + 1, "best_top1": max(best_top1, tested["top1"]), "rng": rng_state(),
            "config": cfg, "settings": settings, "labels": dataset.labels, "data": str(data_path), "fps": dataset.fps,
            "split": split_args | {"split_file": str(out / "split.json")}, "metrics": row,
            "date": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        }
        torch.save(checkpoint, out / "last.pt")
        if tested["top1"] > best_top1:
            best_top1 = tested["top1"]
            torch.save(checkpoint, out / "best.pt")
    return rows


def append_metrics(out: Path, row: dict) -> None:
    csv_path = out / "metrics.csv"
    new = not csv_path.exists()
    with csv_path.open("a", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=METRIC_COLUMNS)
        if new:
            writer.writeheader()
        writer.writerow(row)
    with (out / "metrics.jsonl").open("a") as handle:
        handle.write(json.dumps(row) + "\n")


def add_split_arguments(parser: argparse.ArgumentParser, default: str | None, extra_choices: tuple = ()) -> None:
    parser.add_argument("--split", choices=("cross-subject", "cross-view", "file", *extra_choices), default=default)
    parser.add_argument("--test-subjects", help="comma-separated subject ids of the test set (cross-subject)")
    parser.add_argument("--test-cameras", help="comma-separated camera ids of the test set (cross-view)")
    parser.add_argument("--split-file", help="JSON {train: [...], test: [...]} of sample indices (split 'file')")


def split_arguments(args: argparse.Namespace) -> dict:
    return {"split": args.split, "test_subjects": args.test_subjects, "test_cameras": args.test_cameras,
            "split_file": args.split_file}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--config", required=True, help="name in training/configs or a path to a config JSON")
    parser.add_argument("--data", required=True, type=Path, help="dataset .npz (training/DATASET.md)")
    parser.add_argument("--out", type=Path, help="run folder (default runs/CONFIG_NAME)")
    parser.add_argument("--epochs", type=int)
    parser.add_argument("--batch-size", type=int)
    parser.add_argument("--lr", type=float)
    parser.add_argument("--schedule", choices=("step", "cosine"))
    parser.add_argument("--seed", type=int)
    parser.add_argument("--resume", action="store_true", help="continue from OUT/last.pt")
    add_split_arguments(parser, "cross-subject")
    args = parser.parse_args(argv)
    try:
        cfg = load_config(args.config)
        out = args.out or Path("runs") / cfg["name"]
        overrides = {"epochs": args.epochs, "batch_size": args.batch_size, "lr": args.lr,
                     "schedule": args.schedule, "seed": args.seed}
        rows = train(cfg, args.data, out, split_arguments(args), overrides, args.resume)
    except (ValueError, FileNotFoundError) as error:
        parser.exit(1, f"error: {error}\n")
    if rows:
        print(f"{out}: epoch {rows[-1]['epoch']} test top-1 {rows[-1]['test_top1']:.3f}")
    else:
        print(f"{out}: nothing to do, already at the last epoch")


if __name__ == "__main__":
    main()
