"""How MediaPipe poses behave: statistics of skeleton recordings, to hold the synthesiser against real video.

    python3 -m training.pose_stats DIR_OR_FILES... [--json] [--label real]

Reads app recordings (docs/recording-format.md, blazepose33) with their image and world landmarks and reports,
per set: detection rate and dropout runs, visibility by body part (upright vs lying), jitter while still (second
differences in torso lengths, and its spectrum), left/right swaps, world-landmark geometry (bone-length
stability, how the world "up" axis relates to the image's), and what happens when the person lies down or is
partly out of view. docs/real-poses.md has the figures for GMDCSA24 next to the synthesiser's.
"""
from __future__ import annotations

import argparse
import json
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from training.skeleton import get_layout

LAYOUT = get_layout("blazepose33")
J = {name: index for index, name in enumerate(LAYOUT.joints)}
PARTS = {
    "face": [J[n] for n in LAYOUT.joints if n.startswith(("nose", "left_eye", "right_eye", "left_ear", "right_ear", "mouth"))],
    "shoulders": [J["left_shoulder"], J["right_shoulder"]],
    "elbows": [J["left_elbow"], J["right_elbow"]],
    "hands": [J[n] for n in ("left_wrist", "right_wrist", "left_pinky", "right_pinky", "left_index", "right_index", "left_thumb", "right_thumb")],
    "hips": [J["left_hip"], J["right_hip"]],
    "knees": [J["left_knee"], J["right_knee"]],
    "feet": [J[n] for n in ("left_ankle", "right_ankle", "left_heel", "right_heel", "left_foot_index", "right_foot_index")],
}
PAIRS = [("left_shoulder", "right_shoulder"), ("left_hip", "right_hip"), ("left_knee", "right_knee"), ("left_ankle", "right_ankle")]
BONES = {"torso": ("shoulders", "hips"), "thigh": ("left_hip", "left_knee"), "shin": ("left_knee", "left_ankle"),
         "upper_arm": ("left_shoulder", "left_elbow")}
LYING_ANGLE = 60.0  # torso this far from vertical in the image counts as lying
UPRIGHT_ANGLE = 25.0


@dataclass
class Track:
    """The first person of every frame of one recording: image (F,33,4) with x,y in pixels, world (F,33,4)."""
    name: str
    t: np.ndarray
    image: np.ndarray
    world: np.ndarray
    present: np.ndarray
    size: tuple[int, int]


def read_track(path: Path) -> Track:
    lines = [line for line in path.read_text().splitlines() if line.strip()]
    header = json.loads(lines[0])
    width, height = header["width"], header["height"]
    t, image, world, present = [], [], [], []
    for line in lines[1:]:
        frame = json.loads(line)
        t.append(frame["t"])
        if frame["people"]:
            person = frame["people"][0]
            image.append(np.asarray(person["landmarks"], float))
            world.append(np.asarray(person.get("world", np.zeros((33, 4))), float))
            present.append(True)
        else:
            image.append(np.zeros((33, 4)))
            world.append(np.zeros((33, 4)))
            present.append(False)
    image, world = np.stack(image), np.stack(world)
    image[..., 0] *= width
    image[..., 1] *= height
    return Track(str(path), np.asarray(t), image, world, np.asarray(present), (width, height))


def recordings(paths: list[str]) -> list[Path]:
    found: list[Path] = []
    for item in paths:
        path = Path(item)
        found.extend(sorted(path.rglob("*.jsonl")) if path.is_dir() else [path])
    return found


def _centre(points: np.ndarray, part: list[int]) -> np.ndarray:
    return points[:, part, :3].mean(axis=1)


def torso_angle(track: Track) -> np.ndarray:
    """Image torso angle from vertical (degrees) per frame; nan where absent."""
    top, bottom = _centre(track.image, PARTS["shoulders"]), _centre(track.image, PARTS["hips"])
    vector = top - bottom
    angle = np.degrees(np.arctan2(np.abs(vector[:, 0]), -vector[:, 1]))
    return np.where(track.present, angle, np.nan)


