"""`torso-frame-v1`: per-frame (causal) normalisation for streaming models (docs/skeleton.md, "Frame
normalisation"). Every frame is normalised from itself and earlier frames only, so a frame's features never
change when later frames arrive: what a streaming model needs. TypeScript twin: src/skeleton/frame-normalise.ts.
"""
from __future__ import annotations

import json

import numpy as np

from training.skeleton import (
    FEATURE_CHANNELS,
    MIN_TORSO_LENGTH,
    NORMALISATION_METHOD,
    REPO_ROOT,
    VECTORS_PATH,
    UnclassifiableWindow,
    _array,
    features_from_joints,
    window_features,
    window_people,
    write_vectors_main,
)

FRAME_NORMALISATION = "torso-frame-v1"
NORMALISATIONS = (NORMALISATION_METHOD, FRAME_NORMALISATION, "agcn-v1")  # agcn-v1: training/view_normalise.py
FRAME_VECTORS_PATH = REPO_ROOT / "test" / "fixtures" / "frame-vectors.json"


def _last_index(mask: np.ndarray) -> np.ndarray:
    """Along axis 0: index of the latest True at or before each position, −1 before the first."""
    steps = np.arange(mask.shape[0]).reshape((-1,) + (1,) * (mask.ndim - 1))
    return np.maximum.accumulate(np.where(mask, steps, -1), axis=0)


def normalise_frames(person: np.ndarray, layout, min_visibility: float) -> np.ndarray | None:
    """(T, V, 4) canonical → (T, V, 3) per-frame normalised xyz, or None when no frame has a visible torso bottom.

    a. an invisible joint holds its last visible position; one not seen yet takes the frame's torso-bottom centre;
    b. origin: the frame's torso-bottom centre; scale: the frame's torso length |top centre − bottom centre|
       (1 below 1e-6);
    c. a frame without a visible torso bottom repeats the previous normalised frame; before the first frame with
       a visible torso bottom, zeros.
    """
    visible = person[..., 3] >= min_visibility
    bottom_joints, top_joints = list(layout.torso_bottom), list(layout.torso_top)
    bottom_visible = visible[:, bottom_joints].all(axis=1)
    if not bottom_visible.any():
        return None
    last = _last_index(visible)  # (T, V)
    held = np.take_along_axis(person[..., :3].astype(np.float64), np.maximum(last, 0)[..., None], axis=0)
    bottom = person[:, bottom_joints, :3].astype(np.float64).mean(axis=1)  # valid where bottom_visible
    xyz = np.where((last >= 0)[..., None], held, bottom[:, None, :])
    length = np.linalg.norm(xyz[:, top_joints].mean(axis=1) - bottom, axis=1)
    scale = np.where(length >= MIN_TORSO_LENGTH, length, 1.0)
    normalised = (xyz - bottom[:, None, :]) / scale[:, None, None]
    source = _last_index(bottom_visible)  # (T,)
    out = normalised[np.maximum(source, 0)]
    out[source < 0] = 0.0
    return out


def frame_features(raw: np.ndarray, layout_in: str, layout_out: str, features: str,
                   min_visibility: float = 0.5) -> np.ndarray:
    """Raw window (4, T, V_in, M) → float32 (C, T, V_out, M) under torso-frame-v1; an absent slot is zeros.
    Raises UnclassifiableWindow when no slot has a frame with a visible torso bottom."""
    raw, out_layout, people = window_people(raw, layout_in, layout_out, features)
    result = np.zeros((FEATURE_CHANNELS[features], raw.shape[1], out_layout.num_joints, raw.shape[3]), np.float32)
    classified = False
    for slot, person in enumerate(people):
        xyz = normalise_frames(person, out_layout, min_visibility)
        if xyz is None:
            continue
        classified = True
        result[..., slot] = features_from_joints(xyz, out_layout, features).transpose(2, 0, 1)
    if not classified:
        raise UnclassifiableWindow("no person slot of the window has a frame with a visible torso bottom")
    return result


def model_features(raw: np.ndarray, layout_in: str, cfg: dict, min_visibility: float = 0.5) -> np.ndarray:
    """The model input of a raw window under the config's "normalisation" (torso-v1 by default)."""
    from training.view_normalise import view_features  # it builds on training.skeleton like this module

    method = cfg.get("normalisation", NORMALISATION_METHOD)
    if method not in NORMALISATIONS:
        raise ValueError(f"unknown normalisation {method!r}; known: {NORMALISATIONS}")
    normalise = {FRAME_NORMALISATION: frame_features, "agcn-v1": view_features}.get(method, window_features)
    return normalise(raw, layout_in, cfg["layout"], cfg["features"], min_visibility)


def make_vectors() -> dict:
    """torso-frame-v1 features of the raw windows of test/fixtures/skeleton-vectors.json (same cases)."""
    base = json.loads(VECTORS_PATH.read_text())
    cases = []
    for case in base["cases"]:
        raw = np.asarray(case["raw"]["blazepose33"]["data"], np.float64).reshape(case["raw"]["blazepose33"]["shape"])
        feats: dict = {}
        for layout_out in ("ntu25", "blazepose33"):
            feats[layout_out] = {}
            for mode in FEATURE_CHANNELS:
                try:
                    value = frame_features(raw, "blazepose33", layout_out, mode, case["minVisibility"])
                except UnclassifiableWindow:
                    value = None
                feats[layout_out][mode] = _array(value)
        cases.append({"name": case["name"], "minVisibility": case["minVisibility"], "features": feats})
    return {"$comment": f"torso-frame-v1 features (training/skeleton_frames.py) of the 'raw' blazepose33 windows of "
                        f"{VECTORS_PATH.name}, per case name; written by `python3 -m training.skeleton_frames "
                        f"--write-vectors`. Do not edit by hand.", "normalisation": FRAME_NORMALISATION,
            "cases": cases}


def main(argv: list[str] | None = None) -> None:
    write_vectors_main(argv, __doc__.splitlines()[0], FRAME_VECTORS_PATH, make_vectors)


if __name__ == "__main__":
    main()
