"""`agcn-v1`: the 2s-AGCN view normalisation that ST-TR and ST-BLN train on (DIGEST §1.7, docs/skeleton.md
"View normalisation"). TypeScript twin: src/skeleton/view-normalise.ts; both are checked against
test/fixtures/view-vectors.json (`python3 -m training.view_normalise --write-vectors`).

For a raw window (4, T, V, M) of a layout with a "viewAlignment" entry (layouts.json):
1. every person slot is gap-filled as in torso-v1 step 1 (training/skeleton.py fill_gaps; NTU data has no gaps,
   so this changes nothing there); a slot without a visible torso bottom is absent (zeros);
2. the main body is the first present slot; its `centre` joint (ntu25: spine_mid) is subtracted from every
   person, frame by frame;
3. the main body's `up` bone in the first frame (spine_base → spine_mid) is rotated onto +z, then its `across`
   bone (left → right shoulder), after that first rotation, onto +x: one rotation each about the axis
   bone × target by the angle between them, applied to every joint of every frame and person;
4. no scaling (2s-AGCN keeps the sensor's metres); features (joints / bones) as in torso-v1 step 4.
"""
from __future__ import annotations

import json

import numpy as np

from training.skeleton import (
    FEATURE_CHANNELS,
    REPO_ROOT,
    VECTORS_PATH,
    UnclassifiableWindow,
    _array,
    features_from_joints,
    fill_gaps,
    get_layout,
    window_people,
    write_vectors_main,
)

VIEW_NORMALISATION = "agcn-v1"
VIEW_VECTORS_PATH = REPO_ROOT / "test" / "fixtures" / "view-vectors.json"
# Below these a bone or an angle is degenerate and its rotation is skipped (2s-AGCN's rotation_matrix).
MIN_NORM = 1e-6
MIN_ANGLE = 1e-6


def rotation_onto(vector: np.ndarray, target: np.ndarray) -> np.ndarray:
    """(3, 3) rotation about vector × target by the angle between them, which turns `vector` onto `target`
    (Rodrigues' formula); the identity when either is ~0 or they are already parallel."""
    axis = np.cross(vector, target)
    norms = np.linalg.norm(vector) * np.linalg.norm(target)
    if norms < MIN_NORM or np.linalg.norm(axis) < MIN_NORM:
        return np.eye(3)
    angle = np.arccos(np.clip(np.dot(vector, target) / norms, -1.0, 1.0))
    if angle < MIN_ANGLE:
        return np.eye(3)
    k = axis / np.linalg.norm(axis)
    skew = np.array([[0, -k[2], k[1]], [k[2], 0, -k[0]], [-k[1], k[0], 0]])
    return np.eye(3) + np.sin(angle) * skew + (1 - np.cos(angle)) * skew @ skew


def view_features(raw: np.ndarray, layout_in: str, layout_out: str, features: str,
                  min_visibility: float = 0.5) -> np.ndarray:
    """Raw window (4, T, V_in, M) → float32 (C, T, V_out, M) under agcn-v1. Raises UnclassifiableWindow when no
    slot has a frame with a visible torso bottom, ValueError for a layout without "viewAlignment"."""
    raw, layout, people = window_people(raw, layout_in, layout_out, features)
    if layout.view_alignment is None:
        raise ValueError(f"layout {layout_out!r} has no viewAlignment in src/skeleton/layouts.json: agcn-v1 needs one")
    filled = []
    for person in people:
        try:
            filled.append(fill_gaps(person, layout, min_visibility))
        except UnclassifiableWindow:
            filled.append(None)
    present = [xyz for xyz in filled if xyz is not None]
    if not present:
        raise UnclassifiableWindow("no person slot of the window has a frame with a visible torso bottom")
    spec, main = layout.view_alignment, present[0]
    centre = main[:, spec["centre"]][:, None, :]  # (T, 1, 3), per frame
    up_from, up_to = spec["up"]
    rotation = rotation_onto(main[0, up_to] - main[0, up_from], np.array([0.0, 0.0, 1.0]))
    across_from, across_to = spec["across"]
    across = rotation @ (main[0, across_to] - main[0, across_from])
    rotation = rotation_onto(across, np.array([1.0, 0.0, 0.0])) @ rotation
    result = np.zeros((FEATURE_CHANNELS[features], raw.shape[1], layout.num_joints, raw.shape[3]), np.float32)
    for slot, xyz in enumerate(filled):
        if xyz is not None:
            aligned = (xyz - centre) @ rotation.T
            result[..., slot] = features_from_joints(aligned, layout, features).transpose(2, 0, 1)
    return result


def make_vectors() -> dict:
    """agcn-v1 features of the ntu25 raw windows of test/fixtures/skeleton-vectors.json (same cases)."""
    base = json.loads(VECTORS_PATH.read_text())
    cases = []
    for case in base["cases"]:
        raw = np.array(case["raw"]["blazepose33"]["data"]).reshape(case["raw"]["blazepose33"]["shape"])
        feats = {}
        for mode in FEATURE_CHANNELS:
            try:
                feats[mode] = _array(view_features(raw, "blazepose33", "ntu25", mode, case["minVisibility"]))
            except UnclassifiableWindow:
                feats[mode] = None
        cases.append({"name": case["name"], "minVisibility": case["minVisibility"], "features": {"ntu25": feats}})
    return {"$comment": f"agcn-v1 features (training/view_normalise.py) of the 'raw' blazepose33 windows of "
                        f"{VECTORS_PATH.name}, converted to ntu25, per case name; written by `python3 -m "
                        f"training.view_normalise --write-vectors`. Do not edit by hand.",
            "normalisation": VIEW_NORMALISATION, "tolerance": 1e-4, "cases": cases}


def main(argv: list[str] | None = None) -> None:
    write_vectors_main(argv, __doc__.splitlines()[0], VIEW_VECTORS_PATH, make_vectors)


if __name__ == "__main__":
    main()