def torso_length(track: Track) -> np.ndarray:
    top, bottom = _centre(track.image, PARTS["shoulders"]), _centre(track.image, PARTS["hips"])
    return np.where(track.present, np.hypot(*(top - bottom)[:, :2].T), np.nan)


def runs(mask: np.ndarray) -> list[int]:
    """Lengths of the runs of True."""
    lengths, count = [], 0
    for value in mask:
        if value:
            count += 1
        elif count:
            lengths.append(count)
            count = 0
    if count:
        lengths.append(count)
    return lengths


def still_frames(track: Track, scale: np.ndarray) -> np.ndarray:
    """Frames whose trunk moved less than 0.05 torso lengths over ±5 frames: jitter there is noise, not motion."""
    trunk = _centre(track.image, PARTS["shoulders"] + PARTS["hips"])[:, :2]
    still = np.zeros(len(trunk), bool)
    for i in range(5, len(trunk) - 5):
        window = slice(i - 5, i + 6)
        if track.present[window].all():
            spread = np.ptp(trunk[window], axis=0).max() / scale[i]
            still[i] = spread < 0.05
    return still


def jitter(track: Track) -> dict[str, list[float]]:
    """|x[t] − (x[t−1] + x[t+1]) / 2| in torso lengths, per part, over still frames with visible joints."""
    scale = np.nanmedian(torso_length(track))
    still = still_frames(track, np.full(len(track.t), scale))
    out: dict[str, list[float]] = {}
    for part, joints in PARTS.items():
        values = []
        for i in np.flatnonzero(still):
            if i == 0 or i == len(track.t) - 1:
                continue
            xy = track.image[i - 1:i + 2][:, joints]
            visible = (xy[..., 3] >= 0.5).all(axis=0)
            second = np.hypot(*(xy[1, :, :2] - (xy[0, :, :2] + xy[2, :, :2]) / 2).T) / scale
            values.extend(second[visible].tolist())
        out[part] = values
    return out


def swaps(track: Track) -> int:
    """Frames where exchanging left and right of a visible pair moves it much closer to the previous frame."""
    count = 0
    scale = np.nanmedian(torso_length(track))
    for i in range(1, len(track.t)):
        if not (track.present[i] and track.present[i - 1]):
            continue
        for left, right in PAIRS[2:]:
            a, b = track.image[i, [J[left], J[right]], :2], track.image[i - 1, [J[left], J[right]], :2]
            kept = np.linalg.norm(a - b, axis=1).sum()
            swapped = np.linalg.norm(a[::-1] - b, axis=1).sum()
            separation = np.linalg.norm(b[0] - b[1])
            if separation > 0.15 * scale and swapped < 0.5 * kept and kept > 0.3 * scale:
                count += 1
    return count


def world_geometry(track: Track, upright: np.ndarray) -> dict[str, float]:
    """Bone-length stability (coefficient of variation) and the world torso direction while upright."""
    world = track.world
    result: dict[str, float] = {}
    for bone, (a, b) in BONES.items():
        pa = world[:, PARTS[a], :3].mean(axis=1) if a in PARTS else world[:, J[a], :3]
        pb = world[:, PARTS[b], :3].mean(axis=1) if b in PARTS else world[:, J[b], :3]
        length = np.linalg.norm(pa - pb, axis=1)[track.present]
        if len(length) > 2:
            result[f"{bone}_m"] = float(np.median(length))
            result[f"{bone}_cv"] = float(np.std(length) / np.mean(length))
    torso = world[:, PARTS["shoulders"], :3].mean(axis=1) - world[:, PARTS["hips"], :3].mean(axis=1)
    if upright.any():
        unit = torso[upright] / np.linalg.norm(torso[upright], axis=1, keepdims=True)
        # world y points down (camera axes): an upright torso is (0, −1, 0) if the camera is level.
        result["upright_world_tilt_deg"] = float(np.degrees(np.arccos(np.clip(-unit[:, 1], -1, 1))).mean())
        result["upright_world_pitch_deg"] = float(np.degrees(np.arctan2(unit[:, 2], -unit[:, 1])).mean())
    return result


