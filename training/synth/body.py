"""Parametric human body in BlazePose-33 landmarks and its forward kinematics.

Frames: the body frame has x = the person's left, y = up, z = forward (right-handed), origin at the middle
of the two hip joints. The torso (hips → shoulders) is one rigid segment, so the layout's shoulder–hip bones
keep their length; the head turns on the neck, the limbs on shoulders, elbows, hips, knees and ankles.
Segment lengths are fractions of body height (Drillis & Contini's anthropometric table), jittered per body.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from training.skeleton import get_layout

LAYOUT = get_layout("blazepose33")
J = {name: index for index, name in enumerate(LAYOUT.joints)}
FACE = [J[n] for n in LAYOUT.joints[:11]]
TORSO = [*LAYOUT.torso_top, *LAYOUT.torso_bottom]  # shoulders and hips

# Joint angles (radians) that drive the body. Per side (l = left, r = right): shoulder flexion (arm forward/up),
# shoulder abduction (arm out to the side), elbow flexion, hip flexion (thigh forward), hip abduction, knee
# flexion, ankle dorsiflexion. Root: yaw (turn left), pitch (lean forward), roll (lean right).
LIMB_ANGLES = ("sh_flex", "sh_abd", "elbow", "hip_flex", "hip_abd", "knee", "ankle")
ANGLES = ("yaw", "pitch", "roll", "head_pitch", "head_yaw") + tuple(
    f"{side}_{name}" for side in ("l", "r") for name in LIMB_ANGLES
)

# Share of body height (Drillis & Contini 1966; hip-joint height 0.53 H, shoulder height 0.818 H).
PROPORTIONS = {
    "thigh": 0.245, "shin": 0.246, "ankle_height": 0.039, "foot": 0.152,
    "upper_arm": 0.186, "forearm": 0.146, "hand": 0.108,
    "torso": 0.288, "shoulder_half_width": 0.11, "hip_half_width": 0.055,
    "head_radius": 0.045, "neck": 0.035, "head_centre": 0.055,
}
# How far the flesh reaches below a landmark (share of height): a hip joint rests ~9 cm above the seat or floor.
CONTACT_RADIUS = np.full(LAYOUT.num_joints, 0.012)
CONTACT_RADIUS[[J["left_hip"], J["right_hip"]]] = 0.05
CONTACT_RADIUS[[J["left_shoulder"], J["right_shoulder"]]] = 0.03
CONTACT_RADIUS[[J["left_ear"], J["right_ear"]]] = 0.02
CONTACT_RADIUS[[J["left_knee"], J["right_knee"]]] = 0.025
CONTACT_RADIUS[[J["left_heel"], J["right_heel"], J["left_foot_index"], J["right_foot_index"]]] = 0.0


@dataclass
class Bodies:
    """N sampled bodies; every field is (N,) metres unless noted."""
    height: np.ndarray
    segments: dict[str, np.ndarray]

    def __len__(self) -> int:
        return len(self.height)

    def take(self, index: np.ndarray) -> "Bodies":
        return Bodies(self.height[index], {k: v[index] for k, v in self.segments.items()})


def sample_bodies(rng: np.random.Generator, count: int, height_range=(1.45, 1.95), build_range=(0.9, 1.15)) -> Bodies:
    """Heights uniform in height_range; a build factor widens shoulders/hips; each segment ±4 % on its own."""
    height = rng.uniform(*height_range, size=count)
    build = rng.uniform(*build_range, size=count)
    segments = {}
    for name, share in PROPORTIONS.items():
        jitter = rng.normal(1.0, 0.02, size=count).clip(0.94, 1.06)
        widen = build if name in ("shoulder_half_width", "hip_half_width") else 1.0
        segments[name] = share * height * jitter * widen
    return Bodies(height, segments)


def rot_x(a: np.ndarray) -> np.ndarray:
    c, s, o, z = np.cos(a), np.sin(a), np.ones_like(a), np.zeros_like(a)
    return np.stack([np.stack([o, z, z], -1), np.stack([z, c, -s], -1), np.stack([z, s, c], -1)], -2)


def rot_y(a: np.ndarray) -> np.ndarray:
    c, s, o, z = np.cos(a), np.sin(a), np.ones_like(a), np.zeros_like(a)
    return np.stack([np.stack([c, z, s], -1), np.stack([z, o, z], -1), np.stack([-s, z, c], -1)], -2)


def rot_z(a: np.ndarray) -> np.ndarray:
    c, s, o, z = np.cos(a), np.sin(a), np.ones_like(a), np.zeros_like(a)
    return np.stack([np.stack([c, -s, z], -1), np.stack([s, c, z], -1), np.stack([z, z, o], -1)], -2)


def _apply(rotation: np.ndarray, vector: np.ndarray) -> np.ndarray:
    """rotation (N,T,3,3) @ vector (N,3) or (N,T,3) → (N,T,3)."""
    if vector.ndim == 2:
        vector = vector[:, None, :]
    return np.einsum("ntij,ntj->nti", rotation, np.broadcast_to(vector, rotation.shape[:-1]))


def _vec(x, y, z) -> np.ndarray:
    """(N,3) from per-body arrays or scalars."""
    x, y, z = np.broadcast_arrays(x, y, z)
    return np.stack([x, y, z], axis=-1)


def forward_kinematics(bodies: Bodies, angles: dict[str, np.ndarray]) -> np.ndarray:
    """Joint angles (each (N,T)) → landmark positions (N,T,33,3) relative to the hip centre, in a world-aligned
    frame (the root rotation is applied, no translation)."""
    seg = bodies.segments
    n, t = angles["yaw"].shape
    zero = np.zeros(n)
    root = rot_y(angles["yaw"]) @ rot_x(angles["pitch"]) @ rot_z(angles["roll"])
    out = np.zeros((n, t, LAYOUT.num_joints, 3))

    neck = _vec(zero, seg["torso"] + seg["neck"], zero)
    head = root @ rot_x(angles["head_pitch"]) @ rot_y(angles["head_yaw"])
    neck_world = _apply(root, neck)
    r, c = seg["head_radius"], seg["head_centre"]
    # Face points in the head frame, relative to the head centre, in head radii: (x left, y up, z forward).
    face = {
        "nose": (0.0, -0.1, 1.0), "left_eye_inner": (0.25, 0.25, 0.92), "left_eye": (0.42, 0.27, 0.86),
        "left_eye_outer": (0.6, 0.25, 0.75), "left_ear": (0.95, 0.05, 0.0), "mouth_left": (0.3, -0.45, 0.85),
    }
    for name, (fx, fy, fz) in face.items():
        for mirror, joint_name in ((1.0, name), (-1.0, name.replace("left", "right"))):
            offset = _vec(mirror * fx * r, c + fy * r, fz * r)
            out[:, :, J[joint_name]] = neck_world + _apply(head, offset)

    for side, sign, name in (("l", 1.0, "left"), ("r", -1.0, "right")):
        shoulder = _apply(root, _vec(sign * seg["shoulder_half_width"], seg["torso"], zero))
        upper = root @ rot_z(sign * angles[f"{side}_sh_abd"]) @ rot_x(-angles[f"{side}_sh_flex"])
        elbow = shoulder + _apply(upper, _vec(zero, -seg["upper_arm"], zero))
        fore = upper @ rot_x(-angles[f"{side}_elbow"])
        wrist = elbow + _apply(fore, _vec(zero, -seg["forearm"], zero))
        hand = seg["hand"]
        out[:, :, J[f"{name}_shoulder"]] = shoulder
        out[:, :, J[f"{name}_elbow"]] = elbow
        out[:, :, J[f"{name}_wrist"]] = wrist
        # Palm facing the thigh when the arm hangs: thumb forward, pinky back.
        out[:, :, J[f"{name}_index"]] = wrist + _apply(fore, _vec(zero, -0.8 * hand, 0.12 * hand))
        out[:, :, J[f"{name}_pinky"]] = wrist + _apply(fore, _vec(zero, -0.6 * hand, -0.2 * hand))
        out[:, :, J[f"{name}_thumb"]] = wrist + _apply(fore, _vec(zero, -0.4 * hand, 0.3 * hand))

        hip = _apply(root, _vec(sign * seg["hip_half_width"], zero, zero))
        thigh = root @ rot_z(sign * angles[f"{side}_hip_abd"]) @ rot_x(-angles[f"{side}_hip_flex"])
        knee = hip + _apply(thigh, _vec(zero, -seg["thigh"], zero))
        shin = thigh @ rot_x(angles[f"{side}_knee"])
        ankle = knee + _apply(shin, _vec(zero, -seg["shin"], zero))
        foot = shin @ rot_x(-angles[f"{side}_ankle"])
        out[:, :, J[f"{name}_hip"]] = hip
        out[:, :, J[f"{name}_knee"]] = knee
        out[:, :, J[f"{name}_ankle"]] = ankle
        out[:, :, J[f"{name}_heel"]] = ankle + _apply(foot, _vec(zero, -seg["ankle_height"], -0.2 * seg["foot"]))
        out[:, :, J[f"{name}_foot_index"]] = ankle + _apply(foot, _vec(zero, -seg["ankle_height"], 0.75 * seg["foot"]))
    return out
