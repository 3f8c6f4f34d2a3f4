"""Falls (falling_forward / _backward / _sideways) and slumping from a chair, for training/synth/actions.py."""
from __future__ import annotations

import numpy as np

from training.synth.action_base import bed_height, chair_height, contexts, finish, heading, pick, window
from training.synth.motions import (
    FURNITURE_BED, FURNITURE_CHAIR, G, Motion, PoseBook, Timeline, add_gait, add_settling, both_sides, modify, ramp,
)

# Where a fall starts: transfers (rising from, or sitting on, a chair or bed edge) are where care home residents
# fall most; "entering" walks into the picture 1–2 s before falling.
STARTS = {"walking": 0.3, "standing": 0.25, "rising": 0.12, "sitting": 0.18, "entering": 0.15}
# Heading that makes a fall in each direction go towards the camera (view = the camera's azimuth).
TOWARDS = {"forward": 0.0, "backward": np.pi, "right": np.pi / 2, "left": -np.pi / 2}


def _tilt_and_end(book: PoseBook, direction: str, first: dict, yaw: np.ndarray, to_right: np.ndarray):
    """Loss of balance from `first` (standing or seated) and the lying pose the fall ends in."""
    side_sign = np.where(to_right, 1.0, -1.0)
    if direction == "forward":
        tilt = modify(first, pitch=first["pitch"] + book.u(0.15, 0.4), l_sh_flex=book.u(0.4, 1.2), r_sh_flex=book.u(0.4, 1.2),
                      l_hip_flex=first["l_hip_flex"] + book.u(0.2, 0.6), r_knee=first["r_knee"] + book.u(0.1, 0.4))
        end = book.lie(yaw + book.u(-0.3, 0.3), np.ones(book.n, int))  # prone, arms reaching past the head or not
    elif direction == "backward":
        tilt = modify(first, pitch=first["pitch"] - book.u(0.15, 0.35), l_sh_flex=book.u(0.5, 1.5), r_sh_flex=book.u(0.5, 1.5),
                      l_knee=first["l_knee"] + book.u(0.2, 0.5), r_knee=first["r_knee"] + book.u(0.2, 0.5), head_pitch=book.u(0.1, 0.4))
        end = book.lie(yaw, np.zeros(book.n, int))
        end = both_sides(end, sh_abd=book.u(0.5, 1.6), sh_flex=book.u(0.0, 0.8))
        end["head_pitch"] = book.u(0.1, 0.6)  # chin tucked
    else:
        tilt = modify(first, roll=side_sign * book.u(0.2, 0.4),
                      l_sh_abd=np.where(to_right, book.u(0.2, 0.6), book.u(0.6, 1.4)),
                      r_sh_abd=np.where(to_right, book.u(0.6, 1.4), book.u(0.2, 0.6)))
        end = book.lie(yaw, np.where(to_right, 3, 2))
        # The arm on the falling side braces towards the floor, then ends stretched out along the floor past the
        # head (abduction just over π: any less and it would prop the shoulder up).
        reach = book.u(3.0, 3.3)
        end["r_sh_abd"] = np.where(to_right, reach, end["r_sh_abd"])
        end["l_sh_abd"] = np.where(to_right, end["l_sh_abd"], reach)
    return tilt, end


