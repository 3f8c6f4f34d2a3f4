"""What every action generator shares: finishing a timeline into a Motion, furniture, per-sequence choices, and
mixing variants (each its own generator on a subset of the sequences) into one label."""
from __future__ import annotations

from typing import Callable

import numpy as np

from training.synth.motions import G, Motion, PoseBook, Timeline, idle_sway

Generator = Callable[[PoseBook, np.ndarray], Motion]


def finish(book: PoseBook, line: Timeline, sway: float, context: list[dict], furniture=None, gravity=None) -> Motion:
    n, frames = book.n, len(line.t)
    for name, value in idle_sway(book.rng, line.t, n, sway).items():
        line.add(name, value)
    height, weight, joints = furniture if furniture is not None else (np.zeros(n), np.zeros((n, frames)), [])
    mask = np.zeros((n, 33), bool)
    mask[:, joints] = True
    gravity = np.full(n, G) if gravity is None else gravity
    return Motion(line.angles, height, weight, mask, gravity, context)


def always(book: PoseBook, t: np.ndarray) -> np.ndarray:
    """Furniture weight 1 in every frame: a seat or mattress only pushes the body up, never pulls it down, so it
    can stay in place while the person stands beside it."""
    return np.ones((book.n, len(t)))


def window(t: np.ndarray) -> float:
    return float(t[-1] + (t[1] - t[0]))


def heading(book: PoseBook) -> np.ndarray:
    # The camera's azimuth sets the viewing direction; the person's own heading varies a little around it.
    return book.u(-0.4, 0.4)


def pick(mask: np.ndarray, a: dict, b: dict) -> dict:
    """Per sequence: pose a where mask, else b."""
    return {k: np.where(mask, a[k], b[k]) for k in a}


def contexts(**columns) -> list[dict]:
    names = list(columns)
    return [dict(zip(names, values)) for values in zip(*(np.asarray(columns[k]).tolist() for k in names))]


def chair_height(book: PoseBook) -> np.ndarray:
    return book.u(0.38, 0.55)


def bed_height(book: PoseBook) -> np.ndarray:
    """A bed or a sofa."""
    return book.u(0.38, 0.65)


def mixture(*variants: tuple[float, str, Generator]) -> Generator:
    """A label made of variants: each sequence draws one (by share), each variant generates its sequences, and
    the Motions are put back in sequence order; the context names the variant."""
    shares = np.array([share for share, _, _ in variants], float)

    def generate(book: PoseBook, t: np.ndarray) -> Motion:
        chosen = book.rng.choice(len(variants), size=book.n, p=shares / shares.sum())
        parts = []
        for index, (_, name, make) in enumerate(variants):
            members = np.flatnonzero(chosen == index)
            if len(members):
                motion = make(book.subset(members), t)
                motion.context = [{"variant": name, **c} for c in (motion.context or [{}] * len(members))]
                parts.append((members, motion))
        return _merge(parts)

    return generate


def _merge(parts: list[tuple[np.ndarray, Motion]]) -> Motion:
    order = np.concatenate([members for members, _ in parts])
    back = np.argsort(order)
    motions = [motion for _, motion in parts]
    join = lambda values: np.concatenate(values)[back]  # noqa: E731
    angles = {name: join([m.angles[name] for m in motions]) for name in motions[0].angles}
    contexts = [c for m in motions for c in m.context]
    return Motion(angles, join([m.furniture_height for m in motions]), join([m.furniture_weight for m in motions]),
                  join([m.furniture_joints for m in motions]), join([m.gravity for m in motions]),
                  [contexts[i] for i in back])
