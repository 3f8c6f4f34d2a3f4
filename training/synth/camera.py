"""Random pinhole cameras and MediaPipe-like image landmarks.

A camera is placed relative to where the person is at the middle of the window: distance, height, azimuth
(0 = in front of the person, ±π/2 = their left/right side, π = behind), a look-at point with optional offset
(partial views), horizontal field of view, image size and a small roll. Image landmarks follow MediaPipe's
convention: x, y ∈ [0,1] of the image (y down), z = depth relative to the hip centre on the scale of x (smaller
= closer), visibility ∈ [0,1].
"""
from __future__ import annotations

import warnings
from dataclasses import dataclass

import numpy as np

from training.synth.body import FACE, FEET, HANDS, J, LAYOUT, TORSO

IMAGE_SIZES = ((640, 480), (1280, 720), (480, 640))  # landscape webcam, HD webcam, portrait kiosk screen
MIN_PERSON_PIXELS = 100  # platform notes: MediaPipe does not detect people smaller than ~100 px
MIN_VISIBLE_JOINTS = 6  # fewer visible landmarks than this and the detector would not fire


@dataclass
class Cameras:
    """C cameras; every field is (C,)."""
    distance: np.ndarray
    height: np.ndarray
    azimuth: np.ndarray
    look_height: np.ndarray
    look_side: np.ndarray  # metres the look-at point is shifted sideways (partial views)
    fov: np.ndarray  # horizontal, radians
    roll: np.ndarray
    width: np.ndarray
    height_px: np.ndarray

    def __len__(self) -> int:
        return len(self.distance)

    def as_json(self) -> list[dict]:
        names = ("distance", "height", "azimuth", "look_height", "look_side", "fov", "roll", "width", "height_px")
        return [{k: float(getattr(self, k)[i]) for k in names} for i in range(len(self))]


def sample_cameras(rng: np.random.Generator, count: int, partial_share: float = 0.15) -> Cameras:
    size = rng.integers(0, len(IMAGE_SIZES), count)
    partial = rng.random(count) < partial_share
    return Cameras(
        distance=rng.uniform(1.6, 4.5, count) * np.where(partial, 0.6, 1.0),
        height=rng.uniform(0.7, 2.6, count),  # desk webcam … kiosk top … wall corner
        azimuth=rng.uniform(-np.pi, np.pi, count),
        look_height=rng.uniform(0.5, 1.1, count) + partial * rng.uniform(0.0, 0.8, count),
        look_side=partial * rng.choice([-1.0, 1.0], count) * rng.uniform(0.6, 1.4, count),
        fov=np.radians(rng.uniform(50, 80, count)),
        roll=rng.normal(0.0, 0.03, count),
        width=np.array([IMAGE_SIZES[s][0] for s in size], float),
        height_px=np.array([IMAGE_SIZES[s][1] for s in size], float),
    )


def camera_basis(cameras: Cameras) -> tuple[np.ndarray, np.ndarray]:
    """Camera centres (C,3) and rotation rows (C,3,3): right, up, forward (looking direction)."""
    centre = np.stack([cameras.distance * np.sin(cameras.azimuth), cameras.height,
                       cameras.distance * np.cos(cameras.azimuth)], axis=-1)
    # The look-at point sits on the person's vertical axis, shifted sideways as seen from the camera.
    side = np.stack([np.cos(cameras.azimuth), np.zeros(len(cameras)), -np.sin(cameras.azimuth)], axis=-1)
    target = np.stack([np.zeros(len(cameras)), cameras.look_height, np.zeros(len(cameras))], axis=-1)
    target = target + cameras.look_side[:, None] * side
    forward = target - centre
    forward /= np.linalg.norm(forward, axis=-1, keepdims=True)
    right = np.cross(forward, [0.0, 1.0, 0.0])
    right /= np.linalg.norm(right, axis=-1, keepdims=True)
    up = np.cross(right, forward)
    c, s = np.cos(cameras.roll)[:, None], np.sin(cameras.roll)[:, None]
    right, up = c * right + s * up, -s * right + c * up
    return centre, np.stack([right, up, forward], axis=1)


def project(world: np.ndarray, cameras: Cameras) -> np.ndarray:
    """World landmarks (N,T,V,3) seen by per-sequence cameras (N entries) → (N,T,V,3) image [x, y, z] before
    any imperfection; x, y may fall outside [0,1], points behind the camera get nan."""
    centre, rotation = camera_basis(cameras)
    local = np.einsum("nij,ntvj->ntvi", rotation, world - centre[:, None, None, :])
    depth = local[..., 2]
    focal = 0.5 / np.tan(cameras.fov / 2)[:, None, None]  # focal length in image widths
    aspect = (cameras.width / cameras.height_px)[:, None, None]
    with np.errstate(divide="ignore", invalid="ignore"):
        x = 0.5 + focal * local[..., 0] / depth
        y = 0.5 - focal * aspect * local[..., 1] / depth
        hips = depth[..., [J["left_hip"], J["right_hip"]]].mean(axis=-1, keepdims=True)
        z = focal * (depth - hips) / hips
    image = np.stack([x, y, z], axis=-1)
    image[depth <= 0.1] = np.nan
    return image


