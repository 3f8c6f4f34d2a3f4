"""One motion generator per label of training/labels/default.json (except no_person, which is rendered from
the camera side in training/synth/generate.py). Each takes a PoseBook (random source + bodies) and the window's
time grid t (T,) in seconds and returns a Motion."""
from __future__ import annotations

import numpy as np

from training.synth.motions import (
    FURNITURE_BED, FURNITURE_CHAIR, G, Motion, PoseBook, Timeline, add_gait, add_settling, add_waving,
    both_sides, idle_sway, modify, ramp,
)


def _finish(book: PoseBook, line: Timeline, sway: float, context: list[dict], furniture=None, gravity=None) -> Motion:
    n, frames = book.n, len(line.t)
    for name, value in idle_sway(book.rng, line.t, n, sway).items():
        line.add(name, value)
    height, weight, joints = furniture if furniture is not None else (np.zeros(n), np.zeros((n, frames)), [])
    mask = np.zeros((n, 33), bool)
    mask[:, joints] = True
    gravity = np.full(n, G) if gravity is None else gravity
    return Motion(line.angles, height, weight, mask, gravity, context)


def _always(book: PoseBook, t: np.ndarray) -> np.ndarray:
    """Furniture weight 1 in every frame: a seat or mattress only pushes the body up, never pulls it down, so it
    can stay in place while the person stands beside it."""
    return np.ones((book.n, len(t)))


def _window(t: np.ndarray) -> float:
    return float(t[-1] + (t[1] - t[0]))


def _yaw(book: PoseBook) -> np.ndarray:
    # The camera's azimuth sets the viewing direction; the person's own heading varies a little around it.
    return book.u(-0.4, 0.4)


def _pick(mask: np.ndarray, a: dict, b: dict) -> dict:
    """Per sequence: pose a where mask, else b."""
    return {k: np.where(mask, a[k], b[k]) for k in a}


def _context(**columns) -> list[dict]:
    names = list(columns)
    return [dict(zip(names, values)) for values in zip(*(np.asarray(columns[k]).tolist() for k in names))]


def standing(book: PoseBook, t: np.ndarray) -> Motion:
    w = _window(t)
    pose = book.stand(_yaw(book))
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
    return _finish(book, line, 0.06, _context(turning=turning, gesture=gesture))


def walking(book: PoseBook, t: np.ndarray) -> Motion:
    w = _window(t)
    line = Timeline(t, book.stand(_yaw(book)))
    line.to(modify(line.last, pitch=line.last["pitch"] + book.u(0.0, 0.1)), np.zeros(book.n), np.ones(book.n))
    phase = book.rng.choice(["walking", "starting", "stopping"], size=book.n, p=[0.6, 0.2, 0.2])
    start, duration = book.u(0.0, 0.35 * w), book.u(0.4, 1.0)
    envelope = np.select([phase[:, None] == "starting", phase[:, None] == "stopping"],
                         [ramp(t, start, duration), 1 - ramp(t, w - start - duration, duration)], 1.0)
    add_gait(line, book, envelope)
    return _finish(book, line, 0.04, _context(phase=phase))


def _chair(book: PoseBook) -> np.ndarray:
    return book.u(0.38, 0.55)


def sitting_down(book: PoseBook, t: np.ndarray) -> Motion:
    w = _window(t)
    seat, yaw = _chair(book), _yaw(book)
    stand, sit = book.stand(yaw), book.sit(yaw, seat)
    fast = book.choice(0.25)  # dropping onto the seat: a fall-like normal action
    duration = np.where(fast, book.u(0.45, 0.8), book.u(0.9, 2.0))
    start = book.u(0.05, 0.45) * w - np.where(fast, 0, book.u(0, 0.5))
    lean = book.u(0.3, 0.7)
    mid = {k: (stand[k] + sit[k]) / 2 for k in stand}
    mid = modify(mid, pitch=mid["pitch"] + lean, l_hip_flex=mid["l_hip_flex"] + lean, r_hip_flex=mid["r_hip_flex"] + lean)
    line = Timeline(t, stand).to(mid, start, 0.55 * duration).to(sit, start + 0.55 * duration, 0.45 * duration)
    return _finish(book, line, 0.04, _context(fast=fast, seat=seat), (seat, _always(book, t), FURNITURE_CHAIR))


