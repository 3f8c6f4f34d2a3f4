"""Detection dropouts, visibility and jitter of a set of tracks (each function takes the list, returns a dict)."""
from __future__ import annotations

import numpy as np

from training.pose_stats.tracks import (
    HIPS, PART_JOINTS, POSTURES, Track, centre, posture, runs, scale_of, still_frames,
)

QUANTILES = np.linspace(0, 1, 11)
OUTSIDE_BANDS = (0.15, 0.3)  # image heights outside the picture: near, farther, far
SMALL_PERSON = 0.4  # landmarks spanning a diagonal under this share of the image height: a small (far) person
AFTER_FALL_MS = 2000.0  # a dropout this soon after the person went from upright to lying counts as "after a fall"


def _quantiles(values) -> list[float] | None:
    return np.quantile(values, QUANTILES).round(4).tolist() if len(values) else None


def _share(count: float, total: float) -> float | None:
    return round(float(count) / total, 5) if total else None


def after_fall(track: Track, posture_index: np.ndarray) -> np.ndarray:
    """Frames within AFTER_FALL_MS of a first lying frame that follows an upright frame by at most 3 s."""
    mask = np.zeros(len(track.t), bool)
    last_upright = -np.inf
    for i in range(len(track.t)):
        if not track.present[i]:
            continue
        if posture_index[i] == 0:
            last_upright = track.t[i]
        elif posture_index[i] == 2 and track.t[i] - last_upright <= 3000:
            mask |= (track.t >= track.t[i]) & (track.t < track.t[i] + AFTER_FALL_MS)
            last_upright = -np.inf
    return mask


def detection(tracks: list[Track]) -> dict:
    """Share of frames with a person; the chance that a gap starts after a detected frame, by that frame's
    posture and the person's size (small: the landmarks' box diagonal under SMALL_PERSON image heights), and just
    after a fall; how long gaps last."""
    frames = sum(len(track.t) for track in tracks)
    detected = sum(int(track.present.sum()) for track in tracks)
    kinds = [f"{p}_{size}" for p in POSTURES for size in ("large", "small")] + list(POSTURES) + ["after_fall"]
    starts, exposure, lengths = dict.fromkeys(kinds, 0), dict.fromkeys(kinds, 0), []
    after_missing, after_frames, per_recording = 0, 0, []
    for track in tracks:
        before = {kind: (starts[kind], exposure[kind]) for kind in kinds}
        index = posture(track)
        fall = after_fall(track, index)
        after_missing += int((fall & ~track.present).sum())
        after_frames += int(fall.sum())
        span = np.ptp(track.image[..., :2], axis=1)
        small = np.hypot(span[:, 0], span[:, 1]) < SMALL_PERSON * track.size[1]
        for i in range(len(track.t) - 1):
            if not track.present[i]:
                continue
            name = POSTURES[index[i]]
            for kind in [name, f"{name}_{'small' if small[i] else 'large'}"] + (["after_fall"] if fall[i] else []):
                exposure[kind] += 1
                starts[kind] += int(not track.present[i + 1])
        for start, length in runs(~track.present):
            if start > 0:  # a recording that opens without a person says nothing about the detector
                lengths.append(length)
        per_recording.append({kind: [starts[kind] - before[kind][0], exposure[kind] - before[kind][1]] for kind in kinds})
    return {
        "frames": frames, "detected_share": _share(detected, frames),
        "gap_start_per_frame": {kind: _share(starts[kind], exposure[kind]) for kind in kinds},
        "detected_frames": exposure,
        "gap_frames": {"count": len(lengths), "quantiles": _quantiles(lengths)},
        "missing_share_after_fall": _share(after_missing, after_frames),
        "by_recording": per_recording,  # per recording: {kind: [gap starts, detected frames]}
    }


def _outside(track: Track) -> np.ndarray:
    """(F,V) distance outside the image in image heights (0 inside)."""
    width, height = track.size
    x, y = track.image[..., 0], track.image[..., 1]
    dx = np.maximum(np.maximum(-x, x - width), 0)
    dy = np.maximum(np.maximum(-y, y - height), 0)
    return np.hypot(dx, dy) / height


