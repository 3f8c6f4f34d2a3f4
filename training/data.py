"""Skeleton datasets (training/DATASET.md): the .npz format, splits, augmentations and the torch Dataset that
turns raw canonical windows into model input with `training.skeleton.window_features`, as the app does."""
from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import torch

from training import pose_augment
from training.skeleton import UnclassifiableWindow, get_layout, mirror
from training.preprocess import fit_window, resample_frames
from training.skeleton_frames import model_features

FORMAT_KEYS = ("data", "label", "subject", "camera", "labels", "layout", "fps")
SPLITS = ("cross-subject", "cross-view", "file")


class DatasetError(ValueError):
    """A dataset file or split that does not follow training/DATASET.md."""


@dataclass
class SkeletonDataset:
    data: np.ndarray  # float32 (N, 4, T, V, M) raw canonical [x, y, z, visibility]
    label: np.ndarray  # int64 (N,)
    subject: np.ndarray  # int64 (N,)
    camera: np.ndarray  # int64 (N,)
    labels: list[str]
    layout: str
    fps: float
    meta: dict = field(default_factory=dict)

    def __post_init__(self):
        self.data = np.asarray(self.data, dtype=np.float32)
        if self.data.ndim != 5 or self.data.shape[1] != 4:
            raise DatasetError(f"data must be (N, 4, T, V, M) [x, y, z, visibility], got shape {self.data.shape}")
        n = self.data.shape[0]
        for name in ("label", "subject", "camera"):
            column = np.asarray(getattr(self, name)).astype(np.int64)
            if column.shape != (n,):
                raise DatasetError(f"{name} must have shape ({n},) like data, got {column.shape}")
            setattr(self, name, column)
        self.labels = [str(name) for name in self.labels]
        joints = get_layout(self.layout).num_joints  # raises for an unknown layout
        if self.data.shape[3] != joints:
            raise DatasetError(f"data has V={self.data.shape[3]} joints but layout {self.layout!r} has {joints}")
        if n and (self.label.min() < 0 or self.label.max() >= len(self.labels)):
            raise DatasetError(f"labels must lie in [0, {len(self.labels)}) (the class names), got "
                               f"[{self.label.min()}, {self.label.max()}]")
        if not self.fps > 0:
            raise DatasetError(f"fps must be positive, got {self.fps}")

    def __len__(self) -> int:
        return self.data.shape[0]

    @property
    def window(self) -> int:
        return self.data.shape[2]


def save_dataset(path: str | Path, dataset: SkeletonDataset) -> None:
    np.savez_compressed(
        path, data=dataset.data, label=dataset.label, subject=dataset.subject, camera=dataset.camera,
        labels=np.array(dataset.labels), layout=np.array(dataset.layout), fps=np.array(float(dataset.fps)),
        meta=np.array(json.dumps(dataset.meta)),
    )


def load_dataset(path: str | Path) -> SkeletonDataset:
    path = Path(path)
    if not path.is_file():
        raise DatasetError(f"dataset {path} does not exist")
    with np.load(path, allow_pickle=False) as npz:
        missing = [key for key in FORMAT_KEYS if key not in npz.files]
        if missing:
            raise DatasetError(f"{path}: missing arrays {missing} (format: training/DATASET.md)")
        meta = json.loads(str(npz["meta"])) if "meta" in npz.files else {}
        return SkeletonDataset(
            data=npz["data"], label=npz["label"], subject=npz["subject"], camera=npz["camera"],
            labels=list(npz["labels"]), layout=str(npz["layout"]), fps=float(npz["fps"]), meta=meta,
        )


def _parse_ids(text: str | None, option: str) -> set[int]:
    if not text:
        raise DatasetError(f"this split needs {option} (comma-separated ids)")
    try:
        return {int(part) for part in text.split(",") if part.strip()}
    except ValueError:
        raise DatasetError(f"{option} must be comma-separated integers, got {text!r}") from None


