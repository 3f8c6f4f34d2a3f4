"""Random pinhole cameras and MediaPipe-like image landmarks.

A camera is placed relative to where the person is at the middle of the window: distance, height, azimuth
(0 = in front of the person, ±π/2 = their left/right side, π = behind), a look-at point with optional offset
(partial views), horizontal field of view, image size and a small roll. Image landmarks follow MediaPipe's
convention: x, y ∈ [0,1] of the image (y down), z = depth relative to the hip centre on the scale of x (smaller
= closer), visibility ∈ [0,1], with MediaPipe's imperfections (training/synth/mediapipe.py).
"""
from __future__ import annotations

import warnings
from dataclasses import dataclass

import numpy as np

from training.synth import mediapipe
from training.synth.body import FACE, J, TORSO
from training.synth.mediapipe import BEHAVIOUR, MIN_PERSON_PIXELS, Frames

IMAGE_SIZES = ((640, 480), (1280, 720), (480, 640))  # landscape webcam, HD webcam, portrait kiosk screen


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
    partial: np.ndarray  # index into PARTIAL_VIEWS

    def __len__(self) -> int:
        return len(self.distance)

    def as_json(self) -> list[dict]:
        names = ("distance", "height", "azimuth", "look_height", "look_side", "fov", "roll", "width", "height_px", "partial")
        return [{k: float(getattr(self, k)[i]) for k in names} for i in range(len(self))]


# Partial views: the whole person; cut at a side (camera turned away); legs out of the bottom (a close camera at
# chest height, only the upper body or down to the hips in view); head out of the top (a close, low camera).
PARTIAL_VIEWS = ("full", "side", "legs_out", "head_out")


