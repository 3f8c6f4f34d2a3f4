"""MediaPipe's imperfections, from the measured behaviour model (src/skeleton/mediapipe-behaviour.json, fitted
by training.pose_stats on real video; docs/real-poses.md). eval/synthetic-mediapipe.ts implements the same
model for the TypeScript synthesiser.

Everything is vectorised over N sequences of T frames and V = 33 landmarks, in image coordinates (x, y ∈ [0,1]
of the image, y down). `scale` is the person's torso length in pixels as if upright at the hips' depth: noise
is measured in torso lengths, so it follows the person's size in the picture.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from math import erf, sqrt

import numpy as np

from training.skeleton import REPO_ROOT, get_layout

BEHAVIOUR_FILE = REPO_ROOT / "src/skeleton/mediapipe-behaviour.json"
BEHAVIOUR = json.loads(BEHAVIOUR_FILE.read_text())
LAYOUT = get_layout("blazepose33")
_INDEX = {name: i for i, name in enumerate(LAYOUT.joints)}
PARTS = {part: [_INDEX[name] for name in names] for part, names in BEHAVIOUR["parts"].items()}
POSTURES = ("upright", "bent", "lying")
HIPS, SHOULDERS = list(LAYOUT.torso_bottom), list(LAYOUT.torso_top)
MIN_PERSON_PIXELS = 100  # platform notes: MediaPipe does not detect people smaller than ~100 px
_normal_cdf = np.vectorize(lambda z: 0.5 * (1 + erf(z / sqrt(2))))


@dataclass
class Frames:
    """What the detector got wrong, per sequence and frame: (N,T) masks."""
    missed: np.ndarray
    flipped: np.ndarray
    swapped: dict[str, np.ndarray]


def _per_joint(table: dict[str, float]) -> np.ndarray:
    out = np.zeros(LAYOUT.num_joints)
    for part, joints in PARTS.items():
        out[joints] = table[part]
    return out


def ar1(rng: np.random.Generator, shape: tuple, rho: float) -> np.ndarray:
    """Unit-variance AR(1) noise along axis 1."""
    white = rng.standard_normal(shape)
    out = np.empty(shape)
    out[:, 0] = white[:, 0]
    for t in range(1, shape[1]):
        out[:, t] = rho * out[:, t - 1] + np.sqrt(1 - rho ** 2) * white[:, t]
    return out


def posture(image: np.ndarray, scale: np.ndarray, size: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(N,T) posture index into POSTURES as training.pose_stats classifies it, and the folded torso angle."""
    settings = BEHAVIOUR["posture"]
    pixels = image[..., :2] * size[:, None, None, :]
    torso = pixels[..., SHOULDERS, :].mean(axis=2) - pixels[..., HIPS, :].mean(axis=2)
    angle = np.degrees(np.arctan2(np.abs(torso[..., 0]), -torso[..., 1]))
    folded = np.nan_to_num(np.minimum(angle, 180 - angle))
    short = np.hypot(torso[..., 0], torso[..., 1]) < settings["foreshortened"] * scale
    upright = (folded <= settings["uprightDegrees"]) & ~short
    return np.where(upright, 0, np.where(folded >= settings["lyingDegrees"], 2, 1)), folded


def add_noise(rng: np.random.Generator, image: np.ndarray, scale: np.ndarray, size: np.ndarray) -> np.ndarray:
    """Per-part jitter (x, y and depth z), AR(1) in time, with the measured heavy tail."""
    model = BEHAVIOUR["noise"]
    n, frames, joints, _ = image.shape
    sd = _per_joint(model["sd"])[None, None, :, None] * scale[..., None, None]
    tail = _per_joint(model["tail"])[None, None, :, None]
    spread = np.exp(tail * rng.standard_normal((n, frames, joints, 1)))
    noise = ar1(rng, (n, frames, joints, 3), model["lag1"]) * spread * sd
    noise[..., 2] *= model["depthSd"] / _per_joint(model["sd"])[None, None, :]
    out = image.copy()
    out[..., 0] += noise[..., 0] / size[:, None, None, 0]
    out[..., 1] += noise[..., 1] / size[:, None, None, 1]
    out[..., 2] += noise[..., 2] / size[:, None, None, 0]  # z is on the scale of x
    return out


def _quantile(table: np.ndarray, u: np.ndarray) -> np.ndarray:
    """Piecewise-linear inverse CDF from 11 quantiles (..., 11) at probabilities u (...)."""
    position = np.clip(u, 0, 1) * (table.shape[-1] - 1)
    low = np.floor(position).astype(int).clip(0, table.shape[-1] - 2)
    weight = position - low
    return np.take_along_axis(table, low[..., None], -1)[..., 0] * (1 - weight) + np.take_along_axis(table, low[..., None] + 1, -1)[..., 0] * weight


