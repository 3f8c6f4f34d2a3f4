"""Fuse separately trained streams into one ONNX model whose scores are the streams' summed softmax scores
(2s-ST-TR: S-TR + T-TR; 2s-ST-BLN: joints + bones stream; any mix of configs with the same input window).

    python3 -m training.ensemble --checkpoints RUN_A/best.pt RUN_B/best.pt --name NAME [--out models/]
        [--data DATA.npz] [--description TEXT]

The streams must agree on layout, window, persons, normalisation, preprocessing, fps and class names. The
ensemble's input carries every channel a stream needs (joints and bones streams: `joints+bones`, C = 6); each
stream reads its own channels. `logits` = log(mean over streams of softmax(stream logits)), so softmax(logits) is
the summed softmax score divided by the number of streams and argmax is the summed score's. Attention and importance
outputs come from the first stream that has them. With --data the fused model is evaluated on the first stream's
test split (its split.json) and the manifest gets those metrics; without it `metrics` is null and every stream's own
metrics are listed under `ensemble`.
"""
from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

import torch
from torch import nn

from training.data import DatasetError, WindowDataset, load_dataset
from training.evaluate import checkpoint_test_indices, classification_metrics, load_checkpoint, predict
from training.export import manifest_metrics, write_model
from training.models.config import resolve
from training.reference import checkpoint_source
from training.skeleton import REPO_ROOT

# Where each feature mode's channels sit in an input of the given features (docs/skeleton.md: joints then bones).
CHANNELS_IN = {
    "joints": {"joints": slice(0, 3)},
    "bones": {"bones": slice(0, 3)},
    "joints+bones": {"joints": slice(0, 3), "bones": slice(3, 6), "joints+bones": slice(0, 6)},
}
# Input properties every stream must share, with the value a config that omits them has.
MUST_AGREE = {"layout": None, "window": None, "persons": None, "joints": None, "normalisation": "torso-v1",
              "preprocess": "torso-v1"}


class Ensemble(nn.Module):
    """Streams on their channels of one input; logits = log of the mean of their softmax scores."""

    def __init__(self, streams: list[nn.Module], configs: list[dict], input_features: str):
        super().__init__()
        self.streams = nn.ModuleList(streams)
        self.channels = [CHANNELS_IN[input_features][cfg["features"]] for cfg in configs]
        self.output_descriptions, self.constant_outputs, taken = {}, set(), set()
        for stream, cfg in zip(streams, configs):
            for key, text in getattr(stream, "output_descriptions", {}).items():
                self.output_descriptions.setdefault(key, f"stream {cfg['name']}: {text}")
            # forward takes each attention output from the first stream that has one: so do its properties
            with torch.no_grad():
                keys = set(stream.eval()(torch.zeros(1, cfg["in_channels"], cfg["window"], cfg["joints"], cfg["persons"])))
            self.constant_outputs |= (keys - taken) & set(getattr(stream, "constant_outputs", ()))
            taken |= keys

    def forward(self, x: torch.Tensor) -> dict:
        probabilities, extra = 0.0, {}
        for stream, channels in zip(self.streams, self.channels):
            out = stream(x if channels == slice(0, x.shape[1]) else x[:, channels])
            probabilities = probabilities + torch.softmax(out["logits"], dim=1)
            for key, value in out.items():
                if key != "logits":
                    extra.setdefault(key, value)
        return {"logits": torch.log((probabilities / len(self.streams)).clamp_min(1e-12)), **extra}


def input_features(features: list[str]) -> str:
    """The smallest feature mode that holds every stream's channels."""
    needed = {part for mode in features for part in mode.split("+")}
    return "+".join(part for part in ("joints", "bones") if part in needed)


def check_compatible(checkpoints: list[dict], paths: list[Path]) -> None:
    first = checkpoints[0]
    for path, checkpoint in zip(paths[1:], checkpoints[1:]):
        for key, default in MUST_AGREE.items():
            ours, theirs = first["config"].get(key, default), checkpoint["config"].get(key, default)
            if ours != theirs:
                raise ValueError(f"{path}: {key} is {theirs!r} but {paths[0]} has {ours!r}; streams must share their input")
        if checkpoint["labels"] != first["labels"]:
            raise ValueError(f"{path}: other class names than {paths[0]}")
        if checkpoint.get("fps") != first.get("fps"):
            raise ValueError(f"{path}: trained at {checkpoint.get('fps')} fps but {paths[0]} at {first.get('fps')}")