def _fall(book: PoseBook, t: np.ndarray, direction: str) -> Motion:
    """Loss of balance (trunk tilts, a protective step, arms out), a drop (the pose collapses faster than gravity
    allows, so the scene moves the hips ballistically), impact, limbs settling, lying still, from the STARTS.
    Variants drawn per sequence: onto a bed instead of the floor, a slow collapse, a window that opens mid-fall,
    a fall aimed towards or away from the camera."""
    w = window(t)
    start = book.rng.choice(list(STARTS), size=book.n, p=np.array(list(STARTS.values())))
    walking, rising, sitting, entering = (start == "walking") | (start == "entering"), start == "rising", start == "sitting", start == "entering"
    to_right = book.choice(0.5)
    aimed, away = book.choice(0.3), book.choice(0.5)
    towards = np.full(book.n, TOWARDS[direction]) if direction != "sideways" else np.where(to_right, TOWARDS["right"], TOWARDS["left"])
    yaw = np.where(aimed, book.view + towards + away * np.pi + book.u(-0.2, 0.2), heading(book))
    yaw = np.where(entering, book.view + np.where(book.choice(0.5), 1, -1) * np.pi / 2, yaw)  # walking across the view
    on_bed_edge = sitting & book.choice(0.4)
    seat = np.where(on_bed_edge, bed_height(book), chair_height(book))
    onto_bed = (~rising & book.choice(0.15)) | (on_bed_edge & book.choice(0.5))
    bed = np.where(on_bed_edge, seat, bed_height(book))
    slow = ~entering & book.choice(0.15)
    midway = ~rising & ~entering & book.choice(0.12)
    stand, seated = book.stand(yaw), book.sit(yaw, seat)
    # Rising: the window opens during the sit-to-stand; balance is lost as the person comes upright.
    rise_start, rise = book.u(-1.0, -0.5), book.u(0.9, 1.3)
    line = Timeline(t, pick(rising | sitting, seated, stand)).to(pick(sitting, seated, stand), rise_start, rise)
    unbalance = np.select([midway, entering], [book.u(-0.7, -0.2), book.u(1.0, 1.4)], book.u(0.1, 0.35) * w)
    unbalance = np.where(rising, np.maximum(unbalance, rise_start + rise), unbalance)
    add_gait(line, book, walking[:, None] * (1 - ramp(t, unbalance, np.full(book.n, 0.2))))
    tilt, end = _tilt_and_end(book, direction, pick(sitting, seated, stand), yaw, to_right)
    balance = np.where(slow, book.u(0.6, 1.2), book.u(0.15, 0.4))
    drop_start = unbalance + balance
    # The knees give way faster than gravity can follow, so the hips drop ballistically (scene.with_gravity)
    # while the trunk turns towards the floor; a slow collapse folds the knees over half a second or more.
    buckling = np.where(slow, book.u(0.5, 0.9), book.u(0.12, 0.25))
    turning = np.where(slow, book.u(0.4, 0.7), book.u(0.25, 0.4))
    buckle = both_sides({k: (tilt[k] + end[k]) / 2 for k in tilt}, knee=book.u(0.9, 1.6))
    for side in ("l", "r"):
        buckle[f"{side}_hip_flex"] = buckle[f"{side}_hip_flex"] + buckle[f"{side}_knee"] / 2
    line.to(tilt, unbalance, balance).to(buckle, drop_start, buckling, lambda p: p)
    line.to(end, drop_start + buckling, turning)
    add_settling(line, book, drop_start + buckling + turning)
    # A seat holds the hips until the person is up or tips off it; a bed the fall lands on catches the body.
    seat_weight = np.where(rising[:, None], 1 - ramp(t, rise_start + 0.8 * rise, 0.2 * rise), 1 - ramp(t, drop_start, np.full(book.n, 0.2)))
    weight = np.where(onto_bed[:, None], np.where(on_bed_edge[:, None], 1.0, ramp(t, drop_start, buckling)), (rising | sitting)[:, None] * seat_weight)
    height = np.where(onto_bed, bed, seat)
    gravity = np.where(slow, book.u(0.4, 0.7), book.u(0.75, 1.0)) * G
    context = contexts(start=start, direction=np.full(book.n, direction), onto=np.where(onto_bed, "bed", "floor"), slow=slow,
                       midway=midway, aimed=np.where(aimed, np.where(away, "away", "towards"), "no"), seat=seat,
                       enters_at=np.where(entering, unbalance - book.u(0.6, 1.0), -1.0))  # s; −1: in view from the start
    motion = finish(book, line, 0.03, context, (height, weight, FURNITURE_CHAIR), gravity)
    motion.furniture_joints[onto_bed] = np.isin(np.arange(33), FURNITURE_BED)
    return motion


def falling_forward(book: PoseBook, t: np.ndarray) -> Motion:
    return _fall(book, t, "forward")


def falling_backward(book: PoseBook, t: np.ndarray) -> Motion:
    return _fall(book, t, "backward")


def falling_sideways(book: PoseBook, t: np.ndarray) -> Motion:
    return _fall(book, t, "sideways")


def slumping_from_chair(book: PoseBook, t: np.ndarray) -> Motion:
    """Collapse while seated (faint, stroke): the trunk folds forward or sideways, the head drops, the arms hang;
    half slide off the chair onto the floor."""
    w = window(t)
    seat, yaw = chair_height(book), heading(book)
    sit = book.sit(yaw, seat)
    forward = book.choice(0.5)
    pitch = sit["pitch"] + forward * book.u(0.5, 1.1)
    roll = ~forward * np.where(book.choice(0.5), 1, -1) * book.u(0.4, 0.9)
    slumped = both_sides(modify(sit, pitch=pitch, roll=roll, head_pitch=book.u(0.6, 1.1)),
                         sh_flex=pitch + book.u(-0.2, 0.2), sh_abd=book.u(0.0, 0.3), elbow=book.u(0.0, 0.4))
    for side in ("l", "r"):
        slumped[f"{side}_hip_flex"] = sit[f"{side}_hip_flex"] + (pitch - sit["pitch"])
    start, duration = book.u(0.1, 0.5) * w, book.u(0.4, 1.2)
    slides = book.choice(0.5)
    on_floor = both_sides(book.floor_sit(yaw), sh_flex=book.u(-0.2, 0.4))
    on_floor = modify(on_floor, pitch=book.u(0.3, 1.0), roll=roll, head_pitch=book.u(0.5, 1.0))
    slide_start = start + duration * book.u(0.5, 1.0)
    line = Timeline(t, sit).to(slumped, start, duration)
    line.to(pick(slides, on_floor, slumped), slide_start, book.u(0.4, 0.7))
    weight = 1 - slides[:, None] * ramp(t, slide_start, np.full(book.n, 0.15))
    return finish(book, line, 0.02, contexts(forward=forward, slides=slides, seat=seat),
                   (seat, weight, FURNITURE_CHAIR), book.u(0.75, 1.0) * G)