def sitting(book: PoseBook, t: np.ndarray) -> Motion:
    w = _window(t)
    seat, yaw = _chair(book), _yaw(book)
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
    return _finish(book, line, 0.1, _context(reach=reach, seat=seat), (seat, _always(book, t), FURNITURE_CHAIR))


def standing_up(book: PoseBook, t: np.ndarray) -> Motion:
    w = _window(t)
    seat, yaw = _chair(book), _yaw(book)
    sit, stand = book.sit(yaw, seat), book.stand(yaw)
    duration = book.u(1.0, 2.8)  # older people rise slowly, often in two goes
    start = book.u(0.0, 0.4) * w - book.u(0, 0.6)
    lean = book.u(0.45, 0.85)  # "nose over toes" before the seat is left
    lifted = modify(sit, pitch=sit["pitch"] + lean, l_hip_flex=sit["l_hip_flex"] + lean, r_hip_flex=sit["r_hip_flex"] + lean,
                    l_sh_flex=book.u(0.0, 0.6), r_sh_flex=book.u(0.0, 0.6))
    mid = {k: (lifted[k] + stand[k]) / 2 for k in stand}
    line = Timeline(t, sit).to(lifted, start, 0.35 * duration).to(mid, start + 0.35 * duration, 0.35 * duration)
    line.to(stand, start + 0.7 * duration, 0.3 * duration)
    return _finish(book, line, 0.04, _context(seat=seat), (seat, _always(book, t), FURNITURE_CHAIR))


def bending(book: PoseBook, t: np.ndarray) -> Motion:
    w = _window(t)
    stand = book.stand(_yaw(book))
    pitch, knee = book.u(0.7, 1.45), book.u(0.0, 0.8)
    bent = both_sides(modify(stand, pitch=pitch, head_pitch=book.u(0.0, 0.5)), hip_flex=pitch + knee / 2, knee=knee,
                      sh_flex=pitch + book.u(-0.2, 0.5), elbow=book.u(0.0, 0.5))
    fast = book.choice(0.25)  # a quick bend to pick something up: fall-like but normal
    down = np.where(fast, book.u(0.3, 0.55), book.u(0.6, 1.5))
    start = book.u(0.0, 0.4) * w
    hold = book.u(0.2, 1.0)
    line = Timeline(t, stand).to(bent, start, down).to(stand, start + down + hold, book.u(0.5, 1.5))
    return _finish(book, line, 0.05, _context(fast=fast))


def _bed(book: PoseBook) -> np.ndarray:
    return book.u(0.40, 0.65)


def lying_down(book: PoseBook, t: np.ndarray) -> Motion:
    w = _window(t)
    yaw = _yaw(book)
    on_bed = book.choice(0.55)
    bed = _bed(book)
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
    line.to(_pick(on_bed, edge, crouch), start, first)
    line.to(_pick(on_bed, on_back, floor_sit), start + first, second)
    line.to(_pick(on_bed, on_back, on_floor), start + first + second, book.u(0.6, 1.4))
    return _finish(book, line, 0.04, _context(surface=np.where(on_bed, "bed", "floor")),
                   (np.where(on_bed, bed, 0.0), on_bed[:, None] * _always(book, t), FURNITURE_BED))


def lying(book: PoseBook, t: np.ndarray) -> Motion:
    w = _window(t)
    yaw = _yaw(book)
    on_bed = book.choice(0.5)
    bed = _bed(book)
    kind = book.rng.choice([0, 1, 2, 3], size=book.n, p=[0.45, 0.1, 0.225, 0.225])
    pose = book.lie(yaw, kind)
    line = Timeline(t, pose)
    moving = book.choice(0.3)  # shifting position, bending a knee, moving a forearm
    shifted = both_sides(modify(pose, roll=pose["roll"] + book.u(-0.3, 0.3)),
                         elbow=np.clip(pose["l_elbow"] + book.u(-0.5, 0.5) * (kind != 1), 0, 2.0),
                         knee=np.clip(pose["l_knee"] + book.u(-0.4, 0.4), 0, 1.4))
    for side in ("l", "r"):
        shifted[f"{side}_hip_flex"] = pose[f"{side}_hip_flex"] + np.where(kind == 1, 0.0, (shifted[f"{side}_knee"] - pose[f"{side}_knee"]) / 2)
    line.to(_pick(moving, shifted, pose), book.u(0, 0.6 * w), book.u(0.6, 1.5))
    return _finish(book, line, 0.05, _context(surface=np.where(on_bed, "bed", "floor"), pose=kind),
                   (np.where(on_bed, bed, 0.0), on_bed[:, None] * _always(book, t), FURNITURE_BED))


