"""Shape of the skeleton: image proportions while upright, and the world landmarks (axes, bone lengths, depth,
noise)."""
from __future__ import annotations

import numpy as np

from training.pose_stats.tracks import (
    HIPS, J, SHOULDERS, Track, centre, posture, runs, scale_of, still_frames, torso_length, torso_vector,
)

BONES = {
    "torso": (SHOULDERS, HIPS), "shoulder_width": (["left_shoulder"], ["right_shoulder"]),
    "hip_width": (["left_hip"], ["right_hip"]), "upper_arm": (["left_shoulder"], ["left_elbow"]),
    "forearm": (["left_elbow"], ["left_wrist"]), "thigh": (["left_hip"], ["left_knee"]), "shin": (["left_knee"], ["left_ankle"]),
}


def _points(points: np.ndarray, joints: list) -> np.ndarray:
    return centre(points, [J[j] if isinstance(j, str) else j for j in joints])


def _length(points: np.ndarray, bone: str, dims: int) -> np.ndarray:
    a, b = BONES[bone]
    return np.linalg.norm((_points(points, a) - _points(points, b))[:, :dims], axis=1)


def proportions(tracks: list[Track]) -> dict:
    """Median over recordings of each bone's image length over the torso's in upright frames where its ends
    are visible (MediaPipe's landmarks are not anatomical joint centres: a synthetic body should have
    MediaPipe's proportions). Widths depend on the view, so for them the 90th percentile over a recording's
    frames stands for the frontal width."""
    ratios = {bone: [] for bone in BONES if bone != "torso"}
    for track in tracks:
        upright = (posture(track) == 0) & track.present
        torso = torso_length(track)
        for bone in ratios:
            ends = [J[name] for name in BONES[bone][0] + BONES[bone][1]]
            frames = upright & (track.image[:, ends, 3] >= 0.5).all(axis=1)
            if frames.sum() >= 3:
                ratio = _length(track.image[frames], bone, 2) / torso[frames]
                ratios[bone].append(float(np.percentile(ratio, 90) if bone.endswith("width") else np.median(ratio)))
    return {bone: round(float(np.median(v)), 3) if v else None for bone, v in ratios.items()}


def world(tracks: list[Track]) -> dict:
    """World landmarks: do their axes follow the camera (the torso's direction in world x, y against the image's,
    degrees); bone lengths (m) and their coefficient of variation within a recording; depth spread of the body
    and noise (second differences per axis over still stretches, m); the upright torso's tilt from world −y."""
    angle_error, tilt, spread, noise = [], [], [], {axis: [] for axis in "xyz"}
    lengths = {bone: [] for bone in BONES}
    variation = {bone: [] for bone in BONES}
    for track in tracks:
        seen = track.present & track.world[..., 3].any(axis=1)
        if seen.sum() < 3:
            continue
        image_torso = torso_vector(track)
        world_torso = _points(track.world, SHOULDERS) - _points(track.world, HIPS)
        difference = np.degrees(np.arctan2(world_torso[:, 0], -world_torso[:, 1]) - np.arctan2(image_torso[:, 0], -image_torso[:, 1]))
        angle_error.extend(np.abs((difference + 180) % 360 - 180)[seen].tolist())
        for bone in BONES:
            length = _length(track.world[seen], bone, 3)
            lengths[bone].append(float(np.median(length)))
            variation[bone].append(float(np.std(length) / max(float(np.mean(length)), 1e-9)))
        upright = seen & (posture(track) == 0)
        if upright.any():
            unit = world_torso[upright] / np.maximum(np.linalg.norm(world_torso[upright], axis=1, keepdims=True), 1e-9)
            tilt.extend(np.degrees(np.arccos(np.clip(-unit[:, 1], -1, 1))).tolist())
            spread.extend(np.ptp(track.world[upright][..., 2], axis=1).tolist())
        for start, length in runs(still_frames(track, scale_of(track)) & seen):
            if length < 3:
                continue
            block = track.world[start:start + length]
            second = np.abs(block[1:-1, :, :3] - (block[:-2, :, :3] + block[2:, :, :3]) / 2)
            visible = (block[1:-1, :, 3] >= 0.5) & (block[:-2, :, 3] >= 0.5) & (block[2:, :, 3] >= 0.5)
            for axis, name in enumerate("xyz"):
                noise[name].extend(second[..., axis][visible].tolist())
    median = lambda v: round(float(np.median(v)), 4) if v else None  # noqa: E731
    return {
        "torso_direction_vs_image_deg": {"median": median(angle_error),
                                         "p90": round(float(np.percentile(angle_error, 90)), 2) if angle_error else None},
        "bone_m": {bone: median(v) for bone, v in lengths.items()},
        "bone_cv": {bone: median(v) for bone, v in variation.items()},
        "upright_torso_tilt_deg": median(tilt),
        "upright_depth_spread_m": median(spread),
        "still_second_difference_m": {axis: median(v) for axis, v in noise.items()},
    }