def hide_outside(landmarks: np.ndarray, valid: np.ndarray | bool = True) -> np.ndarray:
    """Visibility 0 for landmarks (..., 4) outside the image (x or y not in [0,1]) or not valid."""
    x, y = landmarks[..., 0], landmarks[..., 1]
    inside = valid & (x >= 0) & (x <= 1) & (y >= 0) & (y <= 1)
    out = landmarks.copy()
    out[..., 3] = np.where(inside, out[..., 3], 0.0)
    return out


def _smooth_noise(rng: np.random.Generator, shape: tuple, keep: np.ndarray) -> np.ndarray:
    """Temporally correlated noise along axis 1 (MediaPipe's outputs are filtered, so their jitter is too);
    keep (N,) is the share of the previous frame's noise kept, unit variance overall."""
    white = rng.standard_normal(shape)
    out = np.empty(shape)
    out[:, 0] = white[:, 0]
    scale = np.sqrt(1 - keep ** 2).reshape((-1,) + (1,) * (len(shape) - 2))
    keep = keep.reshape(scale.shape)
    for frame in range(1, shape[1]):
        out[:, frame] = keep * out[:, frame - 1] + scale * white[:, frame]
    return out


# World-space jitter (metres) per landmark before projection: hands and feet are the least stable.
JITTER = np.full(LAYOUT.num_joints, 0.010)
JITTER[FACE] = 0.006
JITTER[HANDS] = 0.025
JITTER[FEET] = 0.018


def imperfect(rng: np.random.Generator, world: np.ndarray, cameras: Cameras, detect_small: bool = True) -> np.ndarray:
    """World landmarks (N,T,V,3) → MediaPipe-like image landmarks (N,T,V,4) [x, y, z, visibility]: jitter,
    self-occlusion (low visibility, drifting estimate), landmarks outside the image (visibility 0), frames the
    detector misses (all zeros: dropped at random, person under ~100 px or too few landmarks in view)."""
    n, frames, joints, _ = world.shape
    quality = rng.uniform(0.5, 1.8, n)[:, None, None, None]
    noise = _smooth_noise(rng, world.shape, rng.uniform(0.3, 0.8, n))
    truth = project(world, cameras)
    image = project(world + noise * JITTER[None, None, :, None] * quality, cameras)
    image[..., 2] += 2 * np.nan_to_num(image[..., 2] - truth[..., 2])  # MediaPipe's depth is the noisiest part

    # Self-occlusion: a landmark behind the torso (deeper than the torso centre, inside its image box).
    centre, rotation = camera_basis(cameras)
    depth = np.einsum("nj,ntvj->ntv", rotation[:, 2], world - centre[:, None, None, :])
    torso_depth = depth[..., TORSO].mean(axis=-1, keepdims=True)
    torso_xy = truth[..., TORSO, :2]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # a torso entirely behind the camera: all-nan, stays nan
        low, high = np.nanmin(torso_xy, axis=2, keepdims=True), np.nanmax(torso_xy, axis=2, keepdims=True)
    margin = 0.25 * (high - low)
    inside = ((truth[..., :2] > low - margin) & (truth[..., :2] < high + margin)).all(axis=-1)
    hidden = inside & (depth > torso_depth + 0.05)
    hidden[..., TORSO] = False
    # Facing away from the camera: the face is guessed, not seen.
    facing = np.einsum("nj,ntj->nt", rotation[:, 2], world[..., J["nose"], :] - world[..., [J["left_ear"], J["right_ear"]], :].mean(axis=2))
    hidden[..., FACE] |= (facing > 0.02)[..., None]
    # A hidden landmark's estimate wanders off while it stays hidden and snaps back once it is seen again.
    drift = np.cumsum(rng.standard_normal((n, frames, joints, 2)) * 0.004 * hidden[..., None], axis=1)
    image[..., :2] += hidden[..., None] * drift

    seen_vis = 1 - rng.beta(1.2, 12, (n, frames, joints)) * 2  # mostly 0.85–1.0
    seen_vis[..., HANDS + FEET] -= rng.uniform(0, 0.2, (n, frames, len(HANDS + FEET)))
    hidden_vis = rng.uniform(0.05, 0.6, (n, 1, joints)) + rng.normal(0, 0.05, (n, frames, joints))
    visibility = np.clip(np.where(hidden, hidden_vis, seen_vis), 0, 1)
    landmarks = hide_outside(np.concatenate([np.nan_to_num(image), visibility[..., None]], axis=-1), np.isfinite(image[..., 0]))

    missed = rng.random((n, frames)) < rng.uniform(0, 0.06, (n, 1))
    if detect_small:
        seen = landmarks[..., 3] >= 0.5
        pixels = np.stack([cameras.width, cameras.height_px], -1)[:, None, None, :] * truth[..., :2]
        extent = np.where(seen[..., None], pixels, np.nan)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)  # frames without a seen landmark: nan, size 0 below
            span = np.nanmax(extent, axis=2) - np.nanmin(extent, axis=2)
        size = np.nan_to_num(np.hypot(span[..., 0], span[..., 1]))
        missed |= (size < MIN_PERSON_PIXELS) | (seen.sum(axis=2) < MIN_VISIBLE_JOINTS)
    landmarks[missed] = 0.0
    return landmarks