def getting_up(book: PoseBook, t: np.ndarray) -> Motion:
    """Slow rise from the floor (lie → sit → hands and knees → crouch → stand) or from a bed (lie → sit on the
    edge → stand); 30 % fail and sink back. The window shows a random stretch of it."""
    w = _window(t)
    yaw = _yaw(book)
    on_bed, fail = book.choice(0.4), book.choice(0.3)
    bed = _bed(book)
    kind = book.rng.choice([0, 2, 3], size=book.n)
    turn = np.where(book.choice(0.5), 1.0, -1.0) * book.u(0.8, 1.6)
    lie_floor, floor_sit = book.lie(yaw, kind), book.floor_sit(yaw)
    hands = book.kneel_on_hands(yaw + turn)
    crouch, stand = book.squat(yaw + turn), book.stand(yaw + turn)
    lie_bed = modify(book.lie(yaw + turn, np.zeros(book.n, int)), yaw=yaw + turn)
    edge, stand_bed = book.sit(yaw, bed), book.stand(yaw)
    stages = [
        _pick(on_bed, lie_bed, lie_floor),
        _pick(on_bed, edge, floor_sit),
        _pick(on_bed, _pick(fail, {k: (edge[k] + stand_bed[k]) / 2 for k in edge}, stand_bed), hands),
        _pick(on_bed, _pick(fail, edge, stand_bed), _pick(fail, floor_sit, crouch)),
        _pick(on_bed, _pick(fail, edge, stand_bed), _pick(fail, lie_floor, stand)),
    ]
    time = book.u(-0.6 * w, 0.3 * w)
    line = Timeline(t, stages[0])
    for pose in stages[1:]:
        duration = book.u(0.9, 2.0)
        line.to(pose, time, duration)
        time = time + duration + book.u(0.0, 0.6)
    weight = on_bed[:, None] * _always(book, t)
    return _finish(book, line, 0.04, _context(surface=np.where(on_bed, "bed", "floor"), failed=fail),
                   (np.where(on_bed, bed, 0.0), weight, FURNITURE_BED))


def _fall(book: PoseBook, t: np.ndarray, direction: str) -> Motion:
    """Falls start from walking (45 %), standing (35 %) or rising from a chair (20 %: transfers are where care
    home residents fall most): loss of balance (trunk tilts, a protective step, arms out), a drop (the pose
    collapses faster than gravity allows, so the scene moves the hips ballistically), impact, limbs settling,
    lying still."""
    w = _window(t)
    yaw = _yaw(book)
    start = book.rng.choice(["walking", "standing", "rising"], size=book.n, p=[0.45, 0.35, 0.2])
    walking, rising = start == "walking", start == "rising"
    stand, seat = book.stand(yaw), _chair(book)
    # Rising: the window opens during the sit-to-stand; balance is lost as the person comes upright.
    rise_start, rise = book.u(-1.0, -0.5), book.u(0.9, 1.3)
    line = Timeline(t, _pick(rising, book.sit(yaw, seat), stand)).to(stand, rise_start, rise)
    unbalance = book.u(0.1, 0.35) * w  # early enough that impact and some lying still fit in the window
    unbalance = np.where(rising, np.maximum(unbalance, rise_start + rise), unbalance)
    add_gait(line, book, walking[:, None] * (1 - ramp(t, unbalance, np.full(book.n, 0.2))))
    to_right = book.choice(0.5)
    side_sign = np.where(to_right, 1.0, -1.0)
    if direction == "forward":
        tilt = modify(stand, pitch=book.u(0.15, 0.4), l_sh_flex=book.u(0.4, 1.2), r_sh_flex=book.u(0.4, 1.2),
                      l_hip_flex=book.u(0.2, 0.6), r_knee=book.u(0.1, 0.4))
        end = book.lie(yaw + book.u(-0.3, 0.3), np.ones(book.n, int))  # prone, arms reaching past the head or not
    elif direction == "backward":
        tilt = modify(stand, pitch=-book.u(0.15, 0.35), l_sh_flex=book.u(0.5, 1.5), r_sh_flex=book.u(0.5, 1.5),
                      l_knee=book.u(0.2, 0.5), r_knee=book.u(0.2, 0.5), head_pitch=book.u(0.1, 0.4))
        end = book.lie(yaw, np.zeros(book.n, int))
        end = both_sides(end, sh_abd=book.u(0.5, 1.6), sh_flex=book.u(0.0, 0.8))
        end["head_pitch"] = book.u(0.1, 0.6)  # chin tucked
    else:
        tilt = modify(stand, roll=side_sign * book.u(0.2, 0.4),
                      l_sh_abd=np.where(to_right, book.u(0.2, 0.6), book.u(0.6, 1.4)),
                      r_sh_abd=np.where(to_right, book.u(0.6, 1.4), book.u(0.2, 0.6)))
        end = book.lie(yaw, np.where(to_right, 3, 2))
        # The arm on the falling side braces towards the floor, then ends stretched out along the floor past the
        # head (abduction just over π: any less and it would prop the shoulder up).
        reach = book.u(3.0, 3.3)
        end["r_sh_abd"] = np.where(to_right, reach, end["r_sh_abd"])
        end["l_sh_abd"] = np.where(to_right, end["l_sh_abd"], reach)
    balance = book.u(0.15, 0.4)
    drop_start = unbalance + balance
    # The knees give way faster than gravity can follow, so the hips drop ballistically (scene.with_gravity)
    # while the trunk turns towards the floor.
    buckling, turning = book.u(0.12, 0.25), book.u(0.25, 0.4)
    buckle = both_sides({k: (tilt[k] + end[k]) / 2 for k in tilt}, knee=book.u(0.9, 1.6))
    for side in ("l", "r"):
        buckle[f"{side}_hip_flex"] = buckle[f"{side}_hip_flex"] + buckle[f"{side}_knee"] / 2
    line.to(tilt, unbalance, balance).to(buckle, drop_start, buckling, lambda p: p)
    line.to(end, drop_start + buckling, turning)
    add_settling(line, book, drop_start + buckling + turning)
    context = _context(start=start, direction=np.full(book.n, direction))
    # The seat holds the hips until the person is up; the fall then goes to the floor (away from the chair).
    seat_weight = rising[:, None] * (1 - ramp(t, rise_start + 0.8 * rise, 0.2 * rise))
    return _finish(book, line, 0.03, context, (seat, seat_weight, FURNITURE_CHAIR), book.u(0.75, 1.0) * G)


