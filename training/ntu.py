"""Reader for NTU RGB+D `.skeleton` files → a dataset in the format of training/DATASET.md.

    python3 -m training.ntu SRC_DIR OUT.npz --window 300 [--persons 2] [--classes 60]

File format (Kinect v2, as distributed by the dataset authors), whitespace-separated text:
    frameCount
    per frame: bodyCount
      per body: bodyID clippedEdges handLeftConfidence handLeftState handRightConfidence handRightState
                isRestricted leanX leanY trackingState
                jointCount (25)
                per joint: x y z depthX depthY colorX colorY orientationW orientationX orientationY orientationZ
                           trackingState
File names are SsssCcccPpppRrrrAaaa: setup, camera, performer (subject), replication, action (1-based).
"""
from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

import numpy as np

from training.data import DatasetError, SkeletonDataset, save_dataset
from training.preprocess import resample_frames
from training.models.config import label_names

NAME_PATTERN = re.compile(r"S(\d{3})C(\d{3})P(\d{3})R(\d{3})A(\d{3})")
JOINTS = 25
JOINT_VALUES = 12
BODY_VALUES = 10
# Kinect trackingState 2 = tracked, 1 = inferred, 0 = not tracked. Inferred joints sit at 0.5, which the
# app's default minVisibility (0.5) still accepts, as it accepts MediaPipe's moderately confident landmarks.
VISIBILITY_BY_STATE = {2: 1.0, 1: 0.5, 0: 0.0}


class SkeletonFileError(ValueError):
    """A .skeleton file that does not follow the NTU format."""


def parse_name(path: Path) -> dict:
    match = NAME_PATTERN.search(path.name)
    if not match:
        raise SkeletonFileError(f"{path.name}: name does not follow SsssCcccPpppRrrrAaaa")
    setup, camera, subject, replication, action = (int(g) for g in match.groups())
    return {"setup": setup, "camera": camera, "subject": subject, "replication": replication, "action": action}


def read_skeleton(path: str | Path) -> tuple[dict[int, dict], int]:
    """Parses one file into ({bodyID: {"frames": [frame index], "joints": (F, 25, 12) array}}, frame count)."""
    path = Path(path)
    tokens = path.read_text().split()
    position = 0

    def take(count: int) -> list[str]:
        nonlocal position
        if position + count > len(tokens):
            raise SkeletonFileError(f"{path.name}: file ends early (needed {count} more values at token {position})")
        chunk = tokens[position:position + count]
        position += count
        return chunk

    try:
        bodies: dict[int, dict] = {}
        frame_count = int(take(1)[0])
        for frame in range(frame_count):
            for _ in range(int(take(1)[0])):
                body_id = int(take(BODY_VALUES)[0])
                joint_count = int(take(1)[0])
                if joint_count != JOINTS:
                    raise SkeletonFileError(f"{path.name}: frame {frame} has a body with {joint_count} joints, expected {JOINTS}")
                values = np.array(take(JOINTS * JOINT_VALUES), dtype=np.float64).reshape(JOINTS, JOINT_VALUES)
                body = bodies.setdefault(body_id, {"frames": [], "joints": []})
                body["frames"].append(frame)
                body["joints"].append(values)
    except ValueError as error:
        if isinstance(error, SkeletonFileError):
            raise
        raise SkeletonFileError(f"{path.name}: not a number where the format expects one ({error})") from None
    if position != len(tokens):
        raise SkeletonFileError(f"{path.name}: {len(tokens) - position} values left after {frame_count} frames")
    return {body_id: {"frames": b["frames"], "joints": np.stack(b["joints"])} for body_id, b in bodies.items()}, frame_count


def _motion_energy(joints: np.ndarray) -> float:
    """Sum over joints of the xyz variance over time (2s-AGCN picks the most moving bodies)."""
    return float(joints[:, :, :3].var(axis=0).sum()) if len(joints) > 1 else 0.0