def visibility(rng: np.random.Generator, image: np.ndarray, folded: np.ndarray, hidden: np.ndarray, size: np.ndarray) -> np.ndarray:
    """(N,T,V) MediaPipe-like visibility: a smooth latent per landmark through the measured distribution of its
    part, blended from upright to lying by the torso angle; landmarks outside the image take the distribution
    of their distance band; a landmark behind the body has its latent lowered."""
    model = BEHAVIOUR["visibility"]
    n, frames, joints = hidden.shape
    latent = ar1(rng, (n, frames, joints), model["lag1"]) - model["hiddenShift"] * hidden
    u = _normal_cdf(latent)
    upright = np.zeros((joints, 11))
    lying = np.zeros((joints, 11))
    for part, members in PARTS.items():
        upright[members] = model["quantiles"]["upright"][part]
        lying[members] = model["quantiles"]["lying"][part]
    settings = BEHAVIOUR["posture"]
    weight = np.clip((folded - settings["uprightDegrees"]) / (settings["lyingDegrees"] - settings["uprightDegrees"]), 0, 1)[..., None]
    inside = (1 - weight) * _quantile(np.broadcast_to(upright, u.shape + (11,)), u) + weight * _quantile(np.broadcast_to(lying, u.shape + (11,)), u)
    aspect = (size[:, 0] / size[:, 1])[:, None, None]
    dx = np.maximum(np.maximum(-image[..., 0], image[..., 0] - 1), 0) * aspect
    dy = np.maximum(np.maximum(-image[..., 1], image[..., 1] - 1), 0)
    distance = np.hypot(dx, dy)
    band = np.digitize(distance, model["outside"]["bands"])
    outside = _quantile(np.asarray(model["outside"]["quantiles"])[band], u)
    return np.where(distance > 0, outside, inside)


def _runs(rng: np.random.Generator, start_probability: np.ndarray, lengths: list[float]) -> np.ndarray:
    """(N,T) mask of episodes that start with the given per-frame probability and last a number of frames drawn
    from the measured quantiles."""
    n, frames = start_probability.shape
    mask = np.zeros((n, frames), bool)
    starts = rng.random((n, frames)) < start_probability
    duration = np.maximum(1, np.rint(_quantile(np.broadcast_to(np.asarray(lengths, float), (n, frames, 11)), rng.random((n, frames)))))
    for row, frame in zip(*np.nonzero(starts)):
        mask[row, frame:frame + int(duration[row, frame])] = True
    return mask


def sample_errors(rng: np.random.Generator, postures: np.ndarray, small: np.ndarray, fps: float,
                  undetectable: np.ndarray) -> Frames:
    """Detection gaps (by posture, more for small people) on top of the frames the detector cannot see
    (undetectable (N,T)), then left/right swaps and upside-down flips, which start only in detected frames
    (their rates are per minute of detected time)."""
    detection = BEHAVIOUR["detection"]
    gap_start = np.asarray([detection["gapStart"][p] for p in POSTURES])[postures]
    gap_start = np.minimum(0.9, gap_start * np.where(small, detection["smallPersonFactor"], 1.0))
    missed = undetectable | _runs(rng, gap_start, detection["gapFrames"])
    per_frame = ~missed / (60 * fps)
    flip_rate = np.asarray([BEHAVIOUR["flips"]["perMinute"][p] or 0.0 for p in POSTURES])[postures] * per_frame
    flipped = _runs(rng, flip_rate, BEHAVIOUR["flips"]["frames"])
    swapped = {group: _runs(rng, (spec["perMinute"] or 0.0) * per_frame, spec["frames"])
               for group, spec in BEHAVIOUR["swaps"].items()}
    return Frames(missed, flipped, swapped)


def swap_table(group: str) -> np.ndarray:
    """Joint permutation of a swap group: the layout's mirror table limited to the group's joints."""
    joints = BEHAVIOUR["swaps"][group]["joints"]
    table = np.arange(LAYOUT.num_joints)
    for index, name in enumerate(LAYOUT.joints):
        if joints is None or any(name.endswith(f"_{part}") for part in joints):
            table[index] = LAYOUT.mirror[index]
    return table


def apply_errors(points: np.ndarray, errors: Frames, centred: bool = False) -> np.ndarray:
    """Swaps (joints exchanged) and flips (the skeleton turned upside down: x and y reflected through the hip
    centre, or through the origin when `centred`) on landmarks (N,T,V,C); missed frames become all zeros."""
    out = points.copy()
    for group, mask in errors.swapped.items():
        out[mask] = out[mask][:, swap_table(group)]
    hips = 0.0 if centred else out[..., HIPS, :2].mean(axis=2, keepdims=True)
    out[..., :2] = np.where(errors.flipped[..., None, None], 2 * hips - out[..., :2], out[..., :2])
    out[errors.missed] = 0.0
    return out
