"""App recordings + label sidecars → skeleton dataset (training/DATASET.md).

    python3 -m training.recordings REC.jsonl [REC2.jsonl ...] --out data/recorded.npz
        [--labels training/labels/default.json] [--window 64] [--stride 8] [--fps 30] [--persons 1]
        [--min-presence 0.5] [--max-gap-ms 250] [--merge-with data/synth.npz]

A recording is the app's JSON Lines file (docs/recording-format.md). Its labels sit beside it in
REC.labels.json (format below, docs/training-loop.md): labelled time ranges on the recording's own clock.
Frames are resampled onto the model's fps grid with the app's rule (src/window/assembler.ts): a tick between
two frames that both show the person is interpolated when they are at most max-gap-ms apart, else it takes the
nearer frame within half a step, else the person is missing at that tick. Windows of `window` ticks every
`stride` ticks get the label of the range that covers most of them, if that range covers at least half the
window or most of itself (a fall lasts ~1 s, less than a 2.1 s window); windows outside every range are not
used (unlabelled time is unknown, not "no_person"). Person slot m is the m-th person of each frame.

Label sidecar REC.labels.json:
    {"format": "skeleton-recording-labels", "version": 1,
     "subject": 3, "camera": 1,                       // optional ids for splits (default: file index, 0)
     "segments": [{"start": 1200, "end": 4000, "label": "walking"}, ...]}   // ms, end exclusive
"""
from __future__ import annotations

import argparse
import json
import sys
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from training.data import DatasetError, SkeletonDataset, fit_persons, load_dataset, save_dataset
from training.skeleton import REPO_ROOT, get_layout, to_canonical

RECORDING_FORMAT, LABELS_FORMAT = "skeleton-recording", "skeleton-recording-labels"


class RecordingError(ValueError):
    """A recording or label sidecar that does not follow its documented format."""


@dataclass
class Recording:
    path: Path
    header: dict
    times: np.ndarray  # (F,) ms
    people: np.ndarray  # (F, P, V, 4) canonical [x, y, z, visibility]; absent people have visibility 0
    present: np.ndarray  # (F, P) bool


def read_recording(path: str | Path, persons: int) -> Recording:
    """Reads a recording; only the first `persons` people of each frame are kept."""
    path = Path(path)
    if not path.is_file():
        raise RecordingError(f"recording {path} does not exist")
    lines = path.read_text().splitlines()
    if not lines:
        raise RecordingError(f"{path}: empty file, expected a header line (docs/recording-format.md)")
    try:
        header = json.loads(lines[0])
    except json.JSONDecodeError as error:
        raise RecordingError(f"{path}:1: header is not JSON ({error})") from None
    if not isinstance(header, dict) or header.get("format") != RECORDING_FORMAT or header.get("version") != 1:
        raise RecordingError(f"{path}:1: not a {RECORDING_FORMAT} version 1 header (docs/recording-format.md)")
    try:
        joints = get_layout(header.get("layout", "")).num_joints
    except ValueError as error:
        raise RecordingError(f"{path}:1: {error}") from None
    width, height = header.get("width"), header.get("height")
    if not all(isinstance(v, (int, float)) and v > 0 for v in (width, height)):
        raise RecordingError(f"{path}:1: header needs positive width and height, got {width}x{height}")
    times, frames = [], []
    for number, line in enumerate(lines[1:], start=2):
        if not line.strip():
            continue
        try:
            frame = json.loads(line)
            t = float(frame["t"])
            people = [np.asarray(person["landmarks"], dtype=np.float64) for person in frame["people"]]
        except (json.JSONDecodeError, KeyError, TypeError, ValueError) as error:
            raise RecordingError(f"{path}:{number}: not a frame {{t, people: [{{landmarks}}]}} ({error})") from None
        for person in people:
            if person.shape != (joints, 4) or not np.isfinite(person).all():
                raise RecordingError(f"{path}:{number}: landmarks must be {joints} finite [x, y, z, visibility], got shape {person.shape}")
        if times and t <= times[-1]:
            raise RecordingError(f"{path}:{number}: timestamps must increase ({t} after {times[-1]})")
        times.append(t)
        frames.append(people[:persons])
    canonical = np.zeros((len(frames), persons, joints, 4))
    present = np.zeros((len(frames), persons), bool)
    for index, people in enumerate(frames):
        for slot, landmarks in enumerate(people):
            canonical[index, slot] = to_canonical(landmarks, width, height)
            present[index, slot] = True
    return Recording(path, header, np.asarray(times), canonical, present)


