"""The papers' preprocessing as selectable pipelines: config and manifest field `preprocess` (docs/skeleton.md,
"Preprocessing pipelines"). A pipeline fits a recorded clip (the dataset's T frames) to the model window and picks
the coordinate normalisation:

| preprocess | clip → window (training / evaluation)                                    | normalisation |
|------------|---------------------------------------------------------------------------|---------------|
| torso-v1   | linear resampling of all T frames onto the window (the default)            | torso-v1 (or the config's torso-frame-v1) |
| 2s-agcn    | ST-TR, ST-BLN: per person, its frames up to the last present one repeated until the window is full (2s-AGCN's "pad null frames by repeating"; leading empty frames dropped first); longer clips keep their first frames | agcn-v1 (spine centre, view rotation; training/view_normalise.py) |
| stst       | STST: the span from the first to the last frame with anyone present resampled to window·150/128 frames, then a window crop: random start when training, centred otherwise | agcn-v1 (a reading: STST builds on DSTA-Net, which reads 2s-AGCN's data) |
| san        | SAN: a crop of that span, ratio U[0.5, 1] at a random start when training, the centred 0.9 otherwise, resized (linear) onto the window | torso-v1 (the paper's text lost its normalisation) |

The live app fills its window from the camera, so there is no clip to fit: it can run torso-v1 and 2s-agcn (whose
fitting leaves a full window unchanged) and refuses stst and san, whose crops and resampling depend on the whole
recorded clip (src/model/manifest.ts).
"""
from __future__ import annotations

import numpy as np

PREPROCESSES = ("torso-v1", "2s-agcn", "stst", "san")
DEFAULT_PREPROCESS = "torso-v1"
NORMALISATION_OF = {"2s-agcn": "agcn-v1", "stst": "agcn-v1", "san": "torso-v1"}
STST_SAMPLED, STST_CROPPED = 150, 128
SAN_TRAIN_CROP = (0.5, 1.0)
SAN_TEST_CROP = 0.9


def resample_frames(raw: np.ndarray, start: float, length: float, frames: int) -> np.ndarray:
    """Linear resampling of the span [start, start + length) of the input frames onto `frames` frames (speed
    change and temporal crop). Visibility is taken from the nearest source frame, not interpolated."""
    total = raw.shape[1]
    positions = np.clip(start + np.arange(frames) * (length / frames), 0, total - 1)
    low = np.floor(positions).astype(int)
    high = np.minimum(low + 1, total - 1)
    weight = (positions - low)[None, :, None, None].astype(raw.dtype)
    out = raw[:, low] * (1 - weight) + raw[:, high] * weight
    out[3] = raw[3, np.rint(positions).astype(int)]
    return out


def present_frames(raw: np.ndarray) -> np.ndarray:
    """(T, M) whether each person slot has any joint with visibility > 0 in each frame."""
    return (raw[3] > 0).any(axis=1)


def repeat_pad(raw: np.ndarray, window: int) -> np.ndarray:
    """2s-AGCN's pre_normalization, per person: when the clip starts without the person, its present frames are
    packed to the front; then its frames up to the last present one (gaps inside kept) are tiled until `window`
    frames; a longer clip keeps its first `window` frames (2s-AGCN's 300-frame buffer)."""
    out = np.zeros(raw.shape[:1] + (window,) + raw.shape[2:], raw.dtype)
    present = present_frames(raw)
    for slot in range(raw.shape[3]):
        frames = np.flatnonzero(present[:, slot])
        if frames.size:
            kept = frames if not present[0, slot] else np.arange(frames[-1] + 1)
            out[..., slot] = raw[..., slot][:, np.resize(kept, window)]  # np.resize repeats the frame list
    return out


def present_span(raw: np.ndarray) -> tuple[int, int]:
    """[first, last + 1) of the frames where anyone is present (the whole clip when nobody is)."""
    frames = np.flatnonzero(present_frames(raw).any(axis=1))
    return (int(frames[0]), int(frames[-1]) + 1) if frames.size else (0, raw.shape[1])


def fit_window(raw: np.ndarray, cfg: dict, rng: np.random.Generator | None = None) -> np.ndarray:
    """A recorded clip (4, T, V, M) → (4, window, V, M) by the config's pipeline; `rng` given = training (random
    crops), None = evaluation (centred crops)."""
    window, method = cfg["window"], cfg.get("preprocess", DEFAULT_PREPROCESS)
    if method == "torso-v1":
        return raw if raw.shape[1] == window else resample_frames(raw, 0.0, raw.shape[1], window)
    if method == "2s-agcn":
        return repeat_pad(raw, window)
    start, end = present_span(raw)
    if method == "stst":
        sampled = round(window * STST_SAMPLED / STST_CROPPED)
        clip = resample_frames(raw, start, end - start, sampled)
        offset = int(rng.integers(0, sampled - window + 1)) if rng is not None else (sampled - window) // 2
        return clip[:, offset:offset + window]
    if method == "san":
        ratio = rng.uniform(*SAN_TRAIN_CROP) if rng is not None else SAN_TEST_CROP
        length = (end - start) * ratio
        offset = rng.uniform(0, end - start - length) if rng is not None else (end - start - length) / 2
        return resample_frames(raw, start + offset, length, window)
    raise ValueError(f"unknown preprocess {method!r}; known: {PREPROCESSES}")
