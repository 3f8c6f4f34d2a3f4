"""One motion generator per label of training/labels/default.json (except no_person, which is rendered from
the camera side in training/synth/generate.py). Each takes a PoseBook (random source + bodies) and the window's
time grid t (T,) in seconds and returns a Motion. A label can be a mixture of variants (action_base.mixture):
each sequence's context names its variant. Falls are in fall_actions.py."""
from __future__ import annotations

import numpy as np

from training.synth.action_base import (
    always, bed_height, chair_height, contexts, finish, heading, mixture, pick, window,
)
from training.synth.bending import bending
from training.synth.fall_actions import falling_backward, falling_forward, falling_sideways, slumping_from_chair
from training.synth.motions import (
    FURNITURE_BED, FURNITURE_CHAIR, HALF_PI, Motion, PoseBook, Timeline, add_gait, add_waving, both_sides, modify, ramp,
)


def standing(book: PoseBook, t: np.ndarray) -> Motion:
    w = window(t)
    pose = book.stand(heading(book))
    line = Timeline(t, pose)
    turning = book.choice(0.3)
    line.to(modify(pose, yaw=pose["yaw"] + turning * book.u(-1.5, 1.5)), book.u(0, w / 2), book.u(0.8, 2.0))
    # A gesture with one arm (reaching, touching the face, pointing) and back.
    left = book.choice(0.5)
    gesture = book.choice(0.45)
    flex, elbow = book.u(0.3, 1.6) * gesture, book.u(0.2, 1.8) * gesture
    raised = modify(line.last, l_sh_flex=np.where(left, flex, line.last["l_sh_flex"]),
                    l_elbow=np.where(left, elbow, line.last["l_elbow"]),
                    r_sh_flex=np.where(~left, flex, line.last["r_sh_flex"]),
                    r_elbow=np.where(~left, elbow, line.last["r_elbow"]))
    start = book.u(0, w / 2)
    line.to(raised, start, book.u(0.4, 1.0)).to(pose | {"yaw": line.last["yaw"]}, start + book.u(1.0, 2.0), book.u(0.4, 1.0))
    return finish(book, line, 0.06, contexts(turning=turning, gesture=gesture))


def walking(book: PoseBook, t: np.ndarray) -> Motion:
    w = window(t)
    line = Timeline(t, book.stand(heading(book)))
    line.to(modify(line.last, pitch=line.last["pitch"] + book.u(0.0, 0.1)), np.zeros(book.n), np.ones(book.n))
    phase = book.rng.choice(["walking", "starting", "stopping"], size=book.n, p=[0.6, 0.2, 0.2])
    start, duration = book.u(0.0, 0.35 * w), book.u(0.4, 1.0)
    envelope = np.select([phase[:, None] == "starting", phase[:, None] == "stopping"],
                         [ramp(t, start, duration), 1 - ramp(t, w - start - duration, duration)], 1.0)
    add_gait(line, book, envelope)
    return finish(book, line, 0.04, contexts(phase=phase))


def _sit_down_on_a_seat(book: PoseBook, t: np.ndarray) -> Motion:
    w = window(t)
    seat, yaw = chair_height(book), heading(book)
    stand, sit = book.stand(yaw), book.sit(yaw, seat)
    fast = book.choice(0.25)  # dropping onto the seat: a fall-like normal action
    duration = np.where(fast, book.u(0.45, 0.8), book.u(0.9, 2.0))
    start = book.u(0.05, 0.45) * w - np.where(fast, 0, book.u(0, 0.5))
    lean = book.u(0.3, 0.7)
    mid = {k: (stand[k] + sit[k]) / 2 for k in stand}
    mid = modify(mid, pitch=mid["pitch"] + lean, l_hip_flex=mid["l_hip_flex"] + lean, r_hip_flex=mid["r_hip_flex"] + lean)
    line = Timeline(t, stand).to(mid, start, 0.55 * duration).to(sit, start + 0.55 * duration, 0.45 * duration)
    return finish(book, line, 0.04, contexts(fast=fast, seat=seat), (seat, always(book, t), FURNITURE_CHAIR))


