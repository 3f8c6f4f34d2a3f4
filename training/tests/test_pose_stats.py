"""training.pose_stats: each statistic finds what was put into a recording, the fit recovers the noise that made
it, and bad input gets a clear message."""
from __future__ import annotations

import json

import numpy as np
import pytest

from training.pose_stats.__main__ import main as pose_stats
from training.pose_stats.fit import build_model, noise_lag1
from training.pose_stats.report import describe, markdown
from training.pose_stats.tracks import J, TrackError, read_track
from training.synth.body import forward_kinematics, sample_bodies
from training.synth.camera import Cameras, project
from training.synth.motions import PoseBook

WIDTH, HEIGHT, FPS, FRAMES = 640, 480, 30.0, 240
LEFT = [J[n] for n in ("left_knee", "left_ankle")]
RIGHT = [J[n] for n in ("right_knee", "right_ankle")]


def standing_image(frames: int) -> np.ndarray:
    """(frames, 33, 3) image landmarks [x, y, z] of one person standing still 3 m in front of a level camera."""
    rng = np.random.default_rng(0)
    bodies = sample_bodies(rng, 1, (1.7, 1.7), (1.0, 1.0))
    pose = PoseBook(rng, bodies).stand(np.zeros(1))
    angles = {name: np.repeat(value[:, None], frames, axis=1) * 0 for name, value in pose.items()}
    world = forward_kinematics(bodies, angles)
    world[..., 1] += 0.9
    camera = Cameras(*(np.array([v], float) for v in (3.0, 1.0, 0.0, 0.9, 0.0, np.radians(60), 0.0, WIDTH, HEIGHT, 0.0)))
    return project(world, camera)[0]


def write(path, image: np.ndarray, present: np.ndarray, world: np.ndarray | None = None) -> None:
    lines = [json.dumps({"format": "skeleton-recording", "version": 1, "layout": "blazepose33", "fps": FPS,
                         "width": WIDTH, "height": HEIGHT, "source": "test"})]
    for frame in range(len(image)):
        people = []
        if present[frame]:
            landmarks = image[frame].tolist()
            people.append({"landmarks": landmarks, "world": (world[frame] if world is not None else image[frame]).tolist()})
        lines.append(json.dumps({"t": frame * 1000 / FPS, "people": people}))
    path.write_text("\n".join(lines) + "\n")


@pytest.fixture(scope="module")
def planted(tmp_path_factory):
    """Still standing person with white noise of known sd, two gaps, a 3-frame leg swap, a 2-frame flip and a
    hand held outside the image."""
    rng = np.random.default_rng(1)
    truth = standing_image(FRAMES)
    torso = np.linalg.norm((truth[0, [J["left_shoulder"], J["right_shoulder"]], :2].mean(0)
                            - truth[0, [J["left_hip"], J["right_hip"]], :2].mean(0)) * [WIDTH, HEIGHT])
    sd = 0.01  # torso lengths
    image = np.concatenate([truth, np.ones(truth.shape[:2] + (1,))], axis=-1)
    image[..., 0] += rng.normal(0, sd * torso / WIDTH, truth.shape[:2])
    image[..., 1] += rng.normal(0, sd * torso / HEIGHT, truth.shape[:2])
    image[100:103, LEFT + RIGHT] = image[100:103, RIGHT + LEFT]
    hips_y = image[150:152, [J["left_hip"], J["right_hip"]], 1].mean(axis=1, keepdims=True)
    image[150:152, :, 1] = 2 * hips_y - image[150:152, :, 1]
    image[:, J["right_wrist"], 0] = -0.05
    image[:, J["right_wrist"], 3] = 0.8
    present = np.ones(FRAMES, bool)
    present[[40, 41, 200, 201, 202, 203]] = False
    world = image.copy()
    world[..., 1] = -world[..., 1]
    folder = tmp_path_factory.mktemp("planted")
    write(folder / "still.jsonl", image, present, world)
    return folder, sd


def test_statistics_find_what_was_planted(planted):
    folder, sd = planted
    summary = describe([folder / "still.jsonl"])
    assert summary["detection"]["gap_frames"]["count"] == 2
    assert summary["detection"]["gap_frames"]["quantiles"][0] == 2 and summary["detection"]["gap_frames"]["quantiles"][-1] == 4
    assert summary["posture_share"]["upright"] == 1.0
    legs = summary["events"]["swaps"]["legs"]
    assert legs["episodes"] == 1 and legs["median_frames"] == 3
    assert summary["events"]["swaps"]["arms"]["episodes"] == 0
    flips = summary["events"]["flips"]
    assert flips["episodes"] == 1 and flips["median_frames"] == 2
    outside = summary["visibility"]["outside_by_distance"][0]
    assert outside["n"] > 0 and outside["above_half"] == 1.0
    # 2-D white noise of sd s per axis: |second difference| has median s·sqrt(1.5)·1.1774.
    face = summary["jitter"]["lag1"]["face"]["median"]
    assert face == pytest.approx(sd * np.sqrt(1.5) * 1.1774, rel=0.15)
    assert summary["world"]["torso_direction_vs_image_deg"]["median"] > 90  # world y was made to point up: not camera axes


def test_fit_recovers_the_noise_that_made_the_recording(planted):
    folder, sd = planted
    model = build_model(describe([folder / "still.jsonl"]), [str(folder)])
    assert model["noise"]["sd"]["face"] == pytest.approx(sd, rel=0.15)
    assert model["noise"]["tail"]["face"] < 0.3
    assert model["swaps"]["legs"]["perMinute"] > 0 and model["swaps"]["arms"]["perMinute"] == 0
    assert noise_lag1(1.0) == 0.0 and 0.45 < noise_lag1(1.285) < 0.55  # AR(1) 0.5: lag-2 second differences 1.285 × lag 1


def test_markdown_puts_sets_side_by_side(planted):
    folder, _ = planted
    summary = describe([folder / "still.jsonl"])
    table = markdown({"a": summary, "b": summary})
    assert "| | a | b |" in table and "| left/right swap of legs, per minute |" in table


def test_bad_input_is_named(tmp_path, capsys):
    assert pose_stats([str(tmp_path / "missing")]) == 2
    assert "does not exist" in capsys.readouterr().err
    assert pose_stats(["--set", "no-equals-sign"]) == 2
    assert "NAME=DIR_OR_FILE" in capsys.readouterr().err
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"format": "something-else"}\n')
    with pytest.raises(TrackError, match="not a blazepose33 skeleton recording"):
        read_track(bad)
    assert pose_stats([str(bad)]) == 2
    assert pose_stats([str(tmp_path)]) == 2  # a folder with a broken recording: the message names the file
    assert "bad.jsonl" in capsys.readouterr().err
