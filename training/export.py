"""Export a model config to ONNX + manifest (docs/model-manifest.md).

    python3 -m training.export --config CONFIG [--checkpoint CKPT | --random-seed 0] --name NAME [--out models/]
        [--labels default] [--window T]

Eval mode, dropout removed, batch norms folded into their conv where possible (training/folding.py), static
input (1, C, T, V, M), opset 17, outputs named as in the manifest. Without a checkpoint the weights are the
fixed random initialisation of --random-seed and the manifest says `trained: false`, `metrics: null`.
A PyTorch reference output on a fixed input goes to NAME.parity.json (training/reference.py) for the ONNX Runtime
parity test. Every exported model's operators are checked against onnxruntime-web's WebGPU operator table
(training/opcheck.py); an unsupported op fails the export.
"""
from __future__ import annotations

import argparse
import copy
import hashlib
import json
import sys
from pathlib import Path

import onnx
import torch
from torch import nn

from training.evaluate import load_checkpoint
from training.folding import fold_batchnorm, remove_dropout
from training.models import build_model
from training.models.config import CONFIG_DIR, LABELS_PREFIX, label_names, load_config, resolve
from training.onnx_graph import clean_graph
from training.opcheck import check_model, format_report
from training.preprocess import DEFAULT_PREPROCESS
from training.reference import checkpoint_source, write_reference
from training.skeleton import NORMALISATION_METHOD, REPO_ROOT

OPSET = 17
INPUT_NAME = "skeleton"
OUTPUT_ORDER = ("logits", "spatial_attention", "joint_importance", "temporal_attention", "frame_importance")
OUTPUT_DESCRIPTIONS = {
    "logits": "class scores before softmax, index = labels",
    "spatial_attention": "last spatial self-attention layer, mean over heads, frames and persons; rows sum to 1",
    "joint_importance": "attention each joint receives in the last spatial attention layer; sums to 1",
    "temporal_attention": "last temporal self-attention layer, mean over heads, joints and persons; rows sum to 1",
    "frame_importance": "attention each input frame receives in the last temporal attention layer; sums to 1",
}
CHANNEL_NAMES = {"joints": ["x", "y", "z"], "bones": ["bone_x", "bone_y", "bone_z"]}
CHANNEL_NAMES["joints+bones"] = CHANNEL_NAMES["joints"] + CHANNEL_NAMES["bones"]
DEFAULT_STRIDE = 8
DEFAULT_FPS = 30.0
MIN_VISIBILITY = 0.5


class NamedOutputs(nn.Module):
    """Turns the model's output dict into a tuple in manifest order (ONNX outputs are positional).

    A temporal attention map over T' < T strided steps is spread onto the T input frames, as the manifest
    promises (T, T): entry (i, j) = A'[i // f, j // f] / f with f = T / T', so rows still sum to 1."""

    def __init__(self, model: nn.Module, keys: list[str], window: int, attended_frames: int | None):
        super().__init__()
        self.model, self.keys = model, keys
        spread, self.factor = None, 1
        if attended_frames is not None and attended_frames != window:
            if window % attended_frames:
                raise ValueError(f"temporal attention over {attended_frames} steps does not divide the window {window}")
            self.factor = window // attended_frames
            spread = torch.kron(torch.eye(attended_frames), torch.ones(1, self.factor))
        self.register_buffer("spread", spread)

    def forward(self, x: torch.Tensor):
        out = self.model(x)
        if self.spread is not None:
            out["temporal_attention"] = self.spread.t() @ out["temporal_attention"] @ self.spread / self.factor
        return tuple(out[key] for key in self.keys)


def config_label_set(config: str) -> str | None:
    """The label set a config names as `num_classes: "labels:NAME"` (resolve() replaces it by a count)."""
    path = Path(config) if Path(config).suffix else CONFIG_DIR / f"{config}.json"
    classes = json.loads(path.read_text()).get("num_classes") if path.is_file() else None
    return classes[len(LABELS_PREFIX):] if isinstance(classes, str) and classes.startswith(LABELS_PREFIX) else None


def resolve_labels(cfg: dict, requested: str | None, checkpoint: dict | None) -> list[str]:
    """Class names: the checkpoint's, else `requested` (a set in training/labels or a JSON path), else the
    config's "labels" (a path); must match num_classes."""
    if checkpoint is not None:
        labels = list(checkpoint["labels"])
    elif requested or cfg.get("labels"):
        source = requested or cfg["labels"]
        path = Path(source) if source.endswith(".json") else None
        if path is not None and not path.is_absolute():
            path = REPO_ROOT / path
        labels = json.loads(path.read_text())["labels"] if path else label_names(source)
        if cfg["num_classes"] < len(labels):  # NTU-60 takes the first 60 of the NTU-120 names
            labels = labels[:cfg["num_classes"]]
    else:
        raise ValueError(f"config {cfg['name']!r} names no label set: pass --labels (e.g. default, ntu120)")
    if len(labels) != cfg["num_classes"]:
        raise ValueError(f"{len(labels)} labels but model {cfg['name']!r} has {cfg['num_classes']} outputs")
    return labels


