"""Model config loading and validation (schema: training/configs/README.md)."""
from __future__ import annotations

import json
from pathlib import Path

from training.preprocess import DEFAULT_PREPROCESS, NORMALISATION_OF, PREPROCESSES
from training.skeleton import FEATURE_CHANNELS, REPO_ROOT, get_layout
from training.skeleton_frames import NORMALISATIONS

CONFIG_DIR = REPO_ROOT / "training" / "configs"
LABELS_DIR = REPO_ROOT / "training" / "labels"
LABELS_PREFIX = "labels:"


def label_names(label_set: str) -> list[str]:
    path = LABELS_DIR / f"{label_set}.json"
    if not path.is_file():
        raise ValueError(f"unknown label set {label_set!r}: {path.relative_to(REPO_ROOT)} does not exist")
    return json.loads(path.read_text())["labels"]


def resolve(cfg: dict) -> dict:
    """A copy of cfg with derived values filled in and checked: `num_classes: "labels:NAME"` becomes the
    number of labels in training/labels/NAME.json; `joints` comes from the layout."""
    cfg = dict(cfg)
    for key in ("name", "family", "variant", "layout", "window", "persons", "features", "num_classes", "widths"):
        if key not in cfg:
            raise ValueError(f"model config {cfg.get('name', '?')!r} lacks {key!r}")
    classes = cfg["num_classes"]
    if isinstance(classes, str):
        if not classes.startswith(LABELS_PREFIX):
            raise ValueError(f"num_classes must be an int or 'labels:NAME', got {classes!r}")
        cfg["num_classes"] = len(label_names(classes[len(LABELS_PREFIX):]))
    cfg["joints"] = get_layout(cfg["layout"]).num_joints
    if cfg["features"] not in FEATURE_CHANNELS:
        raise ValueError(f"unknown features {cfg['features']!r}; known: {sorted(FEATURE_CHANNELS)}")
    expected = FEATURE_CHANNELS[cfg["features"]]
    cfg.setdefault("in_channels", expected)
    if cfg["in_channels"] != expected:
        raise ValueError(f"in_channels {cfg['in_channels']} does not match features {cfg['features']!r} ({expected})")
    strides = cfg.setdefault("strides", [1] * len(cfg["widths"]))
    if len(strides) != len(cfg["widths"]):
        raise ValueError(f"strides has {len(strides)} entries but widths has {len(cfg['widths'])}")
    total = 1
    for stride in strides:
        total *= stride
    if cfg["window"] % total:
        raise ValueError(f"window {cfg['window']} must be a multiple of the total temporal stride {total}")
    preprocess = cfg.get("preprocess", DEFAULT_PREPROCESS)
    if preprocess not in PREPROCESSES:
        raise ValueError(f"preprocess must be one of {', '.join(PREPROCESSES)} (training/preprocess.py), got {preprocess!r}")
    if preprocess in NORMALISATION_OF:
        cfg.setdefault("normalisation", NORMALISATION_OF[preprocess])
    if cfg.get("normalisation", "torso-v1") not in NORMALISATIONS:
        raise ValueError(f"normalisation must be one of {', '.join(NORMALISATIONS)} (docs/skeleton.md), got {cfg['normalisation']!r}")
    if cfg.get("causal") and cfg["family"] in CAUSAL_CONV_FAMILIES:
        if total != 1:
            raise ValueError(f"a causal {cfg['family']} cannot stride in time, got strides {strides}")
        if pooled_frames(cfg) < 1:
            raise ValueError(f"window {cfg['window']} is not longer than the receptive field {receptive_field(cfg)}")
    return cfg


# Families whose "causal" option makes every temporal conv unpadded (training/models/layers.py TemporalConv).
CAUSAL_CONV_FAMILIES = ("st-gcn", "st-bln")


def receptive_field(cfg: dict) -> int:
    """Input frames behind one output position of a causal conv stack: 1 + layers·(K_t − 1)."""
    return 1 + len(cfg["widths"]) * (cfg.get("temporal_kernel", 9) - 1)


def pooled_frames(cfg: dict) -> int:
    """Positions the classifier of a causal conv stack averages over: window − receptive field + 1."""
    return cfg["window"] - receptive_field(cfg) + 1


def load_config(name_or_path: str | Path) -> dict:
    """Load training/configs/NAME.json (or a path) and resolve it."""
    path = Path(name_or_path)
    if not path.suffix:
        path = CONFIG_DIR / f"{name_or_path}.json"
    if not path.is_file():
        raise ValueError(f"model config {str(name_or_path)!r} not found (looked for {path})")
    cfg = json.loads(path.read_text())
    cfg.pop("$comment", None)
    return resolve(cfg)


def config_names() -> list[str]:
    return sorted(p.stem for p in CONFIG_DIR.glob("*.json"))


def temporal_lengths(cfg: dict) -> list[int]:
    """Frames at the output of each layer."""
    lengths, t = [], cfg["window"]
    causal = cfg.get("causal") and cfg["family"] in CAUSAL_CONV_FAMILIES
    for stride in cfg["strides"]:
        t = t - (cfg.get("temporal_kernel", 9) - 1) if causal else t // stride
        lengths.append(t)
    return lengths