def _floor_sit(book: PoseBook, yaw: np.ndarray) -> dict:
    """Sitting on the floor with the hands in the lap (hands propped behind would hold the hips up)."""
    return both_sides(book.floor_sit(yaw), sh_flex=book.u(0.3, 0.9), sh_abd=book.u(0.0, 0.3), elbow=book.u(0.6, 1.4))


def _sit_down_on_the_floor(book: PoseBook, t: np.ndarray) -> Motion:
    """Crouch, then sit on the floor with the legs forward, leaning on the hands, in 1.5–3 s."""
    w = window(t)
    yaw = heading(book)
    start, first, second = book.u(0.0, 0.2) * w - book.u(0, 0.5), book.u(0.6, 1.1), book.u(0.6, 1.1)
    line = Timeline(t, book.stand(yaw)).to(book.squat(yaw), start, first).to(_floor_sit(book, yaw), start + first, second)
    return finish(book, line, 0.04, contexts(fast=np.zeros(book.n, bool), seat=np.zeros(book.n)))


sitting_down = mixture((0.82, "seat", _sit_down_on_a_seat), (0.18, "floor", _sit_down_on_the_floor))


def _seated(book: PoseBook, t: np.ndarray, seat: np.ndarray) -> Motion:
    w = window(t)
    yaw = heading(book)
    sit = book.sit(yaw, seat)
    line = Timeline(t, sit)
    # Desk work or conversation: the hands move on the table, the trunk leans in and out.
    reach = book.choice(0.4)
    forward = modify(sit, pitch=sit["pitch"] + reach * book.u(0.1, 0.5),
                     l_sh_flex=sit["l_sh_flex"] + reach * book.u(0.0, 0.8), r_sh_flex=sit["r_sh_flex"] + reach * book.u(0, 0.8),
                     l_hip_flex=sit["l_hip_flex"] + reach * 0.3, r_hip_flex=sit["r_hip_flex"] + reach * 0.3)
    start = book.u(0, 0.6 * w)
    line.to(forward, start, book.u(0.5, 1.2)).to(sit, start + book.u(1.2, 2.5), book.u(0.5, 1.2))
    typing = book.choice(0.4)[:, None] * 0.08 * np.sin(2 * np.pi * book.u(2, 4)[:, None] * t[None, :])
    line.add("l_elbow", typing)
    line.add("r_elbow", -typing)
    return finish(book, line, 0.1, contexts(reach=reach, seat=seat), (seat, always(book, t), FURNITURE_CHAIR))


def _on_the_floor(book: PoseBook, t: np.ndarray) -> Motion:
    """Sitting on the floor, shifting the weight and the legs now and then."""
    w = window(t)
    pose = _floor_sit(book, heading(book))
    pitch, knee = pose["pitch"] + book.u(-0.2, 0.3), book.u(0.0, 1.2)
    shifted = both_sides(modify(pose, pitch=pitch), knee=knee, hip_flex=HALF_PI + pitch + knee / 2)  # as floor_sit keeps the shins
    line = Timeline(t, pose).to(shifted, book.u(0, 0.6 * w), book.u(0.6, 1.5))
    return finish(book, line, 0.08, contexts(reach=np.zeros(book.n, bool), seat=np.zeros(book.n)))


sitting = mixture((0.72, "chair", lambda book, t: _seated(book, t, chair_height(book))),
                  (0.14, "sofa_or_bed", lambda book, t: _seated(book, t, bed_height(book))),
                  (0.14, "floor", _on_the_floor))