def resample(recording: Recording, fps: float, max_gap_ms: float) -> tuple[np.ndarray, np.ndarray]:
    """→ tick times (K,) ms from the first frame, and raw frames (K, P, V, 4) on the grid (missing: all 0)."""
    times = recording.times
    if len(times) == 0:
        return np.zeros(0), np.zeros((0,) + recording.people.shape[1:])
    step = 1000.0 / fps
    ticks = times[0] + np.arange(int(np.floor((times[-1] - times[0]) / step + 1e-9)) + 1) * step
    after = np.clip(np.searchsorted(times, ticks, side="left"), 0, len(times) - 1)
    before = np.clip(np.where(times[after] > ticks, after - 1, after), 0, len(times) - 1)
    span = times[after] - times[before]
    weight = np.divide(ticks - times[before], span, out=np.zeros_like(ticks), where=span > 0)
    out = np.zeros((len(ticks),) + recording.people.shape[1:])
    for slot in range(recording.people.shape[1]):
        both = recording.present[before, slot] & recording.present[after, slot] & (span <= max_gap_ms)
        mixed = (1 - weight)[:, None, None] * recording.people[before, slot] + weight[:, None, None] * recording.people[after, slot]
        nearer = np.where(ticks - times[before] <= times[after] - ticks, before, after)
        close = recording.present[nearer, slot] & (np.abs(times[nearer] - ticks) <= step / 2)
        out[:, slot] = np.where(both[:, None, None], mixed, np.where(close[:, None, None], recording.people[nearer, slot], 0.0))
    return ticks, out


def read_labels(path: Path, label_names: list[str]) -> dict:
    if not path.is_file():
        raise RecordingError(f"label sidecar {path} does not exist (format: training/recordings.py, docs/training-loop.md)")
    try:
        spec = json.loads(path.read_text())
    except json.JSONDecodeError as error:
        raise RecordingError(f"{path}: not JSON ({error})") from None
    if not isinstance(spec, dict) or spec.get("format") != LABELS_FORMAT or spec.get("version") != 1:
        raise RecordingError(f"{path}: expected {{\"format\": \"{LABELS_FORMAT}\", \"version\": 1, ...}}")
    segments = []
    for index, segment in enumerate(spec.get("segments", [])):
        try:
            start, end, label = float(segment["start"]), float(segment["end"]), str(segment["label"])
        except (KeyError, TypeError, ValueError):
            raise RecordingError(f"{path}: segments[{index}] must be {{start, end, label}} (ms, ms, name)") from None
        if label not in label_names:
            raise RecordingError(f"{path}: segments[{index}] label {label!r} is not in the label set {label_names}")
        if not end > start:
            raise RecordingError(f"{path}: segments[{index}] ends ({end}) before it starts ({start})")
        segments.append((start, end, label_names.index(label)))
    return {"subject": spec.get("subject"), "camera": spec.get("camera"), "segments": segments}


def window_label(start: float, end: float, segments: list[tuple[float, float, int]]) -> int | None:
    """Label of the range covering most of [start, end) if it covers half the window or most of itself."""
    best, best_overlap = None, 0.0
    for seg_start, seg_end, label in segments:
        overlap = max(0.0, min(end, seg_end) - max(start, seg_start))
        if overlap > best_overlap and (overlap >= 0.5 * (end - start) or overlap >= 0.8 * (seg_end - seg_start)):
            best, best_overlap = label, overlap
    return best


def recording_windows(recording: Recording, labels: dict, window: int, stride: int, fps: float,
                      min_presence: float, max_gap_ms: float, no_person: int | None):
    """→ raw windows (N, 4, T, V, M) and their labels (N,)."""
    ticks, frames = resample(recording, fps, max_gap_ms)
    step = 1000.0 / fps
    raws, classes = [], []
    for first in range(0, len(ticks) - window + 1, stride):
        label = window_label(ticks[first] - step / 2, ticks[first + window - 1] + step / 2, labels["segments"])
        if label is None:
            continue
        raw = frames[first:first + window]  # (T, M, V, 4)
        presence = (raw[:, 0, :, 3] > 0).any(axis=1).mean()
        if presence < min_presence and label != no_person:
            continue  # the app would not classify it either
        raws.append(raw.transpose(3, 0, 2, 1))
        classes.append(label)
    joints, persons = frames.shape[2], frames.shape[1]
    return (np.stack(raws) if raws else np.zeros((0, 4, window, joints, persons)), np.asarray(classes, np.int64))