def spectrum(track: Track, fps: float) -> np.ndarray | None:
    """Power of the hip-centre position (torso lengths) in bands 0–1, 1–3, 3–6, 6+ Hz over still stretches."""
    scale = np.nanmedian(torso_length(track))
    still = still_frames(track, np.full(len(track.t), scale))
    bands = np.zeros(4)
    used = 0
    for start, length in _run_starts(still):
        if length < 16:
            continue
        hips = _centre(track.image[start:start + length], PARTS["hips"])[:, :2] / scale
        hips -= hips.mean(axis=0)
        power = (np.abs(np.fft.rfft(hips, axis=0)) ** 2).sum(axis=1) / length
        freqs = np.fft.rfftfreq(length, 1 / fps)
        for band, (low, high) in enumerate(((0.01, 1), (1, 3), (3, 6), (6, 1e9))):
            bands[band] += power[(freqs >= low) & (freqs < high)].sum()
        used += 1
    return bands / used if used else None


def _run_starts(mask: np.ndarray):
    start = None
    for i, value in enumerate(list(mask) + [False]):
        if value and start is None:
            start = i
        elif not value and start is not None:
            yield start, i - start
            start = None


def describe(paths: list[Path]) -> dict:
    tracks = [read_track(path) for path in paths]
    frames = sum(len(track.t) for track in tracks)
    present = sum(int(track.present.sum()) for track in tracks)
    gaps = [length for track in tracks for length in runs(~track.present)]
    vis = {"upright": {p: [] for p in PARTS}, "lying": {p: [] for p in PARTS}}
    jit = {p: [] for p in PARTS}
    geometry, bands, swap_count, outside = [], [], 0, []
    for track in tracks:
        angle = torso_angle(track)
        upright, lying = angle <= UPRIGHT_ANGLE, angle >= LYING_ANGLE
        for posture, mask in (("upright", upright), ("lying", lying)):
            for part, joints in PARTS.items():
                vis[posture][part].extend(track.image[mask][:, joints, 3].ravel().tolist())
        for part, values in jitter(track).items():
            jit[part].extend(values)
        swap_count += swaps(track)
        geometry.append(world_geometry(track, upright))
        fps = (len(track.t) - 1) * 1000 / (track.t[-1] - track.t[0]) if len(track.t) > 1 else 30
        power = spectrum(track, fps)
        if power is not None:
            bands.append(power)
        width, height = track.size
        xy = track.image[track.present][..., :2]
        off = (xy[..., 0] < 0) | (xy[..., 0] > width) | (xy[..., 1] < 0) | (xy[..., 1] > height)
        if off.any():
            outside.extend(track.image[track.present][..., 3][off].tolist())
    minutes = sum((track.t[-1] - track.t[0]) for track in tracks if len(track.t) > 1) / 60000
    pct = lambda values, q: float(np.percentile(values, q)) if values else None  # noqa: E731
    summary = {
        "recordings": len(tracks),
        "frames": frames,
        "minutes": round(minutes, 2),
        "detected_share": present / frames if frames else None,
        "gap_runs": {"count": len(gaps), "median_frames": pct(gaps, 50), "max_frames": max(gaps) if gaps else None},
        "visibility": {posture: {part: {"mean": float(np.mean(v)) if v else None, "below_0.5": float(np.mean(np.array(v) < 0.5)) if v else None}
                                 for part, v in parts.items()} for posture, parts in vis.items()},
        "jitter_torso_lengths": {part: {"median": pct(v, 50), "p90": pct(v, 90), "n": len(v)} for part, v in jit.items()},
        "hip_spectrum_bands_0-1_1-3_3-6_6+Hz": (np.mean(bands, axis=0).tolist() if bands else None),
        "lr_swaps_per_minute": swap_count / minutes if minutes else None,
        "outside_image_visibility": {"n": len(outside), "mean": float(np.mean(outside)) if outside else None,
                                     "above_0.5": float(np.mean(np.array(outside) >= 0.5)) if outside else None},
        "world": {key: float(np.nanmean([g[key] for g in geometry if key in g])) for key in sorted({k for g in geometry for k in g})},
    }
    return summary


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("paths", nargs="+")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    summary = describe(recordings(args.paths))
    print(json.dumps(summary, indent=None if args.json else 2))


if __name__ == "__main__":
    main()