def standing_up(book: PoseBook, t: np.ndarray) -> Motion:
    w = window(t)
    seat, yaw = chair_height(book), heading(book)
    sit, stand = book.sit(yaw, seat), book.stand(yaw)
    duration = book.u(1.0, 2.8)  # older people rise slowly, often in two goes
    start = book.u(0.0, 0.4) * w - book.u(0, 0.6)
    lean = book.u(0.45, 0.85)  # "nose over toes" before the seat is left
    lifted = modify(sit, pitch=sit["pitch"] + lean, l_hip_flex=sit["l_hip_flex"] + lean, r_hip_flex=sit["r_hip_flex"] + lean,
                    l_sh_flex=book.u(0.0, 0.6), r_sh_flex=book.u(0.0, 0.6))
    mid = {k: (lifted[k] + stand[k]) / 2 for k in stand}
    line = Timeline(t, sit).to(lifted, start, 0.35 * duration).to(mid, start + 0.35 * duration, 0.35 * duration)
    line.to(stand, start + 0.7 * duration, 0.3 * duration)
    return finish(book, line, 0.04, contexts(seat=seat), (seat, always(book, t), FURNITURE_CHAIR))


def _lie_down(book: PoseBook, t: np.ndarray) -> Motion:
    w = window(t)
    yaw = heading(book)
    on_bed = book.choice(0.55)
    bed = bed_height(book)
    turn = np.where(book.choice(0.5), 1.0, -1.0) * book.u(1.2, 1.8)
    start = book.u(-0.8, 0.3 * w)
    # Bed: sit on the edge, then lie back while swinging the legs up (turning along the bed).
    edge = book.sit(yaw, bed)
    on_back = modify(book.lie(yaw + turn, np.zeros(book.n, int)), yaw=yaw + turn)
    # Floor: crouch, sit on the floor, lie back.
    crouch, floor_sit = book.squat(yaw), book.floor_sit(yaw)
    kind = book.rng.choice([0, 2, 3], size=book.n)
    on_floor = book.lie(yaw, kind)
    first, second = book.u(0.7, 1.4), book.u(0.8, 1.6)
    line = Timeline(t, book.stand(yaw))
    line.to(pick(on_bed, edge, crouch), start, first)
    line.to(pick(on_bed, on_back, floor_sit), start + first, second)
    line.to(pick(on_bed, on_back, on_floor), start + first + second, book.u(0.6, 1.4))
    return finish(book, line, 0.04, contexts(surface=np.where(on_bed, "bed", "floor")),
                   (np.where(on_bed, bed, 0.0), on_bed[:, None] * always(book, t), FURNITURE_BED))


def _lie_down_from_the_bed_edge(book: PoseBook, t: np.ndarray) -> Motion:
    """Sitting on a bed or sofa, then lying on it (back or side) in 1–2 s, as in GMDCSA24."""
    w = window(t)
    yaw, bed = heading(book), bed_height(book)
    turn = np.where(book.choice(0.5), 1.0, -1.0) * book.u(1.2, 1.8)
    kind = book.rng.choice([0, 2, 3], size=book.n)
    down = modify(book.lie(yaw + turn, kind), yaw=yaw + turn)
    line = Timeline(t, book.sit(yaw, bed)).to(down, book.u(0.0, 0.4) * w, book.u(1.0, 2.0))
    return finish(book, line, 0.04, contexts(surface=np.full(book.n, "bed")), (bed, always(book, t), FURNITURE_BED))


lying_down = mixture((0.75, "from_standing", _lie_down), (0.25, "from_bed_edge", _lie_down_from_the_bed_edge))


def lying(book: PoseBook, t: np.ndarray) -> Motion:
    w = window(t)
    yaw = heading(book)
    on_bed = book.choice(0.5)
    bed = bed_height(book)
    kind = book.rng.choice([0, 1, 2, 3], size=book.n, p=[0.45, 0.1, 0.225, 0.225])
    pose = book.lie(yaw, kind)
    line = Timeline(t, pose)
    moving = book.choice(0.3)  # shifting position, bending a knee, moving a forearm
    shifted = both_sides(modify(pose, roll=pose["roll"] + book.u(-0.3, 0.3)),
                         elbow=np.clip(pose["l_elbow"] + book.u(-0.5, 0.5) * (kind != 1), 0, 2.0),
                         knee=np.clip(pose["l_knee"] + book.u(-0.4, 0.4), 0, 1.4))
    for side in ("l", "r"):
        shifted[f"{side}_hip_flex"] = pose[f"{side}_hip_flex"] + np.where(kind == 1, 0.0, (shifted[f"{side}_knee"] - pose[f"{side}_knee"]) / 2)
    line.to(pick(moving, shifted, pose), book.u(0, 0.6 * w), book.u(0.6, 1.5))
    return finish(book, line, 0.05, contexts(surface=np.where(on_bed, "bed", "floor"), pose=kind),
                   (np.where(on_bed, bed, 0.0), on_bed[:, None] * always(book, t), FURNITURE_BED))