def build_dataset(paths: list[Path], label_file: Path, window: int, stride: int, fps: float, persons: int,
                  min_presence: float, max_gap_ms: float) -> SkeletonDataset:
    label_names = list(json.loads(label_file.read_text())["labels"])
    no_person = label_names.index("no_person") if "no_person" in label_names else None
    data, label, subject, camera, sources, layouts = [], [], [], [], [], set()
    for index, path in enumerate(paths):
        recording = read_recording(path, persons)
        layouts.add(recording.header["layout"])
        labels = read_labels(path.with_name(path.name.removesuffix(".jsonl") + ".labels.json"), label_names)
        raws, classes = recording_windows(recording, labels, window, stride, fps, min_presence, max_gap_ms, no_person)
        data.append(raws)
        label.append(classes)
        subject.append(np.full(len(classes), labels["subject"] if labels["subject"] is not None else index))
        camera.append(np.full(len(classes), labels["camera"] if labels["camera"] is not None else 0))
        sources.append({"recording": str(path), "windows": int(len(classes)), "header": recording.header})
    if len(layouts) > 1:
        raise RecordingError(f"recordings mix layouts {sorted(layouts)}; convert them to one layout first")
    if not sum(len(c) for c in label):
        raise RecordingError("no labelled window in these recordings (are the label ranges on the recording's clock, in ms?)")
    return SkeletonDataset(
        data=np.concatenate(data), label=np.concatenate(label), subject=np.concatenate(subject),
        camera=np.concatenate(camera), labels=label_names, layout=layouts.pop(), fps=fps,
        meta={"source": "training.recordings", "window": window, "stride": stride, "minPresence": min_presence,
              "maxGapMs": max_gap_ms, "recordings": sources},
    )


def merge(first: SkeletonDataset, second: SkeletonDataset) -> SkeletonDataset:
    """Concatenates two datasets of the same labels, layout, fps and window; the second's subject and camera ids
    are shifted past the first's so a split by id never mixes them."""
    for name in ("labels", "layout", "fps", "window"):
        if getattr(first, name) != getattr(second, name):
            raise DatasetError(f"cannot merge datasets with different {name}: {getattr(first, name)!r} vs {getattr(second, name)!r}")
    persons = max(first.data.shape[4], second.data.shape[4])
    return SkeletonDataset(
        data=np.stack([fit_persons(raw, persons) for part in (first.data, second.data) for raw in part]),
        label=np.concatenate([first.label, second.label]),
        subject=np.concatenate([first.subject, second.subject + first.subject.max() + 1]),
        camera=np.concatenate([first.camera, second.camera + first.camera.max() + 1]),
        labels=first.labels, layout=first.layout, fps=first.fps,
        meta={"source": "merged", "parts": [first.meta, second.meta], "offsets": {"subject": int(first.subject.max() + 1),
                                                                                  "camera": int(first.camera.max() + 1)}},
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python3 -m training.recordings", description=__doc__.splitlines()[0])
    parser.add_argument("recordings", nargs="+", type=Path, help="REC.jsonl files, each with REC.labels.json beside it")
    parser.add_argument("--out", required=True, type=Path)
    parser.add_argument("--labels", type=Path, default=REPO_ROOT / "training/labels/default.json")
    parser.add_argument("--window", type=int, default=64)
    parser.add_argument("--stride", type=int, default=8)
    parser.add_argument("--fps", type=float, default=30.0)
    parser.add_argument("--persons", type=int, default=1)
    parser.add_argument("--min-presence", type=float, default=0.5)
    parser.add_argument("--max-gap-ms", type=float, default=250.0)
    parser.add_argument("--merge-with", type=Path, help="dataset to append the recordings to (e.g. the synthetic set)")
    args = parser.parse_args(argv)
    try:
        if args.window < 1 or args.stride < 1 or args.persons < 1 or not args.fps > 0:
            raise RecordingError("--window, --stride, --persons and --fps must be positive")
        dataset = build_dataset(args.recordings, args.labels, args.window, args.stride, args.fps, args.persons,
                                args.min_presence, args.max_gap_ms)
        if args.merge_with:
            dataset = merge(load_dataset(args.merge_with), dataset)
    except (RecordingError, DatasetError, OSError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    args.out.parent.mkdir(parents=True, exist_ok=True)
    save_dataset(args.out, dataset)
    counts = np.bincount(dataset.label, minlength=len(dataset.labels))
    print(f"wrote {args.out}: {len(dataset)} windows; " + ", ".join(f"{n} {c}" for n, c in zip(dataset.labels, counts) if c))
    return 0


if __name__ == "__main__":
    sys.exit(main())
