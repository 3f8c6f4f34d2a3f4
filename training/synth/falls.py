"""Fall-detection figures of a classifier's predictions: sensitivity over the fall labels and specificity
against the normal actions that look most like a fall (sitting down fast, lying down on purpose, bending).

A prediction counts as "fall" when it is any label of the label file's "fall" group, so confusing one fall
direction with another is not a miss.
"""
from __future__ import annotations

import json
from pathlib import Path

import numpy as np

from training.skeleton import REPO_ROOT

FALL_LIKE = ("sitting_down", "lying_down", "bending")


def fall_group(label_file: str | Path = REPO_ROOT / "training/labels/default.json") -> list[str]:
    return list(json.loads(Path(label_file).read_text())["groups"]["fall"])


def fall_metrics(predicted: np.ndarray, truth: np.ndarray, labels: list[str], falls: list[str],
                 context: list[dict] | None = None) -> dict:
    """predicted, truth (N,) label indices. With the synthesiser's per-sample context, the fast variants of
    sitting down and bending are scored on their own too (they are the hardest negatives)."""
    predicted, truth = np.asarray(predicted), np.asarray(truth)
    fall_ids = [labels.index(name) for name in falls if name in labels]
    said_fall = np.isin(predicted, fall_ids)
    is_fall = np.isin(truth, fall_ids)
    out = {"fallSamples": int(is_fall.sum()),
           "sensitivity": float(said_fall[is_fall].mean()) if is_fall.any() else None,
           "specificity": {}}
    groups = {name: truth == labels.index(name) for name in FALL_LIKE if name in labels}
    if context is not None:
        fast = np.array([bool(c.get("fast", False)) for c in context])
        for name in ("sitting_down", "bending"):
            if name in groups:
                groups[f"{name} (fast)"] = groups[name] & fast
    for name, members in groups.items():
        if members.any():
            out["specificity"][name] = {"samples": int(members.sum()), "value": float((~said_fall[members]).mean())}
    negatives = np.isin(truth, [labels.index(n) for n in FALL_LIKE if n in labels])
    out["specificityFallLike"] = float((~said_fall[negatives]).mean()) if negatives.any() else None
    return out