def finish_onnx(onnx_path: Path):
    """Cleans and checks a freshly exported graph in place; fails on an operator onnxruntime-web's WebGPU lacks."""
    graph = clean_graph(onnx.load(str(onnx_path)))
    onnx.checker.check_model(graph)
    onnx.save(graph, str(onnx_path))
    ops = check_model(onnx_path)
    if ops.unsupported:
        raise RuntimeError(format_report(ops))
    return ops


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def manifest_metrics(checkpoint_path: Path, checkpoint: dict) -> dict:
    """Metrics of a trained checkpoint: training.evaluate's report beside it when present (has per-class
    accuracy), else the last test metrics the trainer stored."""
    report_path = checkpoint_path.parent / "evaluation.json"
    if report_path.is_file():
        report = json.loads(report_path.read_text())
        return {"dataset": report["dataset"], "split": report["split"], "top1": report["top1"],
                "top5": report["top5"], "perClass": report["perClass"]}
    row = checkpoint["metrics"]
    return {"dataset": checkpoint["data"], "split": checkpoint["split"]["split"], "top1": row["test_top1"],
            "top5": row["test_top5"]}


def input_shape(cfg: dict) -> tuple[int, int, int, int, int]:
    return (1, cfg["in_channels"], cfg["window"], cfg["joints"], cfg["persons"])


def inference_parameters(model: nn.Module, cfg: dict) -> int:
    """Parameters the eval-mode forward uses, i.e. those the exported graph holds: training-only heads (STST's
    self-supervision, SAN-V3's per-modality classifiers) get no gradient from the outputs and are not counted."""
    model.eval()
    model.zero_grad(set_to_none=True)
    outputs = model(torch.randn(input_shape(cfg), generator=torch.Generator().manual_seed(0)))
    sum(value.sum() for value in outputs.values()).backward()
    used = sum(p.numel() for p in model.parameters() if p.grad is not None)
    model.zero_grad(set_to_none=True)
    return used


def exportable(model: nn.Module, cfg: dict) -> NamedOutputs:
    """Eval-mode model with manifest-ordered outputs and temporal attention spread to T, unfolded: what the
    ONNX graph must reproduce (the parity tests compare against it)."""
    model.eval()
    with torch.no_grad():
        produced = model(torch.zeros(input_shape(cfg)))
    unknown = set(produced) - set(OUTPUT_ORDER)
    if unknown:
        raise ValueError(f"model {cfg['name']!r} returns outputs the manifest does not know: {sorted(unknown)}")
    keys = [key for key in OUTPUT_ORDER if key in produced]
    attended = produced["temporal_attention"].shape[-1] if "temporal_attention" in produced else None
    return NamedOutputs(model, keys, cfg["window"], attended).eval()


def write_onnx(model: nn.Module, cfg: dict, onnx_path: Path):
    """Dropout removed, BN folded, ONNX written, cleaned, checked. Returns (input shape, {output: tensor} on a
    fixed example input, number of folded BNs, opcheck result)."""
    shape = input_shape(cfg)
    example = torch.randn(shape, generator=torch.Generator().manual_seed(0))
    model = copy.deepcopy(model).eval()
    remove_dropout(model)
    model, folded = fold_batchnorm(model, example)
    wrapper = exportable(model, cfg)
    with torch.no_grad():
        reference = dict(zip(wrapper.keys, wrapper(example)))
    onnx_path.parent.mkdir(parents=True, exist_ok=True)
    torch.onnx.export(wrapper, example, str(onnx_path), opset_version=OPSET,
                      input_names=[INPUT_NAME], output_names=wrapper.keys, do_constant_folding=True)
    return shape, reference, folded, finish_onnx(onnx_path)


