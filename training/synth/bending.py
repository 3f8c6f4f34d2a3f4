"""The bending label: bending at the waist, picking things up from the floor (from standing or from a chair),
kneeling and squats: the torso leans far or the body goes low, but nobody falls."""
from __future__ import annotations

import numpy as np

from training.synth.action_base import always, chair_height, contexts, finish, heading, mixture, pick, window
from training.synth.motions import FURNITURE_CHAIR, Motion, PoseBook, Timeline, both_sides, modify


def _bend_at_the_waist(book: PoseBook, t: np.ndarray) -> Motion:
    w = window(t)
    stand = book.stand(heading(book))
    pitch, knee = book.u(0.7, 1.45), book.u(0.0, 0.8)
    bent = both_sides(modify(stand, pitch=pitch, head_pitch=book.u(0.0, 0.5)), hip_flex=pitch + knee / 2, knee=knee,
                      sh_flex=pitch + book.u(-0.2, 0.5), elbow=book.u(0.0, 0.5))
    fast = book.choice(0.25)  # a quick bend to pick something up: fall-like but normal
    down = np.where(fast, book.u(0.3, 0.55), book.u(0.6, 1.5))
    start = book.u(0.0, 0.4) * w
    hold = book.u(0.2, 1.0)
    line = Timeline(t, stand).to(bent, start, down).to(stand, start + down + hold, book.u(0.5, 1.5))
    return finish(book, line, 0.05, contexts(fast=fast))


def _pick_up(book: PoseBook, t: np.ndarray, seated: bool) -> Motion:
    """Picks something up from the floor, from standing or from a chair: the trunk goes to horizontal or past it
    for 1–2 s, the hands reach the floor."""
    w = window(t)
    yaw = heading(book)
    seat = chair_height(book)
    first = book.sit(yaw, seat) if seated else book.stand(yaw)
    pitch = first["pitch"] + (book.u(1.2, 1.6) if seated else book.u(1.45, 1.9))
    knee = first["l_knee"] if seated else book.u(0.3, 1.2)
    reach = both_sides(modify(first, pitch=pitch, head_pitch=book.u(-0.2, 0.4), roll=book.u(-0.3, 0.3)),
                       hip_flex=(first["l_hip_flex"] - first["pitch"] + pitch) if seated else pitch + knee / 2, knee=knee,
                       sh_flex=pitch + book.u(-0.1, 0.4), elbow=book.u(0.0, 0.3))
    start, down, hold = book.u(0.0, 0.35) * w - book.u(0, 0.4), book.u(0.5, 1.0), book.u(1.0, 2.0)
    line = Timeline(t, first).to(reach, start, down).to(first, start + down + hold, book.u(0.6, 1.2))
    furniture = (np.full(book.n, seat), always(book, t), FURNITURE_CHAIR) if seated else None
    return finish(book, line, 0.04, contexts(fast=np.zeros(book.n, bool)), furniture)


def _kneel(book: PoseBook, t: np.ndarray) -> Motion:
    """Gets down to kneel (on both knees or on one), or is kneeling, or gets up from kneeling."""
    w = window(t)
    yaw = heading(book)
    stand, kneel = book.stand(yaw), book.kneel(yaw)
    order = book.choice(0.5)
    first, second = pick(order, stand, kneel), pick(order, kneel, stand)
    start = book.u(-0.5, 0.5) * w
    line = Timeline(t, first).to(second, start, book.u(0.9, 1.8))
    return finish(book, line, 0.04, contexts(fast=np.zeros(book.n, bool)))


def _squats(book: PoseBook, t: np.ndarray) -> Motion:
    """Squats as exercise: down to the thighs near horizontal and up again, 0.35–0.7 per second."""
    yaw = heading(book)
    stand, down = book.stand(yaw), book.squat(yaw)
    line = Timeline(t, stand)
    depth = 0.5 - 0.5 * np.cos(2 * np.pi * book.u(0.35, 0.7)[:, None] * t[None, :] + book.u(0, 2 * np.pi)[:, None])
    for name in line.angles:
        line.add(name, depth * (down[name] - stand[name])[:, None])
    return finish(book, line, 0.03, contexts(fast=np.zeros(book.n, bool)))


bending = mixture((0.45, "bend", _bend_at_the_waist), (0.2, "pick_up", lambda book, t: _pick_up(book, t, False)),
                  (0.12, "pick_up_seated", lambda book, t: _pick_up(book, t, True)), (0.12, "kneel", _kneel),
                  (0.11, "squats", _squats))
