"""Recordings as per-frame arrays of their first person, the body-part groups the statistics use, and per-frame
posture (upright / bent / lying) and scale."""
from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from training.skeleton import get_layout

LAYOUT = get_layout("blazepose33")
J = {name: index for index, name in enumerate(LAYOUT.joints)}
# Body parts whose landmarks behave alike (noise, visibility); written into the behaviour model by --fit.
PARTS = {
    "face": LAYOUT.joints[:11],
    "shoulders": ["left_shoulder", "right_shoulder"],
    "elbows": ["left_elbow", "right_elbow"],
    "hands": [f"{side}_{name}" for side in ("left", "right") for name in ("wrist", "pinky", "index", "thumb")],
    "hips": ["left_hip", "right_hip"],
    "knees": ["left_knee", "right_knee"],
    "feet": [f"{side}_{name}" for side in ("left", "right") for name in ("ankle", "heel", "foot_index")],
}
PART_JOINTS = {part: [J[name] for name in names] for part, names in PARTS.items()}
SHOULDERS, HIPS = list(LAYOUT.torso_top), list(LAYOUT.torso_bottom)
# Folded torso angle from vertical in the image (0–90°: an upside-down skeleton counts as upright).
UPRIGHT_DEGREES, LYING_DEGREES, FORESHORTENED = 25.0, 60.0, 0.6
POSTURES = ("upright", "bent", "lying")


class TrackError(ValueError):
    """A file that is not a readable blazepose33 recording."""


@dataclass
class Track:
    """The first person of every frame of one recording. image (F,33,4): x, y in pixels (y down), z, visibility;
    world (F,33,4): MediaPipe world landmarks (metres); present (F,): a person was detected."""
    name: str
    t: np.ndarray
    image: np.ndarray
    world: np.ndarray
    present: np.ndarray
    size: tuple[int, int]

    @property
    def minutes(self) -> float:
        return float(self.t[-1] - self.t[0]) / 60000 if len(self.t) > 1 else 0.0

    @property
    def fps(self) -> float:
        return (len(self.t) - 1) * 1000 / float(self.t[-1] - self.t[0]) if len(self.t) > 1 else 30.0


def read_track(path: Path) -> Track:
    lines = [line for line in Path(path).read_text().splitlines() if line.strip()]
    try:
        header = json.loads(lines[0]) if lines else {}
    except json.JSONDecodeError:
        header = {}
    if header.get("format") != "skeleton-recording" or header.get("layout") != LAYOUT.name:
        raise TrackError(f"{path}: not a {LAYOUT.name} skeleton recording (docs/recording-format.md)")
    width, height = header["width"], header["height"]
    empty = np.zeros((LAYOUT.num_joints, 4))
    t, image, world = [], [], []
    for number, line in enumerate(lines[1:], start=2):
        try:
            frame = json.loads(line)
            person = frame["people"][0] if frame["people"] else None
            t.append(float(frame["t"]))
            image.append(np.asarray(person["landmarks"], float) if person else empty)
            world.append(np.asarray(person.get("world", empty), float) if person else empty)
        except (json.JSONDecodeError, KeyError, TypeError, ValueError) as error:
            raise TrackError(f"{path}:{number}: not a frame line ({error})") from None
        if image[-1].shape != empty.shape or world[-1].shape != empty.shape:
            raise TrackError(f"{path}:{number}: expected {LAYOUT.num_joints} landmarks of 4 numbers")
    if len(t) < 2:
        raise TrackError(f"{path}: fewer than two frames")
    image, world = np.stack(image), np.stack(world)
    present = image[..., 3].any(axis=1) | image[..., :3].any(axis=(1, 2))
    image[..., 0] *= width
    image[..., 1] *= height
    return Track(str(path), np.asarray(t), image, world, present, (int(width), int(height)))


def recordings(paths: list[str]) -> list[Path]:
    found: list[Path] = []
    for item in paths:
        path = Path(item)
        if not path.exists():
            raise TrackError(f"{path} does not exist")
        found.extend(sorted(path.rglob("*.jsonl")) if path.is_dir() else [path])
    return found


def centre(points: np.ndarray, joints: list[int]) -> np.ndarray:
    return points[:, joints, :3].mean(axis=1)


def torso_vector(track: Track) -> np.ndarray:
    return (centre(track.image, SHOULDERS) - centre(track.image, HIPS))[:, :2]


def torso_angle(track: Track) -> np.ndarray:
    """Image torso angle from vertical (0 upright … 180 upside down), nan where nobody was detected."""
    vector = torso_vector(track)
    angle = np.degrees(np.arctan2(np.abs(vector[:, 0]), -vector[:, 1]))
    return np.where(track.present, angle, np.nan)


def posture(track: Track) -> np.ndarray:
    """(F,) index into POSTURES from the folded torso angle; an upright-looking torso shorter than
    FORESHORTENED × the recording's upright torso is bent (towards the camera, or lying along the line of
    sight). A missed frame takes the last detected frame's posture (the first detected one's before any), so a
    dropout is charged to what the person was doing."""
    angle = torso_angle(track)
    folded = np.minimum(angle, 180 - angle)
    short = torso_length(track) < FORESHORTENED * scale_of(track)
    index = np.where((folded <= UPRIGHT_DEGREES) & ~short, 0, np.where(folded >= LYING_DEGREES, 2, 1))
    detected = np.flatnonzero(track.present)
    if not len(detected):
        return np.zeros(len(angle), int)
    source = np.maximum.accumulate(np.where(track.present, np.arange(len(angle)), -1))
    source = np.where(source < 0, detected[0], source)
    return index[source]


def torso_length(track: Track) -> np.ndarray:
    return np.where(track.present, np.hypot(*torso_vector(track).T), np.nan)


def scale_of(track: Track) -> float:
    """The recording's torso length in pixels while upright (its median over all frames if never upright)."""
    length, angle = torso_length(track), torso_angle(track)
    upright = np.minimum(angle, 180 - angle) <= UPRIGHT_DEGREES
    chosen = length[upright] if upright.sum() >= 3 else length[track.present]
    return float(np.nanmedian(chosen)) if len(chosen) else 1.0


def runs(mask: np.ndarray) -> list[tuple[int, int]]:
    """(start, length) of every run of True."""
    out, start = [], None
    for index, value in enumerate(list(mask) + [False]):
        if value and start is None:
            start = index
        elif not value and start is not None:
            out.append((start, index - start))
            start = None
    return out


def still_frames(track: Track, scale: float, radius: int = 5) -> np.ndarray:
    """Frames whose trunk moved less than 0.05 torso lengths over ±radius detected frames: jitter there is the
    estimator's noise, not the person's motion."""
    trunk = centre(track.image, SHOULDERS + HIPS)[:, :2]
    still = np.zeros(len(trunk), bool)
    for i in range(radius, len(trunk) - radius):
        window = slice(i - radius, i + radius + 1)
        if track.present[window].all():
            still[i] = np.ptp(trunk[window], axis=0).max() / scale < 0.05
    return still
