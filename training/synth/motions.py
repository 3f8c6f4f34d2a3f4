"""Joint-angle trajectories per action label, vectorised over N sequences of one label.

A motion is built from key poses joined by eased transitions whose start times and durations are drawn per
sequence (randomised timing and speed), plus additive periodic parts (gait, waving) and slow idle sway
(style). Each generator also states the physical context the scene needs: furniture (chair or bed height and
which joints rest on it, per frame) and the effective gravity of a free drop.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from training.synth.body import ANGLES, Bodies, J

HALF_PI = np.pi / 2
G = 9.81
FURNITURE_CHAIR = [J["left_hip"], J["right_hip"]]
# Lying on a bed: everything but the lower legs rests on the mattress (the feet may hang over the edge).
FURNITURE_BED = [j for j in range(33) if j not in (J["left_ankle"], J["right_ankle"], J["left_heel"],
                                                     J["right_heel"], J["left_foot_index"], J["right_foot_index"])]


@dataclass
class Motion:
    """Angles (each (N,T)) and the context the scene needs to place the body."""
    angles: dict[str, np.ndarray]
    furniture_height: np.ndarray  # (N,) metres; 0 where there is none
    furniture_weight: np.ndarray  # (N,T) in [0,1]: how much the body rests on the furniture
    furniture_joints: np.ndarray  # (N,33) bool: joints that can rest on it
    gravity: np.ndarray  # (N,) m/s²: the hips never drop faster than this (less than g: bracing, holding on)
    context: list[dict] = field(default_factory=list)  # per sequence, JSON-able (starting action, surface, …)


def smoothstep(p: np.ndarray) -> np.ndarray:
    return p * p * (3 - 2 * p)


class Timeline:
    """Angles over the window's time grid t (T,) seconds: key poses joined by eased transitions."""

    def __init__(self, t: np.ndarray, pose: dict[str, np.ndarray]):
        self.t = t
        self.last = dict(pose)
        self.angles = {k: np.repeat(np.asarray(v, float)[:, None], len(t), axis=1) for k, v in pose.items()}

    def to(self, pose: dict[str, np.ndarray], start: np.ndarray, duration: np.ndarray, ease=smoothstep) -> "Timeline":
        progress = ease(np.clip((self.t[None, :] - start[:, None]) / np.maximum(duration, 1e-3)[:, None], 0, 1))
        for name in ANGLES:
            self.angles[name] = self.angles[name] + (pose[name] - self.last[name])[:, None] * progress
        self.last = dict(pose)
        return self

    def add(self, name: str, value: np.ndarray) -> None:
        self.angles[name] = self.angles[name] + value


def ramp(t: np.ndarray, start: np.ndarray, duration: np.ndarray) -> np.ndarray:
    """(N,T) smooth 0 → 1 from start over duration."""
    return smoothstep(np.clip((t[None, :] - start[:, None]) / np.maximum(duration, 1e-3)[:, None], 0, 1))


def modify(pose: dict[str, np.ndarray], **changes) -> dict[str, np.ndarray]:
    out = dict(pose)
    for name, value in changes.items():
        if name not in ANGLES:
            raise KeyError(name)
        out[name] = np.broadcast_to(np.asarray(value, float), pose["yaw"].shape).copy()
    return out


def both_sides(pose: dict[str, np.ndarray], **changes) -> dict[str, np.ndarray]:
    """Set a limb angle on both sides, e.g. both_sides(p, knee=x) sets l_knee and r_knee."""
    return modify(pose, **{f"{s}_{k}": v for k, v in changes.items() for s in ("l", "r")})