def split_indices(dataset: SkeletonDataset, split: str, test_subjects: str | None = None,
                  test_cameras: str | None = None, split_file: str | Path | None = None) -> tuple[np.ndarray, np.ndarray]:
    """(train, test) sample indices.

    cross-subject: test = samples whose subject is in test_subjects; cross-view: whose camera is in test_cameras;
    file: a JSON {"train": [...], "test": [...]} of sample indices (saved by `save_split`).
    """
    everything = np.arange(len(dataset))
    if split == "cross-subject":
        test = np.isin(dataset.subject, sorted(_parse_ids(test_subjects, "--test-subjects")))
    elif split == "cross-view":
        test = np.isin(dataset.camera, sorted(_parse_ids(test_cameras, "--test-cameras")))
    elif split == "file":
        if split_file is None:
            raise DatasetError("split 'file' needs --split-file")
        spec = json.loads(Path(split_file).read_text())
        train, test_idx = np.asarray(spec.get("train", []), np.int64), np.asarray(spec.get("test", []), np.int64)
        for name, idx in (("train", train), ("test", test_idx)):
            if idx.size and (idx.min() < 0 or idx.max() >= len(dataset)):
                raise DatasetError(f"{split_file}: {name} indices must lie in [0, {len(dataset)})")
        if np.intersect1d(train, test_idx).size:
            raise DatasetError(f"{split_file}: train and test share samples")
        return train, test_idx
    else:
        raise DatasetError(f"unknown split {split!r}; known: {SPLITS}")
    if not test.any() or test.all():
        raise DatasetError(f"split {split!r} leaves the train or the test set empty")
    return everything[~test], everything[test]


def save_split(path: str | Path, train: np.ndarray, test: np.ndarray) -> None:
    Path(path).write_text(json.dumps({"train": [int(i) for i in train], "test": [int(i) for i in test]}) + "\n")


# --- augmentations on raw windows (4, T, V, M) -------------------------------------------------------------

def rotate_vertical(raw: np.ndarray, angle: float) -> np.ndarray:
    """Rotation by `angle` radians about the vertical (y) axis through the origin; visibility is kept."""
    out = raw.copy()
    c, s = math.cos(angle), math.sin(angle)
    out[0] = c * raw[0] + s * raw[2]
    out[2] = -s * raw[0] + c * raw[2]
    return out


def scale(raw: np.ndarray, factors: np.ndarray) -> np.ndarray:
    """Per-axis scale of x, y, z by factors (3,)."""
    out = raw.copy()
    out[:3] *= np.asarray(factors, dtype=raw.dtype)[:, None, None, None]
    return out


def shear(raw: np.ndarray, matrix: np.ndarray) -> np.ndarray:
    """xyz ← matrix @ xyz for a (3, 3) shear matrix (ones on the diagonal)."""
    out = raw.copy()
    out[:3] = np.einsum("ij,jtvm->itvm", matrix, raw[:3])
    return out


def drop_joints(raw: np.ndarray, dropped: np.ndarray) -> np.ndarray:
    """Marks joints missing (visibility 0) where dropped (V,) is true, in every frame: as if the pose estimator
    lost them, so normalisation's gap filling runs as it does in the app."""
    out = raw.copy()
    out[3][:, dropped] = 0.0
    return out


AUGMENTATIONS = {
    # key: default parameters; a config enables an augmentation by naming it in "augment" (true = defaults)
    "rotate": {"max_degrees": 30.0},
    "scale": {"min": 0.9, "max": 1.1},
    "shear": {"max": 0.1},
    "mirror": {"p": 0.5},
    "joint_dropout": {"p": 0.05},
    # training/pose_augment.py: body regions hidden until keep_min…keep_max of the 25 model joints are left;
    # MediaPipe's measured gaps, left/right swaps and upside-down flips (docs/real-poses.md)
    "part_dropout": {"p": 0.3, "keep_min": 10, "keep_max": 16, "whole_window": 0.6},
    "mediapipe_errors": {"p": 0.5, "fps": 30.0},
    "speed": {"min": 0.8, "max": 1.2},
    "crop": {"min_fraction": 0.8},
}


def augment_settings(spec: dict | None) -> dict:
    """Config "augment" {name: true | {param: value}} → full settings; unknown names are an error."""
    settings = {}
    for name, value in (spec or {}).items():
        if name not in AUGMENTATIONS:
            raise ValueError(f"unknown augmentation {name!r}; known: {sorted(AUGMENTATIONS)}")
        if value is False or value is None:
            continue
        params = dict(AUGMENTATIONS[name])
        if isinstance(value, dict):
            unknown = set(value) - set(params)
            if unknown:
                raise ValueError(f"augmentation {name!r} has no parameters {sorted(unknown)}; known: {sorted(params)}")
            params.update(value)
        settings[name] = params
    return settings


