"""Skeleton layouts, BlazePose → NTU-25 conversion and `torso-v1` window normalisation (docs/skeleton.md).

Everything numeric here has a TypeScript twin in src/skeleton/; both are checked against the vectors that
`python3 -m training.skeleton --write-vectors` writes to test/fixtures/skeleton-vectors.json.

Array conventions:
- a *landmark* is the last axis [x, y, z, visibility];
- a *raw window* is float (4, T, V, M): channels [xc, yc, zc, visibility] in canonical coordinates,
  T frames, V joints of one layout, M person slots (a slot that is absent has visibility 0 everywhere);
- a *feature tensor* is float32 (C, T, V, M), the model input without the batch axis.
"""
from __future__ import annotations

import argparse
import json
from dataclasses import dataclass
from pathlib import Path

import numpy as np

REPO_ROOT = Path(__file__).resolve().parents[1]
LAYOUTS_PATH = REPO_ROOT / "src" / "skeleton" / "layouts.json"
VECTORS_PATH = REPO_ROOT / "test" / "fixtures" / "skeleton-vectors.json"

FEATURE_CHANNELS = {"joints": 3, "bones": 3, "joints+bones": 6}
NORMALISATION_METHOD = "torso-v1"
# Below this mean torso length the window is degenerate; dividing would blow it up (docs/skeleton.md step 3).
MIN_TORSO_LENGTH = 1e-6


class UnclassifiableWindow(ValueError):
    """No person slot of the window has a frame with a visible torso bottom."""


@dataclass(frozen=True)
class Layout:
    name: str
    joints: tuple[str, ...]
    root: int
    center: tuple[int, ...]
    bones: tuple[tuple[int, int], ...]  # (child, parent)
    edges: tuple[tuple[int, int], ...]
    mirror: tuple[int, ...]
    torso_top: tuple[int, ...]
    torso_bottom: tuple[int, ...]
    view_alignment: dict | None = None  # {"centre": j, "up": [from, to], "across": [from, to]} (agcn-v1)

    @property
    def num_joints(self) -> int:
        return len(self.joints)

    @property
    def parents(self) -> np.ndarray:
        """parents[v] = parent joint of v in the bone tree; the root is its own parent (its bone is 0)."""
        parents = np.arange(self.num_joints)
        for child, parent in self.bones:
            parents[child] = parent
        return parents

    def index(self, joint_name: str) -> int:
        return self.joints.index(joint_name)


def _load() -> tuple[dict[str, Layout], dict[str, np.ndarray]]:
    document = json.loads(LAYOUTS_PATH.read_text())
    layouts = {}
    for name, spec in document["layouts"].items():
        layouts[name] = Layout(
            name=name,
            joints=tuple(spec["joints"]),
            root=spec["root"],
            center=tuple(spec["center"]),
            bones=tuple((c, p) for c, p in spec["bones"]),
            edges=tuple((a, b) for a, b in spec["edges"]),
            mirror=tuple(spec["mirror"]),
            torso_top=tuple(spec["torso"]["top"]),
            torso_bottom=tuple(spec["torso"]["bottom"]),
            view_alignment=spec.get("viewAlignment"),
        )
    mappings = {}
    for name, spec in document["mappings"].items():
        source, target = name.split("_to_")
        weights = np.zeros((layouts[target].num_joints, layouts[source].num_joints))
        for target_joint, terms in enumerate(spec["weights"]):
            for source_joint, weight in terms:
                weights[target_joint, source_joint] = weight
        mappings[(source, target)] = weights
    return layouts, mappings


LAYOUTS, _MAPPINGS = _load()


def get_layout(name: str) -> Layout:
    if name not in LAYOUTS:
        raise ValueError(f"unknown skeleton layout {name!r}; known: {sorted(LAYOUTS)} (src/skeleton/layouts.json)")
    return LAYOUTS[name]


def mapping_weights(layout_in: str, layout_out: str) -> np.ndarray:
    """(V_out, V_in) matrix: each output joint is a weighted sum of input joints."""
    if layout_in == layout_out:
        return np.eye(get_layout(layout_in).num_joints)
    if (layout_in, layout_out) not in _MAPPINGS:
        raise ValueError(f"no mapping from layout {layout_in!r} to {layout_out!r} in src/skeleton/layouts.json")
    return _MAPPINGS[(layout_in, layout_out)]