class PoseBook:
    """Key poses for N sequences; every random choice comes from the generator it is given. `view` (N,) is the
    camera's azimuth around each person (yaw = view faces the camera), for motions aimed relative to it."""

    def __init__(self, rng: np.random.Generator, bodies: Bodies, view: np.ndarray | None = None):
        self.rng, self.bodies, self.n = rng, bodies, len(bodies)
        self.view = np.zeros(self.n) if view is None else np.asarray(view, float)

    def subset(self, index: np.ndarray) -> "PoseBook":
        return PoseBook(self.rng, self.bodies.take(index), self.view[index])

    def u(self, low, high) -> np.ndarray:
        return self.rng.uniform(low, high, self.n)

    def choice(self, p: float) -> np.ndarray:
        return self.rng.random(self.n) < p

    def stand(self, yaw: np.ndarray) -> dict[str, np.ndarray]:
        zero = np.zeros(self.n)
        pose = {name: zero.copy() for name in ANGLES}
        pose["yaw"] = yaw
        pose["pitch"] = self.u(-0.03, 0.1)  # older people often stand slightly stooped
        pose["head_pitch"] = self.u(-0.1, 0.3)
        for side in ("l", "r"):
            knee = self.u(0.0, 0.1)
            pose[f"{side}_knee"] = knee
            pose[f"{side}_hip_flex"] = pose["pitch"] + knee / 2  # thighs stay vertical under a stooped trunk
            pose[f"{side}_hip_abd"] = self.u(0.0, 0.08)
            pose[f"{side}_sh_flex"] = self.u(-0.1, 0.2)
            pose[f"{side}_sh_abd"] = self.u(0.03, 0.18)
            pose[f"{side}_elbow"] = self.u(0.05, 0.4)
        return pose

    def sit(self, yaw: np.ndarray, seat_height: np.ndarray) -> dict[str, np.ndarray]:
        """Seated with the hip joints above the seat and the shins near vertical (feet on the floor)."""
        seg = self.bodies.segments
        hip_above_seat = 0.05 * self.bodies.height  # same flesh radius as body.CONTACT_RADIUS for the hips
        knee_height = seg["shin"] + seg["ankle_height"]
        thigh_world = np.arccos(np.clip((seat_height + hip_above_seat - knee_height) / seg["thigh"], -0.6, 0.7))
        lean = self.u(-0.25, 0.2)
        pose = self.stand(yaw)
        pose["pitch"] = lean
        for side in ("l", "r"):
            pose[f"{side}_hip_flex"] = thigh_world + lean
            pose[f"{side}_knee"] = thigh_world - self.u(-0.1, 0.35)  # shins vertical or feet a little forward
            pose[f"{side}_hip_abd"] = self.u(0.0, 0.25)
            pose[f"{side}_sh_flex"] = self.u(0.1, 0.8) + lean
            pose[f"{side}_elbow"] = self.u(0.5, 1.6)
        return pose

    def squat(self, yaw: np.ndarray) -> dict[str, np.ndarray]:
        pose = self.stand(yaw)
        pitch = self.u(0.4, 0.8)
        pose["pitch"] = pitch
        for side in ("l", "r"):
            thigh_world = self.u(1.2, 1.6)
            pose[f"{side}_hip_flex"] = thigh_world + pitch
            pose[f"{side}_knee"] = thigh_world + self.u(0.3, 0.6)  # shins lean forward over the feet
            pose[f"{side}_ankle"] = self.u(0.2, 0.5)
            pose[f"{side}_sh_flex"] = pitch + self.u(0.0, 0.6)
            pose[f"{side}_elbow"] = self.u(0.0, 0.5)
        return pose

    def kneel_on_hands(self, yaw: np.ndarray) -> dict[str, np.ndarray]:
        """On hands and knees: trunk near horizontal, thighs vertical, shins flat, arms vertical."""
        pose = self.stand(yaw)
        pitch = self.u(1.1, 1.45)
        pose["pitch"] = pitch
        pose["head_pitch"] = self.u(-0.4, 0.2)
        for side in ("l", "r"):
            thigh_world = self.u(-0.1, 0.2)
            pose[f"{side}_hip_flex"] = pitch + thigh_world
            pose[f"{side}_knee"] = thigh_world + HALF_PI
            pose[f"{side}_sh_flex"] = pitch + self.u(-0.1, 0.3)
            pose[f"{side}_elbow"] = self.u(0.0, 0.3)
        return pose

    def kneel(self, yaw: np.ndarray) -> dict[str, np.ndarray]:
        """Kneeling upright on both knees (shins flat on the floor), or on one with the other foot forward."""
        pose = self.stand(yaw)
        one = self.choice(0.5)
        pose["pitch"] = self.u(-0.05, 0.3)
        for side, forward in (("l", one), ("r", np.zeros(self.n, bool))):
            pose[f"{side}_hip_flex"] = pose["pitch"] + np.where(forward, HALF_PI, self.u(-0.1, 0.15))
            pose[f"{side}_knee"] = np.where(forward, HALF_PI - self.u(0.0, 0.2), HALF_PI)
        return pose

    def floor_sit(self, yaw: np.ndarray) -> dict[str, np.ndarray]:
        """Sitting on the floor, legs forward, leaning on the hands behind."""
        pose = self.stand(yaw)
        lean = self.u(-0.35, 0.1)
        pose["pitch"] = lean
        for side in ("l", "r"):
            knee = self.u(0.0, 1.2)
            pose[f"{side}_hip_flex"] = HALF_PI + lean + knee / 2
            pose[f"{side}_knee"] = knee
            pose[f"{side}_sh_flex"] = self.u(-0.6, 0.0) + lean
            pose[f"{side}_sh_abd"] = self.u(0.1, 0.4)
            pose[f"{side}_elbow"] = self.u(0.0, 0.3)
        return pose

    def lie(self, yaw: np.ndarray, kind: np.ndarray) -> dict[str, np.ndarray]:
        """kind per sequence: 0 on the back, 1 on the front, 2 on the left side, 3 on the right side."""
        pose = self.stand(yaw)
        pose["pitch"] = np.select([kind == 0, kind == 1], [-HALF_PI, HALF_PI], 0.0) + self.u(-0.08, 0.08)
        pose["roll"] = np.select([kind == 2, kind == 3], [-HALF_PI, HALF_PI], 0.0) + self.u(-0.1, 0.1)
        pose["head_pitch"] = self.u(-0.2, 0.3)
        pose["head_yaw"] = self.u(-0.6, 0.6)
        # Limbs stay clear of the floor: a limb pushed into it would prop the whole body up.
        on_side, prone = kind >= 2, kind == 1
        overhead = self.choice(0.5)
        for side in ("l", "r"):
            knee = np.where(on_side, self.u(0.3, 1.3), self.u(0.0, 0.7))
            pose[f"{side}_knee"] = knee
            pose[f"{side}_hip_flex"] = np.select([on_side, prone], [knee / 2 + self.u(0.0, 0.6), self.u(-0.1, 0.0)], knee / 2)
            pose[f"{side}_hip_abd"] = np.where(on_side, 0.0, self.u(0.0, 0.3))
            # Prone: arms along the head or along the body. On the side: both in front of the chest.
            pose[f"{side}_sh_flex"] = np.select([on_side, prone], [self.u(0.3, 1.5), np.where(overhead, self.u(2.8, 3.1), self.u(-0.3, 0.0))],
                                                self.u(0.0, 1.5))
            pose[f"{side}_sh_abd"] = np.where(on_side, 0.0, self.u(0.0, 0.8))
            pose[f"{side}_elbow"] = np.where(prone, np.where(overhead, self.u(0.0, 0.6), self.u(0.0, 0.1)), self.u(0.0, 1.5))
        return pose


