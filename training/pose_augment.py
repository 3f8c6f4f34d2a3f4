"""Augmentations that make a window look the way MediaPipe fails on real video (training/data.py AUGMENTATIONS):
body parts out of view or hidden, and MediaPipe's measured gross errors (detection gaps, left/right swaps,
upside-down flips) from the behaviour model (src/skeleton/mediapipe-behaviour.json, docs/real-poses.md).
Both work on raw canonical windows (4, T, V, M) [x, y, z, visibility] and return a new array."""
from __future__ import annotations

import numpy as np

from training.skeleton import get_layout
from training.synth.mediapipe import BEHAVIOUR, Frames, apply_errors, sample_errors

# Body regions by joint name, with how many joints of the app's ntu25 input each one feeds: a pose with
# `keep` ntu25 joints left is what the model must still classify.
REGIONS = {
    "left_arm": (("left_elbow", "left_wrist", "left_hand", "left_pinky", "left_index", "left_thumb"), 5),
    "right_arm": (("right_elbow", "right_wrist", "right_hand", "right_pinky", "right_index", "right_thumb"), 5),
    "left_leg": (("left_knee", "left_ankle", "left_heel", "left_foot"), 3),
    "right_leg": (("right_knee", "right_ankle", "right_heel", "right_foot"), 3),
    "head": (("nose", "eye", "ear", "mouth", "head", "neck"), 2),
}
NTU_JOINTS = 25


def _region_joints(layout: str, names: tuple[str, ...]) -> np.ndarray:
    return np.array([i for i, joint in enumerate(get_layout(layout).joints) if any(part in joint for part in names)])


def drop_parts(raw: np.ndarray, layout: str, rng: np.random.Generator, keep_min: int, keep_max: int,
               whole_window: float) -> np.ndarray:
    """Hides whole body regions, in random order, until at most `keep` (keep_min…keep_max) of the model's 25
    joints are left: limbs out of the picture, the far side hidden, the head cut off. For the whole window with
    probability whole_window, else for a span of at least half of it (someone entering or leaving the view)."""
    keep = rng.integers(keep_min, keep_max + 1)
    left, dropped = NTU_JOINTS, []
    for region in rng.permutation(list(REGIONS)):
        if left <= keep:
            break
        dropped.extend(_region_joints(layout, REGIONS[region][0]).tolist())
        left -= REGIONS[region][1]
    frames = raw.shape[1]
    if rng.random() < whole_window:
        span = slice(0, frames)
    else:
        length = int(rng.integers(frames // 2, frames + 1))
        start = int(rng.integers(0, frames - length + 1))
        span = slice(start, start + length)
    out = raw.copy()
    out[3, span][:, dropped] = 0.0
    return out


def mediapipe_errors(raw: np.ndarray, layout: str, rng: np.random.Generator, fps: float) -> np.ndarray:
    """Detection gaps, left/right swaps and upside-down flips drawn afresh from the behaviour model, at the rates
    measured per posture (the posture from the window's own torso angle)."""
    if layout != "blazepose33":
        raise ValueError(f"mediapipe_errors needs blazepose33 windows (MediaPipe's own joints), got {layout!r}")
    people = raw.transpose(3, 1, 2, 0)  # (M, T, V, 4)
    spec = get_layout(layout)
    torso = people[..., list(spec.torso_top), :2].mean(axis=2) - people[..., list(spec.torso_bottom), :2].mean(axis=2)
    angle = np.degrees(np.arctan2(np.abs(torso[..., 0]), torso[..., 1]))  # canonical y is up
    folded = np.minimum(angle, 180 - angle)
    settings = BEHAVIOUR["posture"]
    postures = np.where(folded <= settings["uprightDegrees"], 0, np.where(folded >= settings["lyingDegrees"], 2, 1))
    absent = ~(people[..., 3] > 0).any(axis=2)
    errors: Frames = sample_errors(rng, postures, np.zeros_like(absent), fps, absent)
    out = apply_errors(people, errors)
    out[absent] = people[absent]
    return out.transpose(3, 1, 2, 0).astype(raw.dtype)