def convert_layout(landmarks: np.ndarray, layout_in: str, layout_out: str) -> np.ndarray:
    """landmarks (..., V_in, 4) → (..., V_out, 4); coordinates are weighted sums, visibility the minimum of the
    sources (a derived joint is only as visible as its least visible ingredient)."""
    landmarks = np.asarray(landmarks, dtype=np.float64)
    weights = mapping_weights(layout_in, layout_out)
    if landmarks.shape[-2:] != (weights.shape[1], 4):
        raise ValueError(f"expected landmarks (..., {weights.shape[1]}, 4) for layout {layout_in!r}, got {landmarks.shape}")
    coords = np.einsum("oi,...ic->...oc", weights, landmarks[..., :3])
    used = weights > 0
    vis = landmarks[..., 3]
    visibility = np.stack([vis[..., used[o]].min(axis=-1) for o in range(weights.shape[0])], axis=-1)
    return np.concatenate([coords, visibility[..., None]], axis=-1)


def blazepose33_to_ntu25(frames: np.ndarray) -> np.ndarray:
    """BlazePose-33 landmarks (..., 33, 4) → NTU-25 (..., 25, 4)."""
    return convert_layout(frames, "blazepose33", "ntu25")


def to_canonical(landmarks: np.ndarray, width: float, height: float) -> np.ndarray:
    """MediaPipe image landmarks (..., 4) [x, y ∈ [0,1] y down, z, visibility] → canonical coordinates in units
    of image height, y up, z towards the camera (docs/skeleton.md); visibility is kept."""
    if width <= 0 or height <= 0:
        raise ValueError(f"image size must be positive, got {width}x{height}")
    landmarks = np.asarray(landmarks, dtype=np.float64)
    if landmarks.shape[-1] != 4:
        raise ValueError(f"expected landmarks with 4 values [x, y, z, visibility], got shape {landmarks.shape}")
    aspect = width / height
    out = landmarks.copy()
    out[..., 0] = (landmarks[..., 0] - 0.5) * aspect
    out[..., 1] = -(landmarks[..., 1] - 0.5)
    out[..., 2] = -landmarks[..., 2] * aspect
    return out


def _torso_bottom_visible(visible: np.ndarray, layout: Layout) -> np.ndarray:
    """(T,) whether every torso-bottom joint is visible in the frame."""
    return visible[:, list(layout.torso_bottom)].all(axis=1)


def fill_gaps(person: np.ndarray, layout: Layout, min_visibility: float) -> np.ndarray:
    """Step 1 of torso-v1 for one person: person (T, V, 4) canonical [x,y,z,vis] → (T, V, 3) gap-free xyz.

    Rules (docs/skeleton.md), in this order:
    a. a joint visible (vis >= min_visibility) in some frame is linearly interpolated between its nearest
       visible frames and held constant before its first / after its last visible frame;
    b. a joint never visible takes, in each frame whose torso bottom is visible (all torso-bottom joints
       visible), the mean of the torso-bottom joints of that frame;
    c. if b. leaves frames unfilled, each such frame is replaced as a whole by the nearest frame (after a. and
       b.) whose torso bottom is visible; on a tie the earlier frame wins.
    Raises UnclassifiableWindow when no frame has a visible torso bottom.
    """
    visible = person[..., 3] >= min_visibility
    bottom_visible = _torso_bottom_visible(visible, layout)
    if not bottom_visible.any():
        raise UnclassifiableWindow("no frame of the window has a visible torso bottom")
    frames = np.arange(person.shape[0])
    xyz = person[..., :3].astype(np.float64).copy()
    never_visible = []
    for joint in range(person.shape[1]):
        seen = np.flatnonzero(visible[:, joint])
        if seen.size == 0:
            never_visible.append(joint)
            continue
        for channel in range(3):
            # np.interp holds the end values outside the sampled range, which is exactly rule a.
            xyz[:, joint, channel] = np.interp(frames, seen, xyz[seen, joint, channel])
    if never_visible:
        bottom_centre = xyz[:, list(layout.torso_bottom)].mean(axis=1)
        xyz[:, never_visible] = bottom_centre[:, None, :]
        good = np.flatnonzero(bottom_visible)
        for frame in np.flatnonzero(~bottom_visible):
            nearest = good[np.argmin(np.abs(good - frame))]  # argmin returns the first (earlier) on a tie
            xyz[frame] = xyz[nearest]
    return xyz


def normalise_person(xyz: np.ndarray, layout: Layout) -> np.ndarray:
    """Steps 2–3 of torso-v1: gap-free (T, V, 3) → origin at the mean torso bottom, unit mean torso length."""
    bottom = xyz[:, list(layout.torso_bottom)].mean(axis=1)
    top = xyz[:, list(layout.torso_top)].mean(axis=1)
    torso_length = np.linalg.norm(top - bottom, axis=1).mean()
    scale = torso_length if torso_length >= MIN_TORSO_LENGTH else 1.0
    return (xyz - bottom.mean(axis=0)) / scale