def getting_up(book: PoseBook, t: np.ndarray) -> Motion:
    """Slow rise from the floor (lie → sit → hands and knees → crouch → stand) or from a bed (lie → sit on the
    edge → stand); 30 % fail and sink back. The window shows a random stretch of it."""
    w = window(t)
    yaw = heading(book)
    on_bed, fail = book.choice(0.4), book.choice(0.3)
    bed = bed_height(book)
    kind = book.rng.choice([0, 2, 3], size=book.n)
    turn = np.where(book.choice(0.5), 1.0, -1.0) * book.u(0.8, 1.6)
    lie_floor, floor_sit = book.lie(yaw, kind), book.floor_sit(yaw)
    hands = book.kneel_on_hands(yaw + turn)
    crouch, stand = book.squat(yaw + turn), book.stand(yaw + turn)
    lie_bed = modify(book.lie(yaw + turn, np.zeros(book.n, int)), yaw=yaw + turn)
    edge, stand_bed = book.sit(yaw, bed), book.stand(yaw)
    stages = [
        pick(on_bed, lie_bed, lie_floor),
        pick(on_bed, edge, floor_sit),
        pick(on_bed, pick(fail, {k: (edge[k] + stand_bed[k]) / 2 for k in edge}, stand_bed), hands),
        pick(on_bed, pick(fail, edge, stand_bed), pick(fail, floor_sit, crouch)),
        pick(on_bed, pick(fail, edge, stand_bed), pick(fail, lie_floor, stand)),
    ]
    time = book.u(-0.6 * w, 0.3 * w)
    line = Timeline(t, stages[0])
    for pose in stages[1:]:
        duration = book.u(0.9, 2.0)
        line.to(pose, time, duration)
        time = time + duration + book.u(0.0, 0.6)
    weight = on_bed[:, None] * always(book, t)
    return finish(book, line, 0.04, contexts(surface=np.where(on_bed, "bed", "floor"), failed=fail),
                   (np.where(on_bed, bed, 0.0), weight, FURNITURE_BED))


def waving_for_help(book: PoseBook, t: np.ndarray) -> Motion:
    """Standing, seated or lying on the floor (after a fall), one or both arms raised and swung."""
    w = window(t)
    yaw = heading(book)
    where = book.rng.choice(["standing", "sitting", "lying"], size=book.n, p=[0.35, 0.3, 0.35])
    seat = chair_height(book)
    base = pick(where == "standing", book.stand(yaw), pick(where == "sitting", book.sit(yaw, seat),
                                                               book.lie(yaw, np.zeros(book.n, int))))
    line = Timeline(t, base)
    envelope = ramp(t, book.u(-0.5, 0.2 * w), book.u(0.3, 0.6))
    both = book.choice(0.4)
    left = book.choice(0.5)
    lying_now = where == "lying"
    for side, active in (("l", both | left), ("r", both | ~left)):
        upright = envelope * (active & ~lying_now)[:, None]
        flat = envelope * (active & lying_now)[:, None]
        add_waving(line, book, side, upright, "abduction")
        add_waving(line, book, side, flat, "flexion")
    weight = (where == "sitting")[:, None] * always(book, t)
    return finish(book, line, 0.04, contexts(posture=where, both_arms=both), (seat, weight, FURNITURE_CHAIR))


GENERATORS = {
    "standing": standing, "walking": walking, "sitting_down": sitting_down, "sitting": sitting,
    "standing_up": standing_up, "bending": bending, "lying_down": lying_down, "lying": lying,
    "getting_up": getting_up, "falling_forward": falling_forward, "falling_backward": falling_backward,
    "falling_sideways": falling_sideways, "slumping_from_chair": slumping_from_chair,
    "waving_for_help": waving_for_help,
}