def falling_forward(book: PoseBook, t: np.ndarray) -> Motion:
    return _fall(book, t, "forward")


def falling_backward(book: PoseBook, t: np.ndarray) -> Motion:
    return _fall(book, t, "backward")


def falling_sideways(book: PoseBook, t: np.ndarray) -> Motion:
    return _fall(book, t, "sideways")


def slumping_from_chair(book: PoseBook, t: np.ndarray) -> Motion:
    """Collapse while seated (faint, stroke): the trunk folds forward or sideways, the head drops, the arms hang;
    half slide off the chair onto the floor."""
    w = _window(t)
    seat, yaw = _chair(book), _yaw(book)
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
    line.to(_pick(slides, on_floor, slumped), slide_start, book.u(0.4, 0.7))
    weight = 1 - slides[:, None] * ramp(t, slide_start, np.full(book.n, 0.15))
    return _finish(book, line, 0.02, _context(forward=forward, slides=slides, seat=seat),
                   (seat, weight, FURNITURE_CHAIR), book.u(0.75, 1.0) * G)


def waving_for_help(book: PoseBook, t: np.ndarray) -> Motion:
    """Standing, seated or lying on the floor (after a fall), one or both arms raised and swung."""
    w = _window(t)
    yaw = _yaw(book)
    where = book.rng.choice(["standing", "sitting", "lying"], size=book.n, p=[0.35, 0.3, 0.35])
    seat = _chair(book)
    base = _pick(where == "standing", book.stand(yaw), _pick(where == "sitting", book.sit(yaw, seat),
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
    weight = (where == "sitting")[:, None] * _always(book, t)
    return _finish(book, line, 0.04, _context(posture=where, both_arms=both), (seat, weight, FURNITURE_CHAIR))


GENERATORS = {
    "standing": standing, "walking": walking, "sitting_down": sitting_down, "sitting": sitting,
    "standing_up": standing_up, "bending": bending, "lying_down": lying_down, "lying": lying,
    "getting_up": getting_up, "falling_forward": falling_forward, "falling_backward": falling_backward,
    "falling_sideways": falling_sideways, "slumping_from_chair": slumping_from_chair,
    "waving_for_help": waving_for_help,
}
