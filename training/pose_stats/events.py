"""Short-lived gross errors: left/right swaps of limbs or of the whole body, and upside-down skeletons.

Both are found from frame-to-frame consistency, as no ground truth exists: a swap is a frame where exchanging
left and right of a group brings it much closer to the previous frame; a flip is a frame where the head–feet
axis turns by more than FLIP_DEGREES from the previous detected frame. An episode is such an event followed by
the event that undoes it within MAX_EPISODE frames (its length is known); an unpaired event counts as an episode
of unknown length.
"""
from __future__ import annotations

import numpy as np

from training.pose_stats.tracks import J, POSTURES, Track, centre, posture, scale_of

SWAP_GROUPS = {
    "legs": [("left_knee", "right_knee"), ("left_ankle", "right_ankle")],
    "arms": [("left_elbow", "right_elbow"), ("left_wrist", "right_wrist")],
    "body": [("left_shoulder", "right_shoulder"), ("left_hip", "right_hip")],
}
FLIP_DEGREES = 120.0
MAX_EPISODE = 30
ANKLES = [J["left_ankle"], J["right_ankle"]]


def _swap_events(track: Track, pairs: list[tuple[str, str]], scale: float) -> list[int]:
    left = [J[a] for a, _ in pairs]
    right = [J[b] for _, b in pairs]
    events = []
    for i in range(1, len(track.t)):
        if not (track.present[i] and track.present[i - 1]):
            continue
        now, before = track.image[i, :, :2], track.image[i - 1, :, :2]
        kept = np.linalg.norm(now[left] - before[left], axis=1).sum() + np.linalg.norm(now[right] - before[right], axis=1).sum()
        swapped = np.linalg.norm(now[right] - before[left], axis=1).sum() + np.linalg.norm(now[left] - before[right], axis=1).sum()
        separation = np.linalg.norm(before[left] - before[right], axis=1).mean()
        if separation > 0.15 * scale and swapped < 0.5 * kept and kept > 0.3 * scale * len(pairs):
            events.append(i)
    return events


def _flip_events(track: Track) -> list[int]:
    axis = track.image[:, J["nose"], :2] - centre(track.image, ANKLES)[:, :2]
    angle = np.degrees(np.arctan2(axis[:, 0], -axis[:, 1]))
    detected = np.flatnonzero(track.present)
    return [int(j) for i, j in zip(detected, detected[1:])
            if j - i <= 2 and abs((angle[j] - angle[i] + 180) % 360 - 180) > FLIP_DEGREES]


def _episodes(events: list[int]) -> list[tuple[int, int | None]]:
    """(start frame, length or None) from a sorted event list."""
    out, i = [], 0
    while i < len(events):
        if i + 1 < len(events) and events[i + 1] - events[i] <= MAX_EPISODE:
            out.append((events[i], events[i + 1] - events[i]))
            i += 2
        else:
            out.append((events[i], None))
            i += 1
    return out


def _summary(episodes: list[tuple[int, int | None, int]], minutes_by_posture: np.ndarray) -> dict:
    lengths = [length for _, length, _ in episodes if length is not None]
    per_posture = np.bincount([p for _, _, p in episodes], minlength=len(POSTURES))
    total = minutes_by_posture.sum()
    return {
        "episodes": len(episodes),
        "per_minute": round(len(episodes) / total, 4) if total else None,
        "per_minute_by_posture": {name: (round(per_posture[i] / minutes_by_posture[i], 4) if minutes_by_posture[i] else None)
                                  for i, name in enumerate(POSTURES)},
        "frames": np.quantile(lengths, np.linspace(0, 1, 11)).round(2).tolist() if lengths else None,
        "median_frames": float(np.median(lengths)) if lengths else None,
    }


def _detected_minutes(track: Track, index: np.ndarray) -> np.ndarray:
    frame_minutes = 1 / track.fps / 60
    return np.array([(track.present & (index == p)).sum() * frame_minutes for p in range(len(POSTURES))])


def swaps_and_flips(tracks: list[Track]) -> dict:
    minutes = np.zeros(len(POSTURES))
    swaps = {group: [] for group in SWAP_GROUPS}
    flips = []
    for track in tracks:
        index, scale = posture(track), scale_of(track)
        minutes += _detected_minutes(track, index)
        for group, pairs in SWAP_GROUPS.items():
            swaps[group] += [(s, n, int(index[s - 1])) for s, n in _episodes(_swap_events(track, pairs, scale))]
        flips += [(s, n, int(index[s - 1])) for s, n in _episodes(_flip_events(track))]
    return {"swaps": {group: _summary(found, minutes) for group, found in swaps.items()},
            "flips": _summary(flips, minutes),
            "detected_minutes_by_posture": {name: round(float(minutes[i]), 3) for i, name in enumerate(POSTURES)}}
