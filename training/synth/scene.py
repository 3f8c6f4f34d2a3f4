"""Places posed bodies in the room: supports (floor, chair, bed), free fall, and foot contact.

Vertical: in every frame the body rests on its lowest point: the lowest landmark (minus the flesh below it,
body.CONTACT_RADIUS) touches the floor, and joints that rest on furniture stay on top of it; but the hips never
drop faster than free fall, so when a fall's pose collapses ahead of the body the hips follow a ballistic path
(acceleration g, or a little less for people who brace) until they land.
Horizontal: a landmark in contact with the floor does not slide: the root moves so that the lowest landmark
keeps its place from frame to frame. That turns the gait's leg swing into walking and a fall into a pivot over
the feet. Off the floor the body keeps its horizontal velocity, damped.
"""
from __future__ import annotations

import numpy as np

from training.synth.body import CONTACT_RADIUS, Bodies
from training.synth.motions import Motion

FLOOR_CONTACT = 0.03  # metres: a landmark this close to the floor is in contact with it
AIR_DAMPING = 0.85  # per frame, of the horizontal velocity while nothing touches the floor


def support_height(bodies: Bodies, motion: Motion, posed: np.ndarray) -> np.ndarray:
    """(N,T) height of the hip centre so that the body rests on the floor / furniture."""
    radius = CONTACT_RADIUS[None, None, :] * bodies.height[:, None, None]
    bottom = posed[..., 1] - radius  # (N,T,V) lowest flesh point below each landmark, relative to the hips
    on_floor = -bottom.min(axis=2)
    on_furniture = motion.furniture_height[:, None] - np.where(motion.furniture_joints[:, None, :], bottom, np.inf).min(axis=2)
    lift = np.where(np.isfinite(on_furniture), np.maximum(0.0, on_furniture - on_floor), 0.0)
    return on_floor + motion.furniture_weight * lift


def with_gravity(support: np.ndarray, gravity: np.ndarray, fps: float) -> np.ndarray:
    """Hip height (N,T): on the support, except that nothing falls faster than free fall: when the support
    drops away quicker (a fall, the legs giving way), the hips follow a ballistic path until they land."""
    height = support.copy()
    dt = 1.0 / fps
    velocity = np.zeros(len(support))
    for frame in range(1, support.shape[1]):
        # velocity is the backward difference, so a parabola's second difference is exactly g·dt². Only a
        # downward velocity carries on: muscles, not momentum, lift a body, and they stop it at the top.
        falling = height[:, frame - 1] + np.minimum(velocity, 0.0) * dt - gravity * dt * dt
        height[:, frame] = np.maximum(support[:, frame], falling)
        velocity = (height[:, frame] - height[:, frame - 1]) / dt
    return height


def horizontal_path(bodies: Bodies, posed: np.ndarray, height: np.ndarray, motion: Motion) -> np.ndarray:
    """(N,T,2) root x,z so that whatever touches the floor stays put."""
    n, frames = height.shape
    radius = CONTACT_RADIUS[None, :] * bodies.height[:, None]
    root = np.zeros((n, frames, 2))
    rows = np.arange(n)
    velocity = np.zeros((n, 2))

    def lowest_and_contact(frame: int) -> tuple[np.ndarray, np.ndarray]:
        bottom = posed[:, frame, :, 1] - radius + height[:, frame, None]
        lowest = bottom.argmin(axis=1)
        return lowest, bottom[rows, lowest] < FLOOR_CONTACT

    previous_contact = lowest_and_contact(0)[1]
    for frame in range(1, frames):
        lowest, contact = lowest_and_contact(frame)
        seated = motion.furniture_weight[:, frame] > 0.5
        slip = posed[rows, frame, lowest][:, [0, 2]] - posed[rows, frame - 1, lowest][:, [0, 2]]
        anchored = contact & previous_contact
        step = np.where(anchored[:, None], -slip, np.where(seated[:, None], 0.0, velocity * AIR_DAMPING))
        root[:, frame] = root[:, frame - 1] + step
        velocity = step
        previous_contact = contact
    return root


def place(bodies: Bodies, motion: Motion, posed: np.ndarray, fps: float) -> np.ndarray:
    """Posed landmarks (N,T,V,3) relative to the hips → world landmarks in metres (y up, floor at y = 0), the
    path centred on the origin."""
    height = with_gravity(support_height(bodies, motion, posed), motion.gravity, fps)
    root = horizontal_path(bodies, posed, height, motion)
    root -= root.mean(axis=1, keepdims=True)
    world = posed.copy()
    world[..., 0] += root[..., 0, None]
    world[..., 1] += height[..., None]
    world[..., 2] += root[..., 1, None]
    return world