def visibility(tracks: list[Track]) -> dict:
    """In-image visibility by part and posture, outside-image visibility by distance, runs below 0.5."""
    values = {p: {part: [] for part in PART_JOINTS} for p in POSTURES}
    outside_values = [[] for _ in range(len(OUTSIDE_BANDS) + 1)]
    low_runs, inside_counts, outside_landmarks, landmarks = [], [], 0, 0
    stays_low, low_frames = 0, 0
    for track in tracks:
        index, distance = posture(track), _outside(track)
        seen = track.present
        vis = track.image[..., 3]
        inside = distance == 0
        for p, name in enumerate(POSTURES):
            frames = seen & (index == p)
            for part, joints in PART_JOINTS.items():
                block, within = vis[frames][:, joints], inside[frames][:, joints]
                values[name][part].extend(block[within].tolist())
        band = np.digitize(distance, OUTSIDE_BANDS)
        for b in range(len(outside_values)):
            outside_values[b].extend(vis[seen][(~inside[seen]) & (band[seen] == b)].tolist())
        outside_landmarks += int((~inside[seen]).sum())
        landmarks += int(inside[seen].size)
        inside_counts.extend(inside[seen].sum(axis=1).tolist())
        for stretch_start, stretch in runs(seen):
            block = (vis[stretch_start:stretch_start + stretch] < 0.5) & inside[stretch_start:stretch_start + stretch]
            stays_low += int((block[1:] & block[:-1]).sum())
            low_frames += int(block[:-1].sum())
            for joint in range(block.shape[1]):
                low_runs.extend(length for start, length in runs(block[:, joint])
                                if start > 0 and start + length < stretch)  # runs cut by the stretch's ends: length unknown
    summary = {name: {part: {"mean": round(float(np.mean(v)), 4) if v else None,
                             "below_half": round(float(np.mean(np.array(v) < 0.5)), 4) if v else None,
                             "quantiles": _quantiles(v)} for part, v in parts.items()} for name, parts in values.items()}
    bands = []
    for b, v in enumerate(outside_values):
        low = 0.0 if b == 0 else OUTSIDE_BANDS[b - 1]
        high = OUTSIDE_BANDS[b] if b < len(OUTSIDE_BANDS) else None
        bands.append({"from": low, "to": high, "n": len(v), "mean": round(float(np.mean(v)), 4) if v else None,
                      "above_half": round(float(np.mean(np.array(v) >= 0.5)), 4) if v else None, "quantiles": _quantiles(v)})
    return {"by_posture": summary, "outside_share": _share(outside_landmarks, landmarks), "outside_by_distance": bands,
            "below_half_run_frames": {"count": len(low_runs), "quantiles": _quantiles(low_runs)},
            "below_half_persistence": _share(stays_low, low_frames),
            "landmarks_in_image": {"min": int(min(inside_counts)) if inside_counts else None,
                                   "p1": float(np.percentile(inside_counts, 1)) if inside_counts else None}}


def _second_differences(points: np.ndarray, lag: int) -> np.ndarray:
    """|p[t] − (p[t−lag] + p[t+lag]) / 2| for the middle frames of points (F, J, D)."""
    return np.linalg.norm(points[lag:-lag] - (points[:-2 * lag] + points[2 * lag:]) / 2, axis=-1)


def jitter(tracks: list[Track], lags=(1, 2)) -> dict:
    """Per part, second differences of visible in-image landmarks over still stretches, in torso lengths, at
    lag 1 and 2 frames (white noise gives the same figure at every lag, smoothed noise or motion more at lag
    2); the same for image depth z (all joints), and the median at lag 1 by frame rate."""
    values = {lag: {part: [] for part in PART_JOINTS} for lag in lags}
    depth, by_rate = [], {}
    for track in tracks:
        scale = scale_of(track)
        width = track.size[0]
        inside = _outside(track) == 0
        rate = "15" if track.fps < 22 else "30"
        for start, length in runs(still_frames(track, scale)):
            block = track.image[start:start + length]
            usable = (block[..., 3] >= 0.5) & inside[start:start + length]
            for lag in lags:
                if length <= 2 * lag:
                    continue
                keep = usable[lag:-lag] & usable[:-2 * lag] & usable[2 * lag:]
                second = _second_differences(block[..., :2], lag) / scale
                for part, joints in PART_JOINTS.items():
                    chosen = second[:, joints][keep[:, joints]].tolist()
                    values[lag][part].extend(chosen)
                    if lag == 1:
                        by_rate.setdefault(rate, []).extend(chosen)
                if lag == 1:
                    z = _second_differences(block[..., 2:3] * width, 1) / scale
                    depth.extend(z[keep].tolist())
    out = {f"lag{lag}": {part: {"median": round(float(np.median(v)), 5) if v else None,
                                "p90": round(float(np.percentile(v, 90)), 5) if v else None, "n": len(v)}
                         for part, v in parts.items()} for lag, parts in values.items()}
    out["depth_lag1_median"] = round(float(np.median(depth)), 5) if depth else None
    out["lag1_median_by_fps"] = {rate: round(float(np.median(v)), 5) for rate, v in sorted(by_rate.items()) if v}
    out["hip_spectrum"] = hip_spectrum(tracks)
    return out


def hip_spectrum(tracks: list[Track]) -> dict | None:
    """Share of the hip centre's power (still stretches of ≥ 16 frames, mean removed) in 0–1, 1–3, 3–6, 6+ Hz."""
    bands, used = np.zeros(4), 0
    for track in tracks:
        scale = scale_of(track)
        for start, length in runs(still_frames(track, scale)):
            if length < 16:
                continue
            hips = centre(track.image[start:start + length], HIPS)[:, :2] / scale
            power = (np.abs(np.fft.rfft(hips - hips.mean(axis=0), axis=0)) ** 2).sum(axis=1)
            freqs = np.fft.rfftfreq(length, 1 / track.fps)
            for band, (low, high) in enumerate(((0.01, 1), (1, 3), (3, 6), (6, 1e9))):
                bands[band] += power[(freqs >= low) & (freqs < high)].sum() / power[1:].sum()
            used += 1
    return {"0-1Hz": round(bands[0] / used, 3), "1-3Hz": round(bands[1] / used, 3), "3-6Hz": round(bands[2] / used, 3),
            "6+Hz": round(bands[3] / used, 3), "stretches": used} if used else None


def upright_share(tracks: list[Track]) -> dict:
    """Share of detected frames per posture (the mix the other figures are averaged over)."""
    counts = np.zeros(len(POSTURES))
    for track in tracks:
        index = posture(track)[track.present]
        counts += np.bincount(index, minlength=len(POSTURES))
    total = counts.sum()
    return {name: _share(counts[i], total) for i, name in enumerate(POSTURES)}