def idle_sway(rng: np.random.Generator, t: np.ndarray, n: int, amplitude: float) -> dict[str, np.ndarray]:
    """Slow, smooth per-channel wobble: two random sinusoids per angle (breathing, shifting weight, fidgeting)."""
    out = {}
    for name in ANGLES:
        scale = amplitude * (0.3 if name in ("yaw", "pitch", "roll") else 1.0)
        freq = rng.uniform(0.1, 0.8, (n, 2, 1))
        phase = rng.uniform(0, 2 * np.pi, (n, 2, 1))
        amp = rng.uniform(0, scale, (n, 2, 1))
        out[name] = (amp * np.sin(2 * np.pi * freq * t[None, None, :] + phase)).sum(axis=1)
    return out


def add_gait(line: Timeline, book: PoseBook, envelope: np.ndarray) -> None:
    """Walking cycle scaled by envelope (N,T) ∈ [0,1]; the scene's foot contact turns it into forward motion."""
    rng, n, t = book.rng, book.n, line.t
    cadence = book.u(0.7, 1.05)[:, None]  # gait cycles per second (two steps each)
    phase = 2 * np.pi * cadence * t[None, :] + book.u(0, 2 * np.pi)[:, None]
    hip_amp, knee_amp, arm_amp = book.u(0.22, 0.42)[:, None], book.u(0.5, 0.95)[:, None], book.u(0.05, 0.4)[:, None]
    for side, shift in (("l", 0.0), ("r", np.pi)):
        cycle = phase + shift
        swing = np.maximum(0, np.cos(cycle + 0.3)) ** 2  # the knee bends while the thigh swings forward
        line.add(f"{side}_hip_flex", envelope * (hip_amp * np.sin(cycle) + 0.05))
        line.add(f"{side}_knee", envelope * (knee_amp * swing + 0.05))
        line.add(f"{side}_ankle", envelope * 0.25 * swing)
        line.add(f"{side}_sh_flex", -envelope * arm_amp * np.sin(cycle))
    line.add("roll", envelope * 0.03 * np.sin(phase))
    turn_rate = rng.uniform(-0.4, 0.4, (n, 1)) * (rng.random((n, 1)) < 0.5)
    line.add("yaw", np.cumsum(envelope, axis=1) * turn_rate / len(t) * t[-1])