def features_from_joints(xyz: np.ndarray, layout: Layout, features: str) -> np.ndarray:
    """Step 4: (..., V, 3) joints → (..., V, C) features; bones = joint − parent, the root's bone is 0."""
    if features not in FEATURE_CHANNELS:
        raise ValueError(f"unknown features {features!r}; known: {sorted(FEATURE_CHANNELS)}")
    bones = xyz - xyz[..., layout.parents, :]
    return {"joints": xyz, "bones": bones, "joints+bones": np.concatenate([xyz, bones], axis=-1)}[features]


def window_people(raw: np.ndarray, layout_in: str, layout_out: str, features: str):
    """A raw window (4, T, V_in, M) checked, as float64, with the output layout and its people (M, T, V_out, 4)."""
    raw = np.asarray(raw, dtype=np.float64)
    if raw.ndim != 4 or raw.shape[0] != 4:
        raise ValueError(f"expected a raw window (4, T, V, M) [x, y, z, visibility], got shape {raw.shape}")
    if features not in FEATURE_CHANNELS:
        raise ValueError(f"unknown features {features!r}; known: {sorted(FEATURE_CHANNELS)}")
    return raw, get_layout(layout_out), convert_layout(raw.transpose(3, 1, 2, 0), layout_in, layout_out)


def window_features(
    raw: np.ndarray,
    layout_in: str,
    layout_out: str,
    features: str,
    min_visibility: float = 0.5,
) -> np.ndarray:
    """Raw window (4, T, V_in, M) canonical [x,y,z,vis] → float32 feature tensor (C, T, V_out, M).

    Person slots are normalised independently; a slot without any frame with a visible torso bottom (absent
    person) becomes zeros. Raises UnclassifiableWindow when that holds for every slot.
    """
    raw, out_layout, people = window_people(raw, layout_in, layout_out, features)
    _, frames, joints, persons = raw.shape
    result = np.zeros((FEATURE_CHANNELS[features], frames, out_layout.num_joints, persons), dtype=np.float32)
    classified = False
    for slot, person in enumerate(people):
        try:
            xyz = fill_gaps(person, out_layout, min_visibility)
        except UnclassifiableWindow:
            continue
        classified = True
        feats = features_from_joints(normalise_person(xyz, out_layout), out_layout, features)  # (T, V, C)
        result[..., slot] = feats.transpose(2, 0, 1)
    if not classified:
        raise UnclassifiableWindow("no person slot of the window has a frame with a visible torso bottom")
    return result


def mirror(raw: np.ndarray, layout: str) -> np.ndarray:
    """Left/right mirror of a raw window (4, T, V, M): swap joints by the layout's mirror table, negate x."""
    table = list(get_layout(layout).mirror)
    raw = np.asarray(raw)
    if raw.ndim != 4 or raw.shape[0] != 4 or raw.shape[2] != len(table):
        raise ValueError(f"expected a raw window (4, T, {len(table)}, M) for layout {layout!r}, got {raw.shape}")
    out = raw[:, :, table].copy()
    out[0] = -out[0]
    return out


# --- test vectors shared with the TypeScript implementation ------------------------------------------------

VECTORS_DOC = {
    "$comment": (
        "Test vectors for docs/skeleton.md, written by `python3 -m training.skeleton --write-vectors` "
        "(training/skeleton.py). Do not edit by hand. Every array is {shape, data} with data the row-major "
        "(C order) flattening. Per case: 'image' {width,height}; 'minVisibility'; 'landmarks' (M, T, 33, 4) "
        "MediaPipe image landmarks [x, y, z, visibility] of BlazePose-33 (x,y in [0,1], y down), a missing "
        "frame or person has all zeros; 'canonical' (M, T, 33, 4) = to_canonical(landmarks); 'ntu25' "
        "(M, T, 25, 4) = blazepose33_to_ntu25(canonical) (visibility = min over the source landmarks); "
        "'raw' {layout: (4, T, V, M)} = the raw window [xc, yc, zc, vis] fed to window_features; 'features' "
        "{layoutOut: {featureMode: (C, T, V, M) float32 or null}} = window_features(raw[blazepose33], "
        "'blazepose33', layoutOut, featureMode, minVisibility), null meaning the window is not classified; "
        "'mirrored' (4, T, 25, M) = mirror(raw[ntu25], 'ntu25'). Gap filling order: (a) a joint visible "
        "(vis >= minVisibility) in some frame is linearly interpolated in time and held at the ends; (b) a "
        "never-visible joint takes, in frames where all torso-bottom joints are visible, their mean; (c) each "
        "remaining frame (only when some joint is never visible) is replaced wholesale by the nearest frame "
        "with a visible torso bottom, the earlier one on a tie. Person slots are normalised independently; a "
        "slot with no visible torso bottom in any frame is zeros. 'tolerance' is the max abs difference a "
        "float32 implementation must meet."
    ),
    "format": "skeleton-sentinel-skeleton-vectors",
    "version": 1,
    "normalisation": NORMALISATION_METHOD,
    "tolerance": 1e-4,
}