def skeleton_window(path: str | Path, window: int, persons: int) -> np.ndarray:
    """One file → raw window (4, window, 25, persons) in canonical coordinates [x, y, z, visibility].

    Canonical axes (docs/skeleton.md: x right in the image, y up, z towards the camera): Kinect camera space has
    y up and z away from the sensor, so z is negated; x is oriented to increase with the colour image column
    (colorX), checked per file, so the skeleton is not mirrored against the video. Units stay metres (window
    normalisation removes scale). The `persons` bodies with the most motion keep their slots; a longer
    sequence is linearly resampled to `window` frames, a shorter one padded with missing frames (visibility 0;
    gap filling then holds the last pose).
    """
    bodies, frame_count = read_skeleton(path)
    raw = np.zeros((frame_count, JOINTS, 4, persons))
    chosen = sorted(bodies.values(), key=lambda b: _motion_energy(b["joints"]), reverse=True)[:persons]
    if chosen:
        everything = np.concatenate([b["joints"] for b in chosen])
        x, color_x = everything[..., 0].ravel(), everything[..., 5].ravel()
        x_sign = -1.0 if np.sum((x - x.mean()) * (color_x - color_x.mean())) < 0 else 1.0
    for slot, body in enumerate(chosen):
        joints = body["joints"]
        states = joints[..., 11].astype(int)
        visibility = np.vectorize(lambda s: VISIBILITY_BY_STATE.get(s, 0.0))(states)
        raw[body["frames"], :, :, slot] = np.stack(
            [x_sign * joints[..., 0], joints[..., 1], -joints[..., 2], visibility], axis=-1)
    raw = raw.transpose(2, 0, 1, 3)  # (4, F, V, M)
    if frame_count > window:
        return resample_frames(raw, 0.0, frame_count, window)
    padded = np.zeros((4, window, JOINTS, persons))
    padded[:, :frame_count] = raw
    return padded


def build_dataset(files: list[Path], window: int, persons: int, classes: int | None = None) -> SkeletonDataset:
    """Reads every file; `classes` (60 or 120) defaults to 60 unless an action above 60 occurs."""
    if not files:
        raise DatasetError("no .skeleton files given")
    names = [parse_name(f) for f in files]
    highest = max(n["action"] for n in names)
    classes = classes or (60 if highest <= 60 else 120)
    if highest > classes:
        raise DatasetError(f"action A{highest:03d} does not fit in {classes} classes")
    data = np.zeros((len(files), 4, window, JOINTS, persons), np.float32)
    for i, path in enumerate(files):
        data[i] = skeleton_window(path, window, persons)
        print(f"\r{i + 1}/{len(files)} {path.name}", end="", file=sys.stderr)
    print(file=sys.stderr)
    return SkeletonDataset(
        data=data,
        label=np.array([n["action"] - 1 for n in names]),
        subject=np.array([n["subject"] for n in names]),
        camera=np.array([n["camera"] for n in names]),
        labels=label_names("ntu120")[:classes],
        layout="ntu25",
        fps=30.0,
        meta={"source": "NTU RGB+D .skeleton", "files": [f.name for f in files], "window": window},
    )


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Convert NTU RGB+D .skeleton files to a dataset .npz (training/DATASET.md)")
    parser.add_argument("src", type=Path, help="folder with *.skeleton files (searched recursively)")
    parser.add_argument("out", type=Path, help="output .npz")
    parser.add_argument("--window", type=int, default=300, help="frames per sample (default 300)")
    parser.add_argument("--persons", type=int, default=2, help="body slots per sample (default 2)")
    parser.add_argument("--classes", type=int, choices=(60, 120), help="label set size (default: from the files)")
    args = parser.parse_args(argv)
    if not args.src.is_dir():
        parser.error(f"{args.src} is not a folder")
    try:
        dataset = build_dataset(sorted(args.src.rglob("*.skeleton")), args.window, args.persons, args.classes)
    except (DatasetError, SkeletonFileError) as error:
        parser.exit(1, f"error: {error}\n")
    save_dataset(args.out, dataset)
    print(f"wrote {args.out}: {len(dataset)} samples, {len(dataset.labels)} classes, window {args.window}")


if __name__ == "__main__":
    main()
