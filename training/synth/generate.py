"""Config → synthetic labelled skeleton dataset (training/DATASET.md format).

Every random choice comes from one numpy Generator seeded by the config, consumed in a fixed order (bodies,
cameras, then label by label), so the same config gives the same dataset bit for bit.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from training.data import SkeletonDataset
from training.skeleton import REPO_ROOT, to_canonical
from training.synth.actions import GENERATORS
from training.synth.body import Bodies, forward_kinematics, sample_bodies
from training.synth.camera import Cameras, enter_view, imperfect, sample_cameras
from training.synth.mediapipe import Frames
from training.synth.motions import PoseBook
from training.synth.scene import place

GENERATOR_VERSION = 2  # 2: MediaPipe behaviour model measured on real video
NO_PERSON = "no_person"
CONFIG_DEFAULTS = {
    "seed": 0,
    "labels": "training/labels/default.json",
    "sequences_per_label": 200,
    "frames": 64,
    "fps": 30.0,
    "bodies": 60,
    "cameras": 40,
    "height_range": [1.45, 1.95],
    "build_range": [0.9, 1.15],
    "partial_view_share": 0.15,
    # no_person windows: empty frames, spurious detections (a coat, a poster, a reflection) and body parts at
    # the image border; shares of each.
    "no_person_mix": {"empty": 0.25, "spurious": 0.4, "partial": 0.35},
}


class ConfigError(ValueError):
    """A synthesiser config that cannot be used."""


def load_config(path: str | Path | None = None, **overrides) -> dict:
    config = dict(CONFIG_DEFAULTS)
    if path is not None:
        path = Path(path)
        if not path.is_file():
            raise ConfigError(f"synthesiser config {path} does not exist")
        try:
            loaded = json.loads(path.read_text())
        except json.JSONDecodeError as error:
            raise ConfigError(f"{path}: not valid JSON ({error})") from None
        loaded.pop("$comment", None)
        unknown = set(loaded) - set(CONFIG_DEFAULTS)
        if unknown:
            raise ConfigError(f"{path}: unknown settings {sorted(unknown)}; known: {sorted(CONFIG_DEFAULTS)}")
        config.update(loaded)
    config.update({k: v for k, v in overrides.items() if v is not None})
    for key in ("sequences_per_label", "frames", "bodies", "cameras"):
        if not isinstance(config[key], int) or config[key] < 1:
            raise ConfigError(f"{key} must be a positive integer, got {config[key]!r}")
    if config["frames"] < 8 or not config["fps"] > 0:
        raise ConfigError("frames must be at least 8 and fps positive")
    return config


def label_names(config: dict) -> list[str]:
    path = Path(config["labels"])
    path = path if path.is_absolute() else REPO_ROOT / path
    return list(json.loads(path.read_text())["labels"])


@dataclass
class Synthesis:
    """Everything the synthesiser made: world landmarks (N,T,33,3) in metres (nan where no body exists: empty
    and spurious no_person windows), MediaPipe-like image landmarks (N,T,33,4), the frames the simulated
    detector got wrong, and the dataset (its meta["context"] says how each window was made)."""
    world: np.ndarray
    image: np.ndarray
    errors: Frames
    dataset: SkeletonDataset


def _spurious(rng: np.random.Generator, image: np.ndarray) -> np.ndarray:
    """Detections of something that is not a person: a landmark set frozen in place (a coat on a hook, a
    poster), jittered hard, with low confidence, present only in some frames, sometimes garbled."""
    n, frames, joints, _ = image.shape
    still = np.repeat(image[:, frames // 2 : frames // 2 + 1], frames, axis=1)
    still[..., :2] += rng.normal(0, 0.015, still[..., :2].shape)
    garbled = rng.random(n) < 0.4
    order = np.argsort(rng.random((n, joints)), axis=1)
    shuffled = np.take_along_axis(still, order[:, None, :, None], axis=2)
    still = np.where(garbled[:, None, None, None], shuffled, still)
    still[..., 3] *= rng.uniform(0.3, 0.65, (n, 1, 1))
    present = rng.random((n, frames)) < rng.uniform(0.1, 0.6, (n, 1))
    still[~present] = 0.0
    return still


def _no_person(rng: np.random.Generator, config: dict, bodies: Bodies, cameras: Cameras, t: np.ndarray):
    """no_person windows (see CONFIG_DEFAULTS['no_person_mix'] and training/labels/README.md)."""
    count = len(bodies)
    mix = config["no_person_mix"]
    kind = rng.choice(list(mix), size=count, p=np.array(list(mix.values())) / sum(mix.values()))
    book = PoseBook(rng, bodies)
    motion = GENERATORS["standing"](book, t)
    world = place(bodies, motion, forward_kinematics(bodies, motion.angles), config["fps"])
    # Partial: the camera pans away so only a body part reaches into the border of the image.
    shifted = Cameras(**{k: v.copy() for k, v in vars(cameras).items()})
    side = rng.choice([-1.0, 1.0], count)
    shifted.look_side = np.where(kind == "partial", side * shifted.distance * np.tan(shifted.fov / 2) * rng.uniform(1.0, 1.3, count),
                                 shifted.look_side)
    image, errors = imperfect(rng, world, shifted, config["fps"], detect_small=False)
    image = np.where((kind == "spurious")[:, None, None, None], _spurious(rng, image), image)
    image[kind == "empty"] = 0.0
    errors.missed |= ~image.any(axis=(2, 3))
    world[kind != "partial"] = np.nan  # no body stands behind an empty or spurious window
    context = [{"no_person": str(k)} for k in kind]
    return world, image, errors, context


def synthesise(config: dict) -> Synthesis:
    rng = np.random.default_rng(config["seed"])
    labels = label_names(config)
    unknown = [name for name in labels if name not in GENERATORS and name != NO_PERSON]
    if unknown:
        raise ConfigError(f"the synthesiser has no motion for labels {unknown} ({config['labels']})")
    fps, frames, per_label = float(config["fps"]), config["frames"], config["sequences_per_label"]
    t = np.arange(frames) / fps
    bodies = sample_bodies(rng, config["bodies"], tuple(config["height_range"]), tuple(config["build_range"]))
    cameras = sample_cameras(rng, config["cameras"], config["partial_view_share"])
    worlds, images, errors, label_ids, subjects, camera_ids, contexts = [], [], [], [], [], [], []
    for index, name in enumerate(labels):
        body_ids = rng.integers(0, len(bodies), per_label)
        camera_index = rng.integers(0, len(cameras), per_label)
        chosen = bodies.take(body_ids)
        seen_by = Cameras(**{k: v[camera_index] for k, v in vars(cameras).items()})
        if name == NO_PERSON:
            world, image, wrong, context = _no_person(rng, config, chosen, seen_by, t)
        else:
            motion = GENERATORS[name](PoseBook(rng, chosen, seen_by.azimuth), t)
            world = place(chosen, motion, forward_kinematics(chosen, motion.angles), fps)
            world = enter_view(world, seen_by, np.array([c.get("enters_at", -1.0) for c in motion.context]), fps)
            image, wrong = imperfect(rng, world, seen_by, fps)
            context = motion.context
        worlds.append(world)
        images.append(image)
        errors.append(wrong)
        label_ids.append(np.full(per_label, index))
        subjects.append(body_ids)
        camera_ids.append(camera_index)
        contexts.extend(context)
    image = np.concatenate(images)
    camera_of = np.concatenate(camera_ids)
    canonical = np.zeros_like(image)
    for width, height in {(w, h) for w, h in zip(cameras.width, cameras.height_px)}:
        same = (cameras.width[camera_of] == width) & (cameras.height_px[camera_of] == height)
        canonical[same] = to_canonical(image[same], width, height)
    missing = (image == 0).all(axis=(2, 3))  # frames the detector missed carry no coordinates at all
    canonical[missing] = 0.0
    dataset = SkeletonDataset(
        data=canonical.transpose(0, 3, 1, 2)[..., None],  # (N, 4, T, V, M=1)
        label=np.concatenate(label_ids), subject=np.concatenate(subjects), camera=camera_of,
        labels=labels, layout="blazepose33", fps=fps,
        meta={
            "source": "training.synth", "generator_version": GENERATOR_VERSION, "config": config,
            "bodies": [{"height": round(float(h), 4)} for h in bodies.height],
            "cameras": cameras.as_json(),
            "context": contexts,  # per sequence: how it was made (fast sit, bed or floor, fall start, ...)
        },
    )
    joined = Frames(np.concatenate([e.missed for e in errors]), np.concatenate([e.flipped for e in errors]),
                    {group: np.concatenate([e.swapped[group] for e in errors]) for group in errors[0].swapped})
    return Synthesis(np.concatenate(worlds), image, joined, dataset)
