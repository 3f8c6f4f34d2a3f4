"""Statistics of real recordings → the MediaPipe behaviour model both synthesisers read
(src/skeleton/mediapipe-behaviour.json; its fields are described in docs/real-poses.md).

Quantities that are not measured directly are found by simulating the model's own noise process with a fixed
seed and matching the measured figure (noise tail and correlation, visibility persistence), so the same
statistics always give the same model.
"""
from __future__ import annotations

import json
import re
from pathlib import Path

import numpy as np

from training.pose_stats.events import SWAP_GROUPS
from training.pose_stats.measures import OUTSIDE_BANDS, SMALL_PERSON
from training.pose_stats.tracks import FORESHORTENED, LYING_DEGREES, PARTS, POSTURES, UPRIGHT_DEGREES

FORMAT = "skeleton-sentinel-mediapipe-behaviour"
SYNTH_SWAP_JOINTS = {  # what a swap of each measured group exchanges in the synthesisers
    "legs": ["knee", "ankle", "heel", "foot_index"],
    "arms": ["elbow", "wrist", "pinky", "index", "thumb"],
    "body": None,  # every left/right pair: the whole skeleton mirrored (front/back confusion)
}
HIDDEN_SHIFT = 0.3  # modelling choice, not measured: a landmark behind the body has its visibility latent lowered by this


def _simulated_second_differences(rho: float, tail: float, dims: int, rng: np.random.Generator) -> np.ndarray:
    """|n[t] − (n[t−1] + n[t+1]) / 2| of the model's noise with unit sd: AR(1) Gaussian (correlation rho) times a
    per-frame log-normal scale exp(tail · z)."""
    frames = 4000
    white = rng.standard_normal((frames, dims))
    noise = np.empty_like(white)
    noise[0] = white[0]
    for t in range(1, frames):
        noise[t] = rho * noise[t - 1] + np.sqrt(1 - rho ** 2) * white[t]
    noise *= np.exp(tail * rng.standard_normal((frames, 1)))
    return np.linalg.norm(noise[1:-1] - (noise[:-2] + noise[2:]) / 2, axis=1)


def noise_lag1(ratio: float) -> float:
    """AR(1) correlation whose second differences at lag 2 are `ratio` times those at lag 1."""
    def model(rho: float) -> float:
        return float(np.sqrt((1.5 - 2 * rho ** 2 + 0.5 * rho ** 4) / (1.5 - 2 * rho + 0.5 * rho ** 2)))
    low, high = 0.0, 0.9
    if ratio <= model(low):
        return 0.0
    for _ in range(40):
        middle = (low + high) / 2
        low, high = (middle, high) if model(middle) < ratio else (low, middle)
    return round(min(low, 0.9), 3)


def fit_noise(jitter: dict) -> dict:
    ratios = [jitter["lag2"][p]["median"] / jitter["lag1"][p]["median"] for p in PARTS
              if jitter["lag1"][p]["median"] and jitter["lag2"][p]["median"]]
    rho = noise_lag1(float(np.median(ratios)))
    tails = np.round(np.arange(0.0, 1.51, 0.02), 2)
    shapes = []
    for tail in tails:
        simulated = _simulated_second_differences(rho, float(tail), 2, np.random.default_rng(0))
        shapes.append((float(np.percentile(simulated, 90) / np.median(simulated)), float(np.median(simulated))))
    sd, tail_of = {}, {}
    for part in PARTS:
        median, p90 = jitter["lag1"][part]["median"], jitter["lag1"][part]["p90"]
        best = int(np.argmin([abs(ratio - p90 / median) for ratio, _ in shapes]))
        tail_of[part] = float(tails[best])
        sd[part] = round(median / shapes[best][1], 5)
    depth_shape = np.median(_simulated_second_differences(rho, tail_of["hips"], 1, np.random.default_rng(1)))
    return {"sd": sd, "tail": tail_of, "lag1": rho, "depthSd": round(jitter["depth_lag1_median"] / float(depth_shape), 5)}


def visibility_lag1(share_low: float, persistence: float) -> float:
    """Correlation of the AR(1) visibility latent that makes a landmark below 0.5 stay so in the next frame
    with the measured probability, for the measured share below 0.5."""
    if not persistence or not share_low:
        return 0.0
    rhos = np.round(np.arange(0.0, 0.99, 0.01), 2)
    white = np.random.default_rng(2).standard_normal((20000, 1))
    threshold = np.quantile(white, share_low)
    latent = np.empty((len(white), len(rhos)))
    latent[0] = white[0]
    for t in range(1, len(white)):
        latent[t] = rhos * latent[t - 1] + np.sqrt(1 - rhos ** 2) * white[t]
    low = latent < threshold
    simulated = (low[1:] & low[:-1]).sum(axis=0) / np.maximum(low[:-1].sum(axis=0), 1)
    return float(rhos[int(np.argmin(np.abs(simulated - persistence)))])