def augment(raw: np.ndarray, layout: str, settings: dict, rng: np.random.Generator) -> np.ndarray:
    """Applies the enabled augmentations (augment_settings) with random parameters drawn from rng."""
    if "crop" in settings or "speed" in settings:
        total = raw.shape[1]
        length = total * rng.uniform(settings["crop"]["min_fraction"], 1.0) if "crop" in settings else total
        if "speed" in settings:
            length *= rng.uniform(settings["speed"]["min"], settings["speed"]["max"])
        start = rng.uniform(0, max(total - length, 0.0))
        raw = resample_frames(raw, start, length, total)
    if "rotate" in settings:
        raw = rotate_vertical(raw, math.radians(rng.uniform(-1, 1) * settings["rotate"]["max_degrees"]))
    if "scale" in settings:
        raw = scale(raw, rng.uniform(settings["scale"]["min"], settings["scale"]["max"], size=3))
    if "shear" in settings:
        matrix = np.eye(3) + (1 - np.eye(3)) * rng.uniform(-1, 1, size=(3, 3)) * settings["shear"]["max"]
        raw = shear(raw, matrix.astype(raw.dtype))
    if "mirror" in settings and rng.random() < settings["mirror"]["p"]:
        raw = mirror(raw, layout)
    if "joint_dropout" in settings:
        raw = drop_joints(raw, rng.random(raw.shape[2]) < settings["joint_dropout"]["p"])
    if "part_dropout" in settings and rng.random() < settings["part_dropout"]["p"]:
        part = settings["part_dropout"]
        raw = pose_augment.drop_parts(raw, layout, rng, part["keep_min"], part["keep_max"], part["whole_window"])
    if "mediapipe_errors" in settings and rng.random() < settings["mediapipe_errors"]["p"]:
        raw = pose_augment.mediapipe_errors(raw, layout, rng, settings["mediapipe_errors"]["fps"])
    return raw


def fit_persons(raw: np.ndarray, persons: int) -> np.ndarray:
    """Keeps the first `persons` slots, or pads with empty (visibility 0) slots."""
    if raw.shape[3] >= persons:
        return raw[..., :persons]
    return np.concatenate([raw, np.zeros(raw.shape[:3] + (persons - raw.shape[3],), raw.dtype)], axis=3)


class WindowDataset(torch.utils.data.Dataset):
    """Samples `indices` of a SkeletonDataset as (features (C, T, V, M) float32 tensor, label).

    Each raw window is fitted to the model (person slots; window length by the config's `preprocess` pipeline,
    training/preprocess.py, with random crops when `training`), augmented when settings are given (random
    parameters from a generator re-seeded by `set_epoch`, so a run is reproducible and resumable), then normalised
    by model_features (the config's normalisation) exactly as the app does. A window the app would not classify
    (no visible torso bottom) becomes zeros.
    """

    def __init__(self, dataset: SkeletonDataset, indices: np.ndarray, cfg: dict, augment_spec: dict | None = None,
                 seed: int = 0, min_visibility: float = 0.5, training: bool = False):
        self.dataset, self.indices, self.cfg = dataset, np.asarray(indices, dtype=np.int64), cfg
        self.settings = augment_settings(augment_spec)
        self.seed, self.epoch, self.min_visibility, self.training = seed, 0, min_visibility, training

    def set_epoch(self, epoch: int) -> None:
        self.epoch = epoch

    def __len__(self) -> int:
        return len(self.indices)

    def __getitem__(self, item: int):
        index = int(self.indices[item])
        rng = np.random.default_rng((self.seed, self.epoch, index))
        raw = fit_persons(self.dataset.data[index], self.cfg["persons"])
        raw = fit_window(raw, self.cfg, rng if self.training else None)
        if self.settings:
            raw = augment(raw, self.dataset.layout, self.settings, rng)
        try:
            features = model_features(raw, self.dataset.layout, self.cfg, self.min_visibility)
        except UnclassifiableWindow:
            features = np.zeros((self.cfg["in_channels"], self.cfg["window"], self.cfg["joints"],
                                 self.cfg["persons"]), np.float32)
        return torch.from_numpy(features), int(self.dataset.label[index])