def _array(value) -> dict | None:
    if value is None:
        return None
    value = np.asarray(value, dtype=np.float64)
    return {"shape": list(value.shape), "data": [round(float(v), 7) for v in value.ravel()]}


def _random_landmarks(rng: np.random.Generator, frames: int) -> np.ndarray:
    """A plausible-ish standing BlazePose person drifting across the image, (T, 33, 4)."""
    base = rng.uniform(0.3, 0.7, size=(33, 2))
    base[[11, 12], 1] = 0.35  # shoulders above hips so the torso has a length
    base[[23, 24], 1] = 0.6
    drift = np.linspace(0, 0.05, frames)[:, None, None] * rng.uniform(-1, 1, size=(1, 1, 2))
    xy = base[None] + drift + rng.normal(0, 0.01, size=(frames, 33, 2))
    z = rng.normal(0, 0.1, size=(frames, 33, 1))
    vis = rng.uniform(0.6, 1.0, size=(frames, 33, 1))
    return np.concatenate([xy, z, vis], axis=-1)


def make_vectors() -> dict:
    rng = np.random.default_rng(20261123)
    frames = 6
    cases = []

    def add_case(name: str, description: str, people: np.ndarray, width: int, height: int, min_vis: float = 0.5):
        canonical = to_canonical(people, width, height)
        ntu = blazepose33_to_ntu25(canonical)
        raw = {"blazepose33": canonical.transpose(3, 1, 2, 0), "ntu25": ntu.transpose(3, 1, 2, 0)}
        feats: dict = {}
        for layout_out in ("ntu25", "blazepose33"):
            feats[layout_out] = {}
            for mode in FEATURE_CHANNELS:
                try:
                    value = window_features(raw["blazepose33"], "blazepose33", layout_out, mode, min_vis)
                except UnclassifiableWindow:
                    value = None
                feats[layout_out][mode] = _array(value)
        cases.append({
            "name": name,
            "description": description,
            "image": {"width": width, "height": height},
            "minVisibility": min_vis,
            "landmarks": _array(people),
            "canonical": _array(canonical),
            "ntu25": _array(ntu),
            "raw": {k: _array(v) for k, v in raw.items()},
            "features": feats,
            "mirrored": _array(mirror(raw["ntu25"], "ntu25")),
        })

    person = _random_landmarks(rng, frames)
    person[1:3, [5, 15, 16], 3] = 0.2  # short gaps inside the window
    person[0, 27, 3] = 0.1  # missing at the start: held from the next visible frame
    person[4] = 0.0  # a missing frame
    add_case("one-person-gaps", "1 person, 640x480, some invisible joints and one missing frame", person[None], 640, 480)

    second = _random_landmarks(rng, frames)
    second[:, [29, 31], 3] = 0.0  # left heel and toe never visible -> torso bottom (rule b)
    second[2, 23, 3] = 0.0  # a frame without torso bottom, replaced wholesale (rule c)
    add_case("two-people-never-visible", "2 persons, 1280x720; person 2 never shows its left foot and loses a hip "
             "in one frame", np.stack([_random_landmarks(rng, frames), second]), 1280, 720)

    third = _random_landmarks(rng, frames)
    add_case("empty-second-slot", "2 slots, the second empty (all zeros), portrait 480x640, minVisibility 0.7",
             np.stack([third, np.zeros_like(third)]), 480, 640, 0.7)

    hidden = _random_landmarks(rng, frames)
    hidden[:, [23, 24], 3] = 0.3
    add_case("no-torso-bottom", "hips never visible: not classified (features null)", hidden[None], 640, 480)
    return {**VECTORS_DOC, "cases": cases}


def write_vectors_main(argv: list[str] | None, description: str, path: Path, make_vectors) -> None:
    """The `--write-vectors` command of a module whose test vectors the TypeScript tests share."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--write-vectors", action="store_true", help=f"write {path.relative_to(REPO_ROOT)}")
    if not parser.parse_args(argv).write_vectors:
        parser.print_help()
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(make_vectors()) + "\n")
    print(f"wrote {path.relative_to(REPO_ROOT)}")


def main(argv: list[str] | None = None) -> None:
    write_vectors_main(argv, __doc__.splitlines()[0], VECTORS_PATH, make_vectors)


if __name__ == "__main__":
    main()