def fit_visibility(visibility: dict) -> dict:
    by_posture = visibility["by_posture"]
    shares = [by_posture[p][part]["below_half"] for p in POSTURES for part in PARTS if by_posture[p][part]["below_half"] is not None]
    bands = visibility["outside_by_distance"]
    return {
        "quantiles": {p: {part: by_posture[p][part]["quantiles"] for part in PARTS} for p in ("upright", "lying")},
        "lag1": visibility_lag1(float(np.mean(shares)) if shares else 0.0, visibility["below_half_persistence"]),
        "hiddenShift": HIDDEN_SHIFT,
        "outside": {"bands": list(OUTSIDE_BANDS), "quantiles": [band["quantiles"] or [0.0] * 11 for band in bands]},
    }


def small_person_factor(detection: dict) -> float:
    """How much likelier a gap is for a small person than for a large one in the same posture: observed gap
    starts of small people over those the large people's rates predict. Small people are rare in a set and
    may come from one clip, so this is the lowest estimate of all that leave one recording out."""
    rates = detection["gap_start_per_frame"]
    estimates = []
    for left_out in range(len(detection["by_recording"])):
        kept = [r for i, r in enumerate(detection["by_recording"]) if i != left_out]
        observed = sum(r[f"{p}_small"][0] for r in kept for p in POSTURES)
        expected = sum(r[f"{p}_small"][1] * (rates[f"{p}_large"] or 0.0) for r in kept for p in POSTURES)
        if expected > 0:
            estimates.append(observed / expected)
    return round(max(1.0, min(estimates)), 3) if estimates else 1.0


def fit_detection(detection: dict, visibility: dict) -> dict:
    rates = detection["gap_start_per_frame"]
    return {
        "gapStart": {p: rates[f"{p}_large"] for p in POSTURES},  # a small person's: times smallPersonFactor
        "smallPerson": SMALL_PERSON,
        "smallPersonFactor": small_person_factor(detection),
        "gapFrames": detection["gap_frames"]["quantiles"],
        "minLandmarksInImage": visibility["landmarks_in_image"]["min"],
    }


def fit_swaps(swaps: dict) -> dict:
    """A whole-body swap also registers as a swap of the legs and of the arms, so the limbs' own rates are
    what is left after the body's."""
    body = swaps["body"]["per_minute"] or 0.0
    return {group: {"perMinute": round(max(0.0, (swaps[group]["per_minute"] or 0.0) - (0.0 if group == "body" else body)), 4),
                    "frames": swaps[group]["frames"] or [1.0] * 11, "joints": SYNTH_SWAP_JOINTS[group]} for group in SWAP_GROUPS}


def build_model(summary: dict, sources: list[str]) -> dict:
    events, world = summary["events"], summary["world"]
    one_sd = 0.6745 * np.sqrt(1.5)  # median |second difference| of unit white noise, one axis
    return {
        "$comment": ("How MediaPipe Pose (the app's pose stage) behaves on real video, read by both synthesisers "
                     "(training/synth/mediapipe.py, eval/synthetic-mediapipe.ts). Written by "
                     "`scripts/python.sh -m training.pose_stats RECORDINGS --fit src/skeleton/mediapipe-behaviour.json`; "
                     "do not edit by hand. Fields and figures: docs/real-poses.md."),
        "format": FORMAT, "version": 1,
        "source": {"sets": [Path(s).name for s in sources], "recordings": summary["recordings"], "minutes": summary["minutes"]},
        "parts": PARTS,
        "posture": {"uprightDegrees": UPRIGHT_DEGREES, "lyingDegrees": LYING_DEGREES, "foreshortened": FORESHORTENED},
        "noise": fit_noise(summary["jitter"]),
        "visibility": fit_visibility(summary["visibility"]),
        "detection": fit_detection(summary["detection"], summary["visibility"]),
        "swaps": fit_swaps(events["swaps"]),
        "flips": {"perMinute": events["flips"]["per_minute_by_posture"], "frames": events["flips"]["frames"] or [1.0] * 11},
        "world": {"axes": "camera", "noiseSd": {axis: round(value / one_sd, 5) for axis, value in world["still_second_difference_m"].items()}},
    }


def write_model(summary: dict, out: Path, sources: list[str]) -> None:
    text = json.dumps(build_model(summary, sources), indent=2, ensure_ascii=False)
    # One line per list of numbers or names, so the file reads as a table.
    text = re.sub(r"\[\s+([^\[\]{}]*?)\s+\]", lambda m: "[" + re.sub(r",\s+", ", ", m.group(1)) + "]", text)
    Path(out).write_text(text + "\n")