def write_model(model: nn.Module, cfg: dict, name: str, out_dir: Path, class_names: list[str], source: dict,
                trained: dict | None = None, description: str | None = None) -> dict:
    """Writes out_dir/NAME.onnx and NAME.parity.json; returns the manifest (not yet written). `source`: where the
    weights came from (training/reference.py); `trained`: {"fps", "metrics", "training"} of trained weights."""
    parameters = inference_parameters(model, cfg)
    onnx_path = out_dir / f"{name}.onnx"
    shape, reference, folded, ops = write_onnx(model, cfg, onnx_path)
    wrapper = exportable(model, cfg)  # unfolded, with its dropout layers (identity in eval): the checkpoint as trained
    parity = write_reference(wrapper, wrapper.keys, INPUT_NAME, shape, onnx_path, source)
    # A model may describe its outputs itself where they are not the usual attention statistics (ST-BLN's CAM).
    descriptions = {**OUTPUT_DESCRIPTIONS, **getattr(model, "output_descriptions", {})}
    return {
        "format": "skeleton-sentinel-model",
        "version": 1,
        "name": name,
        "family": cfg["family"],
        "variant": cfg["variant"],
        "description": description or cfg.get("description", cfg["name"]),
        "trained": trained is not None,
        "onnx": {"file": onnx_path.name, "opset": OPSET, "sha256": sha256(onnx_path)},
        "input": {
            "name": INPUT_NAME,
            "shape": list(shape),
            "layout": cfg["layout"],
            "window": cfg["window"],
            "stride": min(DEFAULT_STRIDE, cfg["window"]),
            "fps": float(trained["fps"]) if trained and trained.get("fps") else DEFAULT_FPS,
            "persons": cfg["persons"],
            "features": cfg["features"],
            "channels": CHANNEL_NAMES[cfg["features"]],
            "normalisation": {"method": cfg.get("normalisation", NORMALISATION_METHOD), "minVisibility": MIN_VISIBILITY},
            "preprocess": cfg.get("preprocess", DEFAULT_PREPROCESS),
        },
        "labels": class_names,
        "outputs": {key: {"name": key, "shape": list(reference[key].shape), "description": descriptions[key],
                          **({"inputDependent": False} if key in getattr(model, "constant_outputs", ()) else {})}
                    for key in reference},
        "parameters": parameters,
        "metrics": trained["metrics"] if trained else None,
        "training": trained["training"] if trained else None,
        "export": {"config": cfg["name"], "seed": source.get("seed"), "foldedBatchNorms": folded,
                   "operators": dict(sorted(ops.counts.items())), "cpuOnlyOnWebGPU": sorted(ops.cpu_only)},
        "parity": parity,
    }


def export(cfg: dict, name: str, out_dir: Path, checkpoint_path: Path | None = None, random_seed: int = 0,
           labels: str | None = None, description: str | None = None, config_path: str | None = None,
           model: nn.Module | None = None) -> dict:
    """Writes out_dir/NAME.onnx and out_dir/NAME.json; returns the manifest. `model`: untrained weights to export
    instead of the seed's initialisation (parity fixtures with randomised statistics)."""
    checkpoint, seeded = None, checkpoint_path is None and model is None
    if checkpoint_path is not None:
        model, checkpoint = load_checkpoint(checkpoint_path)
        if checkpoint["config"]["window"] != cfg["window"] or checkpoint["config"]["name"] != cfg["name"]:
            raise ValueError(f"checkpoint {checkpoint_path} was trained with config "
                             f"{checkpoint['config']['name']!r} (T={checkpoint['config']['window']}), not {cfg['name']!r}")
    elif model is None:
        torch.manual_seed(random_seed)
        model = build_model(cfg)
    class_names = resolve_labels(cfg, labels, checkpoint)
    trained = None if checkpoint is None else {
        "fps": checkpoint.get("fps"), "metrics": manifest_metrics(checkpoint_path, checkpoint),
        "training": {"data": checkpoint["data"], "config": config_path or f"training/configs/{cfg['name']}.json",
                     "epochs": checkpoint["epoch"], "date": checkpoint["date"]}}
    manifest = write_model(model, cfg, name, out_dir, class_names,
                           checkpoint_source(checkpoint_path, random_seed if seeded else None), trained, description)
    from training.streaming import export_streaming, is_streamable  # it builds on this module
    if is_streamable(cfg):
        manifest["streaming"] = export_streaming(model, out_dir / f"{name}.stream.onnx")
    (out_dir / f"{name}.json").write_text(json.dumps(manifest, indent=2) + "\n")
    return manifest


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--config", required=True, help="name in training/configs or a path to a config JSON")
    source = parser.add_mutually_exclusive_group()
    source.add_argument("--checkpoint", type=Path, help="training.train checkpoint (best.pt)")
    source.add_argument("--random-seed", type=int, default=0, help="seed of the fixed random weights (no checkpoint)")
    parser.add_argument("--name", required=True, help="base name of models/NAME.onnx and NAME.json")
    parser.add_argument("--out", type=Path, default=REPO_ROOT / "models")
    parser.add_argument("--labels", help="label set (training/labels/NAME.json) or JSON path; default: the config's")
    parser.add_argument("--window", type=int, help="export at another window length T (e.g. a reduced paper config)")
    args = parser.parse_args(argv)
    try:
        cfg = load_config(args.config)
        if args.window:
            cfg = resolve({**cfg, "window": args.window})
        config_path = args.config if args.config.endswith(".json") else f"{CONFIG_DIR.relative_to(REPO_ROOT)}/{args.config}.json"
        labels = args.labels or config_label_set(args.config)
        manifest = export(cfg, args.name, args.out, args.checkpoint, args.random_seed, labels,
                          config_path=config_path)
    except (ValueError, FileNotFoundError, RuntimeError) as error:
        print(f"error: {error}", file=sys.stderr)
        sys.exit(1)
    print(f"wrote {args.out / (args.name + '.onnx')} ({manifest['parameters']} parameters, "
          f"{manifest['export']['foldedBatchNorms']} batch norms folded, "
          f"outputs {', '.join(manifest['outputs'])}, trained={manifest['trained']})")


if __name__ == "__main__":
    main()
