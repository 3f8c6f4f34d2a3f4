"""Synthetic windows as app recordings (docs/recording-format.md) with label sidecars (training/recordings.py),
so the app can replay them (`npm run classify`, the replay source) and the importer can read them back.

    python3 -m training.synth --config C --out data/synth.npz --recordings data/synth-recordings

Writes DIR/LABEL/NNNNN.jsonl and NNNNN.labels.json (one segment over the whole window, subject = body id,
camera = camera id). A frame the detector missed is written with no people. World landmarks are MediaPipe's
(the behaviour model, docs/real-poses.md): metres, origin between the hips, camera axes (x right, y down, z away
from the camera), with the measured noise and the same swaps and flips as the image landmarks.
"""
from __future__ import annotations

import json
from pathlib import Path

import numpy as np

from training.synth.body import LAYOUT
from training.synth.camera import Cameras, camera_basis
from training.synth.generate import Synthesis
from training.synth.mediapipe import BEHAVIOUR, Frames, apply_errors


def _round(values: np.ndarray) -> list:
    return np.round(values, 6).tolist()


def write_recordings(synthesis: Synthesis, folder: str | Path) -> int:
    """Returns the number of recordings written."""
    folder = Path(folder)
    dataset = synthesis.dataset
    cameras = Cameras(**{k: np.array([c[k] for c in dataset.meta["cameras"]]) for k in dataset.meta["cameras"][0]})
    rotation = camera_basis(cameras)[1]
    hips = list(LAYOUT.torso_bottom)
    step = 1000.0 / dataset.fps
    noise_sd = np.array([BEHAVIOUR["world"]["noiseSd"][axis] for axis in "xyz"])
    rng = np.random.default_rng(dataset.meta.get("config", {}).get("seed", 0))
    for index in range(len(dataset)):
        camera = int(dataset.camera[index])
        label = dataset.labels[int(dataset.label[index])]
        image, world = synthesis.image[index], synthesis.world[index]
        centred = world - world[:, hips].mean(axis=1, keepdims=True)
        axes = np.einsum("ij,tvj->tvi", rotation[camera], centred) * np.array([1.0, -1.0, 1.0])  # y down
        axes = axes + rng.standard_normal(axes.shape) * noise_sd
        errors = synthesis.errors
        one = Frames(errors.missed[index:index + 1], errors.flipped[index:index + 1],
                     {group: mask[index:index + 1] for group, mask in errors.swapped.items()})
        axes = apply_errors(axes[None], one, centred=True)[0]
        lines = [json.dumps({"format": "skeleton-recording", "version": 1, "layout": LAYOUT.name, "fps": dataset.fps,
                             "width": int(cameras.width[camera]), "height": int(cameras.height_px[camera]),
                             "source": f"synthetic:training.synth #{index}"})]
        for frame in range(dataset.window):
            people = []
            if image[frame].any():
                world_landmarks = np.concatenate([np.nan_to_num(axes[frame]), image[frame, :, 3:]], axis=1)
                people.append({"landmarks": _round(image[frame]), "world": _round(world_landmarks)})
            lines.append(json.dumps({"t": round(frame * step, 6), "people": people}))
        target = folder / label / f"{index:05d}.jsonl"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text("\n".join(lines) + "\n")
        sidecar = {"format": "skeleton-recording-labels", "version": 1, "subject": int(dataset.subject[index]),
                   "camera": camera, "segments": [{"start": 0, "end": round(dataset.window * step, 6), "label": label}]}
        target.with_name(f"{index:05d}.labels.json").write_text(json.dumps(sidecar) + "\n")
    return len(dataset)