def add_waving(line: Timeline, book: PoseBook, side: str, envelope: np.ndarray, overhead: str) -> None:
    """Arm raised (overhead: 'abduction' sideways when upright, 'flexion' towards the ceiling when lying on the
    back) and swung from side to side."""
    freq, phase = book.u(0.9, 2.5)[:, None], book.u(0, 2 * np.pi)[:, None]
    swing = book.u(0.25, 0.6)[:, None] * np.sin(2 * np.pi * freq * line.t[None, :] + phase)
    raise_to = book.u(2.0, 2.9)[:, None] if overhead == "abduction" else book.u(1.3, 1.8)[:, None]
    current = line.angles[f"{side}_sh_{'abd' if overhead == 'abduction' else 'flex'}"]
    line.add(f"{side}_sh_{'abd' if overhead == 'abduction' else 'flex'}", envelope * (raise_to - current))
    line.add(f"{side}_sh_{'flex' if overhead == 'abduction' else 'abd'}", envelope * swing)
    line.add(f"{side}_elbow", envelope * (book.u(0.1, 0.5)[:, None] + 0.3 * swing))


def add_settling(line: Timeline, book: PoseBook, impact: np.ndarray) -> None:
    """After an impact the limbs rebound and settle: a damped oscillation per limb angle."""
    since = line.t[None, :] - impact[:, None]
    for side in ("l", "r"):
        for name in ("sh_flex", "sh_abd", "elbow", "knee", "hip_flex"):
            amp = book.u(0.05, 0.35)[:, None]
            freq, decay = book.u(1.5, 3.5)[:, None], book.u(0.15, 0.4)[:, None]
            line.add(f"{side}_{name}", np.where(since > 0, amp * np.exp(-since / decay) * np.sin(2 * np.pi * freq * since), 0))