def ensemble_config(configs: list[dict], name: str, features: str) -> dict:
    families = {cfg["family"] for cfg in configs}
    base = {key: value for key, value in configs[0].items() if key != "in_channels"}  # resolve() derives it
    return resolve({**base, "name": name, "family": families.pop() if len(families) == 1 else "ensemble",
                    "variant": "ensemble:" + "+".join(cfg["name"] for cfg in configs), "features": features,
                    "description": "ensemble (summed softmax scores) of " + ", ".join(cfg["name"] for cfg in configs)})


def build_ensemble(paths: list[Path], name: str) -> tuple[Ensemble, dict, list[dict]]:
    if len(paths) < 2:
        raise ValueError("an ensemble needs at least two stream checkpoints")
    loaded = [load_checkpoint(path) for path in paths]
    checkpoints = [checkpoint for _, checkpoint in loaded]
    check_compatible(checkpoints, paths)
    configs = [checkpoint["config"] for checkpoint in checkpoints]
    features = input_features([cfg["features"] for cfg in configs])
    model = Ensemble([model for model, _ in loaded], configs, features)
    return model.eval(), ensemble_config(configs, name, features), checkpoints


def evaluate_ensemble(model: Ensemble, cfg: dict, first: dict, data_path: Path) -> dict:
    dataset = load_dataset(data_path)
    if dataset.labels != first["labels"]:
        raise DatasetError(f"{data_path} has other class names than the streams were trained on")
    indices, split = checkpoint_test_indices(first, dataset)
    scores, truth = predict(model, WindowDataset(dataset, indices, cfg))
    report = classification_metrics(scores, truth, dataset.labels)
    return {"dataset": str(data_path), "split": split, "top1": report["top1"], "top5": report["top5"],
            "perClass": report["perClass"]}


def export_ensemble(paths: list[Path], name: str, out_dir: Path, data_path: Path | None = None,
                    description: str | None = None) -> dict:
    """Writes out_dir/NAME.onnx, NAME.parity.json (from the streams' PyTorch models) and NAME.json."""
    model, cfg, checkpoints = build_ensemble([Path(p) for p in paths], name)
    first = checkpoints[0]
    trained = {
        "fps": first.get("fps"),
        "metrics": evaluate_ensemble(model, cfg, first, data_path) if data_path else None,
        "training": {"data": first["data"], "config": " + ".join(f"training/configs/{c['config']['name']}.json"
                                                                 for c in checkpoints),
                     "epochs": max(c["epoch"] for c in checkpoints), "date": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())},
    }
    source = {"kind": "ensemble", "streams": [checkpoint_source(Path(p), None) for p in paths]}
    manifest = write_model(model, cfg, name, out_dir, list(first["labels"]), source, trained, description)
    manifest["ensemble"] = {
        "fusion": "mean of the streams' softmax scores (log taken as logits)",
        "streams": [{"config": c["config"]["name"], "features": c["config"]["features"], "checkpoint": str(p),
                     "epochs": c["epoch"], "metrics": manifest_metrics(Path(p), c)} for p, c in zip(paths, checkpoints)],
    }
    (out_dir / f"{name}.json").write_text(json.dumps(manifest, indent=2) + "\n")
    return manifest


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--checkpoints", nargs="+", required=True, type=Path, help="training.train checkpoints (best.pt)")
    parser.add_argument("--name", required=True, help="base name of OUT/NAME.onnx and NAME.json")
    parser.add_argument("--out", type=Path, default=REPO_ROOT / "models")
    parser.add_argument("--data", type=Path, help="dataset to evaluate the fused model on (first stream's test split)")
    parser.add_argument("--description", help="manifest description (default: the stream names)")
    args = parser.parse_args(argv)
    try:
        manifest = export_ensemble(args.checkpoints, args.name, args.out, args.data, args.description)
    except (ValueError, FileNotFoundError, RuntimeError) as error:
        print(f"error: {error}", file=sys.stderr)
        sys.exit(1)
    print(f"wrote {args.out / (args.name + '.onnx')} ({manifest['parameters']} parameters, "
          f"{len(manifest['ensemble']['streams'])} streams, input {manifest['input']['features']})")


if __name__ == "__main__":
    main()
