"""Shared by test_data / test_train / test_export: small raw-skeleton datasets in the training/DATASET.md format."""
from __future__ import annotations

import numpy as np

from training.data import SkeletonDataset
from training.skeleton import get_layout


def standing_person(rng: np.random.Generator) -> np.ndarray:
    """(25, 3) NTU-25 joints of a rough standing person: joints hang below their parent in the bone tree."""
    layout = get_layout("ntu25")
    xyz = np.zeros((layout.num_joints, 3))
    # Parents come before children in a breadth-first walk from the root; iterate until all are placed.
    placed = {layout.root}
    while len(placed) < layout.num_joints:
        for child, parent in layout.bones:
            if parent in placed and child not in placed:
                xyz[child] = xyz[parent] + rng.normal(0, 0.05, 3) + np.array([0.0, 0.15, 0.0])
                placed.add(child)
    legs = [layout.index(n) for n in ("left_knee", "left_ankle", "left_foot", "right_knee", "right_ankle", "right_foot")]
    xyz[legs, 1] -= 0.5
    return xyz


def make_dataset(samples: int = 32, frames: int = 16, classes: int = 4, persons: int = 1, seed: int = 0,
                 subjects: int = 4, cameras: int = 2) -> SkeletonDataset:
    """Each class moves one joint group at its own frequency; subjects and cameras cycle over the samples."""
    rng = np.random.default_rng(seed)
    data = np.zeros((samples, 4, frames, 25, persons), np.float32)
    label = np.arange(samples) % classes
    time = np.arange(frames) / frames
    for i in range(samples):
        pose = standing_person(rng)
        motion = np.zeros((frames, 25, 3))
        motion[:, (label[i] * 5) % 25: (label[i] * 5) % 25 + 4, label[i] % 3] = \
            0.3 * np.sin(2 * np.pi * (label[i] + 1) * time)[:, None]
        xyz = pose[None] + motion + rng.normal(0, 0.01, (frames, 25, 3))
        data[i, :3, :, :, 0] = xyz.transpose(2, 0, 1)
        data[i, 3, :, :, 0] = 1.0
    return SkeletonDataset(data=data, label=label, subject=np.arange(samples) % subjects + 1,
                           camera=np.arange(samples) % cameras + 1, labels=[f"class_{k}" for k in range(classes)],
                           layout="ntu25", fps=30.0, meta={"generator": "training/tests/datasets.py", "seed": seed})