def sample_cameras(rng: np.random.Generator, count: int, partial_share: float = 0.15) -> Cameras:
    size = rng.integers(0, len(IMAGE_SIZES), count)
    partial = np.where(rng.random(count) < partial_share, rng.integers(1, len(PARTIAL_VIEWS), count), 0)
    side, legs_out, head_out = partial == 1, partial == 2, partial == 3
    close = rng.uniform(0.9, 1.6, count)
    return Cameras(
        distance=np.select([side, legs_out | head_out], [0.6 * rng.uniform(1.6, 4.5, count), close], rng.uniform(1.6, 4.5, count)),
        # desk webcam … kiosk top … wall corner; chest height for the legs-out views, a low shelf for head-out
        height=np.select([legs_out, head_out], [rng.uniform(1.1, 1.7, count), rng.uniform(0.4, 0.8, count)], rng.uniform(0.7, 2.6, count)),
        azimuth=rng.uniform(-np.pi, np.pi, count),
        look_height=np.select([side, legs_out, head_out], [rng.uniform(0.5, 1.9, count), rng.uniform(1.1, 1.5, count), rng.uniform(0.3, 0.6, count)],
                              rng.uniform(0.5, 1.1, count)),
        look_side=side * rng.choice([-1.0, 1.0], count) * rng.uniform(0.6, 1.4, count),
        fov=np.radians(rng.uniform(50, 80, count)),
        roll=rng.normal(0.0, 0.03, count),
        width=np.array([IMAGE_SIZES[s][0] for s in size], float),
        height_px=np.array([IMAGE_SIZES[s][1] for s in size], float),
        partial=partial.astype(float),
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


def enter_view(world: np.ndarray, cameras: Cameras, enters_at: np.ndarray, fps: float) -> np.ndarray:
    """Shifts sideways (along the camera's horizontal right) each sequence with enters_at ≥ 0 (seconds) so that
    its walking person crosses the image edge into view at that time; others are returned unchanged."""
    out = world.copy()
    centre, rotation = camera_basis(cameras)
    right = rotation[:, 0] * np.array([1.0, 0.0, 1.0])
    right /= np.linalg.norm(right, axis=-1, keepdims=True)
    hips = world[:, :, [J["left_hip"], J["right_hip"]]].mean(axis=2)
    for n in np.flatnonzero(np.asarray(enters_at) >= 0):
        k = int(np.clip(round(enters_at[n] * fps), 1, world.shape[1] - 2))
        lateral = (hips[n] - centre[n]) @ right[n]
        direction = np.sign(lateral[k + 1] - lateral[k - 1])
        depth = (hips[n, k] - centre[n]) @ rotation[n, 2]
        target = -direction * (depth * np.tan(cameras.fov[n] / 2) + 0.2)  # hips 0.2 m beyond the edge: the body starts to show
        out[n] += (target - lateral[k]) * right[n]
    return out


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


def imperfect(rng: np.random.Generator, world: np.ndarray, cameras: Cameras, fps: float,
              detect_small: bool = True) -> tuple[np.ndarray, Frames]:
    """World landmarks (N,T,V,3) → MediaPipe-like image landmarks (N,T,V,4) [x, y, z, visibility] and the frames
    the detector got wrong, by the measured behaviour model (training/synth/mediapipe.py): per-part jitter,
    visibility as MediaPipe reports it (also for landmarks outside the image, which keep their coordinates),
    self-occlusion (lower visibility, drifting estimate), detection gaps by posture and size, left/right swaps,
    upside-down flips. With detect_small, frames with the person under ~100 px or fewer than the measured number
    of landmarks inside the image are missed too. A missed frame is all zeros."""
    n, frames, joints, _ = world.shape
    truth = project(world, cameras)
    finite = np.isfinite(truth[..., 0])
    clean = np.nan_to_num(truth)
    size = np.stack([cameras.width, cameras.height_px], -1)
    centre, rotation = camera_basis(cameras)
    depth = np.einsum("nj,ntvj->ntv", rotation[:, 2], world - centre[:, None, None, :])
    torso_m = np.linalg.norm(world[..., TORSO[:2], :].mean(axis=2) - world[..., TORSO[2:], :].mean(axis=2), axis=-1)
    focal_px = 0.5 / np.tan(cameras.fov / 2) * cameras.width
    scale = torso_m * focal_px[:, None] / np.maximum(depth[..., TORSO[2:]].mean(axis=-1), 0.1)
    image = mediapipe.add_noise(rng, clean, scale, size)

    # Self-occlusion: a landmark behind the torso (deeper than the torso centre, inside its image box).
    torso_depth = depth[..., TORSO].mean(axis=-1, keepdims=True)
    torso_xy = truth[..., TORSO, :2]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # a torso entirely behind the camera: all-nan, stays nan
        low, high = np.nanmin(torso_xy, axis=2, keepdims=True), np.nanmax(torso_xy, axis=2, keepdims=True)
    margin = 0.25 * (high - low)
    inside_torso = ((truth[..., :2] > low - margin) & (truth[..., :2] < high + margin)).all(axis=-1)
    hidden = inside_torso & (depth > torso_depth + 0.05)
    # MediaPipe keeps the face and the trunk confident even from behind (docs/real-poses.md).
    hidden[..., TORSO + FACE] = False
    # A hidden landmark's estimate wanders off while it stays hidden and snaps back once it is seen again.
    drift = np.cumsum(rng.standard_normal((n, frames, joints, 2)) * 0.002 * hidden[..., None], axis=1)
    image[..., :2] += hidden[..., None] * drift

    postures, folded = mediapipe.posture(clean, scale, size)
    visibility = mediapipe.visibility(rng, clean, folded, hidden, size)
    landmarks = np.concatenate([image, visibility[..., None]], axis=-1)
    landmarks[~finite] = 0.0  # behind the camera: nothing
    in_image = finite & (truth[..., 0] >= 0) & (truth[..., 0] <= 1) & (truth[..., 1] >= 0) & (truth[..., 1] <= 1)
    pixels = np.where(in_image[..., None], clean[..., :2] * size[:, None, None, :], np.nan)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # frames without a landmark in the image: size 0 below
        span = np.nan_to_num(np.nanmax(pixels, axis=2) - np.nanmin(pixels, axis=2))
    person = np.hypot(span[..., 0], span[..., 1])
    small = person < BEHAVIOUR["detection"]["smallPerson"] * cameras.height_px[:, None]
    undetectable = (person < MIN_PERSON_PIXELS) | (in_image.sum(axis=2) < BEHAVIOUR["detection"]["minLandmarksInImage"])
    errors = mediapipe.sample_errors(rng, postures, small, fps, undetectable & detect_small)
    return mediapipe.apply_errors(landmarks, errors), errors
