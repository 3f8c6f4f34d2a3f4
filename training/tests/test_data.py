"""training/data.py (format, splits, augmentations, WindowDataset) and training/ntu.py (.skeleton reader)."""
import numpy as np
import pytest

from training import ntu
from training.data import (
    DatasetError,
    WindowDataset,
    augment,
    augment_settings,
    drop_joints,
    load_dataset,
    resample_frames,
    rotate_vertical,
    save_dataset,
    save_split,
    split_indices,
)
from training.models.config import load_config, resolve
from training.skeleton import get_layout, mirror
from training.tests.datasets import make_dataset


def bone_lengths(raw: np.ndarray) -> np.ndarray:
    bones = np.array(get_layout("ntu25").bones)
    return np.linalg.norm(raw[:3, :, bones[:, 0]] - raw[:3, :, bones[:, 1]], axis=0)


def test_round_trip_keeps_every_array(tmp_path):
    dataset = make_dataset(samples=6, frames=8)
    save_dataset(tmp_path / "d.npz", dataset)
    loaded = load_dataset(tmp_path / "d.npz")
    np.testing.assert_array_equal(loaded.data, dataset.data)
    for column in ("label", "subject", "camera"):
        np.testing.assert_array_equal(getattr(loaded, column), getattr(dataset, column))
        assert getattr(loaded, column).dtype == np.int64
    assert (loaded.labels, loaded.layout, loaded.fps, loaded.meta) == (dataset.labels, "ntu25", 30.0, dataset.meta)


def test_bad_files_get_clear_errors(tmp_path):
    with pytest.raises(DatasetError, match="does not exist"):
        load_dataset(tmp_path / "missing.npz")
    np.savez(tmp_path / "partial.npz", data=np.zeros((1, 4, 2, 25, 1), np.float32))
    with pytest.raises(DatasetError, match="missing arrays"):
        load_dataset(tmp_path / "partial.npz")
    dataset = make_dataset(samples=2, frames=4)
    with pytest.raises(DatasetError, match="V=25 joints but layout 'blazepose33'"):
        type(dataset)(dataset.data, dataset.label, dataset.subject, dataset.camera, dataset.labels, "blazepose33", 30)
    with pytest.raises(DatasetError, match="labels must lie in"):
        type(dataset)(dataset.data, dataset.label + 10, dataset.subject, dataset.camera, dataset.labels, "ntu25", 30)


def test_cross_subject_and_cross_view_splits_partition_by_id(tmp_path):
    dataset = make_dataset(samples=20, subjects=5, cameras=3)
    train, test = split_indices(dataset, "cross-subject", test_subjects="2,4")
    assert set(dataset.subject[test]) == {2, 4} and not set(dataset.subject[train]) & {2, 4}
    assert sorted(np.concatenate([train, test])) == list(range(20))
    train, test = split_indices(dataset, "cross-view", test_cameras="1")
    assert set(dataset.camera[test]) == {1} and set(dataset.camera[train]) == {2, 3}

    save_split(tmp_path / "split.json", train, test)
    again = split_indices(dataset, "file", split_file=tmp_path / "split.json")
    np.testing.assert_array_equal(again[0], train)
    np.testing.assert_array_equal(again[1], test)


def test_split_errors():
    dataset = make_dataset(samples=8)
    with pytest.raises(DatasetError, match="needs --test-subjects"):
        split_indices(dataset, "cross-subject")
    with pytest.raises(DatasetError, match="empty"):
        split_indices(dataset, "cross-subject", test_subjects="99")
    with pytest.raises(DatasetError, match="comma-separated integers"):
        split_indices(dataset, "cross-view", test_cameras="front")


def test_mirror_twice_is_identity_and_once_swaps_sides():
    raw = make_dataset(samples=1).data[0]
    layout = get_layout("ntu25")
    once = mirror(raw, "ntu25")
    left, right = layout.index("left_hand"), layout.index("right_hand")
    np.testing.assert_allclose(once[0, :, left], -raw[0, :, right])
    np.testing.assert_array_equal(mirror(once, "ntu25"), raw)


def test_rotation_preserves_bone_lengths_and_visibility():
    raw = make_dataset(samples=1).data[0].astype(np.float64)
    rotated = rotate_vertical(raw, 0.7)
    np.testing.assert_allclose(bone_lengths(rotated), bone_lengths(raw), atol=1e-9)
    np.testing.assert_array_equal(rotated[1], raw[1])  # the vertical axis is the axis of rotation
    np.testing.assert_array_equal(rotated[3], raw[3])
    assert not np.allclose(rotated[0], raw[0])


def test_augmentations_are_reproducible_and_keep_shape():
    raw = make_dataset(samples=1, frames=20).data[0]
    settings = augment_settings({name: True for name in ("rotate", "scale", "shear", "mirror", "joint_dropout",
                                                         "speed", "crop")})
    first = augment(raw, "ntu25", settings, np.random.default_rng(3))
    assert first.shape == raw.shape
    np.testing.assert_array_equal(first, augment(raw, "ntu25", settings, np.random.default_rng(3)))
    assert not np.allclose(first, augment(raw, "ntu25", settings, np.random.default_rng(4)))
    with pytest.raises(ValueError, match="unknown augmentation 'flip'"):
        augment_settings({"flip": True})
    with pytest.raises(ValueError, match="no parameters"):
        augment_settings({"rotate": {"degrees": 3}})


def test_joint_dropout_and_resampling():
    raw = make_dataset(samples=1, frames=10).data[0]
    dropped = drop_joints(raw, np.arange(25) < 3)
    assert (dropped[3, :, :3] == 0).all() and (dropped[3, :, 3:] == 1).all()
    np.testing.assert_allclose(resample_frames(raw, 0, 10, 10), raw)
    twice = resample_frames(raw, 0, 10, 20)  # slow motion: every other frame is a midpoint
    np.testing.assert_allclose(twice[:3, 1], (raw[:3, 0] + raw[:3, 1]) / 2, rtol=1e-6)


def test_window_dataset_matches_window_features_and_fits_model_input():
    dataset = make_dataset(samples=4, frames=16)
    cfg = resolve({**load_config("stgcn-lite"), "window": 8, "persons": 2, "num_classes": 4})
    items = WindowDataset(dataset, np.arange(4), cfg)
    x, y = items[1]
    assert tuple(x.shape) == (3, 8, 25, 2) and y == dataset.label[1]
    assert float(x[..., 1].abs().max()) == 0  # the padded person slot stays empty
    assert float(x[..., 0].abs().max()) > 0.1


def write_skeleton_file(path, frames: int, bodies: list[np.ndarray]):
    """NTU text format; bodies[b] is (frames, 25, 3) xyz, colorX made to grow with -x (Kinect camera space)."""
    lines = [str(frames)]
    for t in range(frames):
        lines.append(str(len(bodies)))
        for b, body in enumerate(bodies):
            lines.append(f"{72057594037930000 + b} 0 1 1 1 1 0 0.1 0.2 2")
            lines.append("25")
            for v in range(25):
                x, y, z = body[t, v]
                state = 1 if v == 3 else 2
                lines.append(f"{x:.6f} {y:.6f} {z:.6f} 250.1 200.2 {960 - 500 * x:.3f} {540 - 500 * y:.3f} "
                             f"0.1 0.2 0.3 0.9 {state}")
    path.write_text("\n".join(lines) + "\n")


def test_ntu_reader_parses_file_and_name(tmp_path):
    rng = np.random.default_rng(0)
    moving = rng.normal(0, 0.3, (5, 25, 3)) + np.array([0, 0, 3.0])
    still = np.repeat(rng.normal(0, 0.3, (1, 25, 3)), 5, axis=0) + np.array([1.0, 0, 3.0])
    folder = tmp_path / "ntu"
    folder.mkdir()
    write_skeleton_file(folder / "S001C002P003R001A043.skeleton", 5, [still, moving])
    write_skeleton_file(folder / "S001C001P007R002A008.skeleton", 3, [moving[:3]])

    out = tmp_path / "ntu.npz"
    ntu.main([str(folder), str(out), "--window", "4", "--persons", "2"])
    dataset = load_dataset(out)
    assert dataset.data.shape == (2, 4, 4, 25, 2)
    assert list(dataset.label) == [7, 42] and list(dataset.subject) == [7, 3] and list(dataset.camera) == [1, 2]
    assert dataset.labels[42] == "falling" and len(dataset.labels) == 60 and dataset.layout == "ntu25"
    fall = dataset.data[1]
    # slot 0 holds the body that moves most; x is negated (colorX grows with -x), z points at the camera
    canonical = np.stack([-moving[..., 0], moving[..., 1], -moving[..., 2], np.ones((5, 25))])[..., None]
    np.testing.assert_allclose(fall[:3, :, :, :1], resample_frames(canonical, 0, 5, 4)[:3], atol=1e-5)
    assert fall[3, 0, 3, 0] == 0.5 and fall[3, 0, 0, 0] == 1.0  # inferred vs tracked joints
    short = dataset.data[0]
    assert (short[3, 3] == 0).all() and (short[3, :3, :, 0] > 0).all()  # padded frame, empty second slot


def test_ntu_reader_reports_malformed_files(tmp_path):
    bad = tmp_path / "S001C001P001R001A001.skeleton"
    bad.write_text("2\n1\n1 0 1 1 1 1 0 0 0 2\n25\n0 0 0\n")
    with pytest.raises(ntu.SkeletonFileError, match="ends early"):
        ntu.read_skeleton(bad)
    with pytest.raises(ntu.SkeletonFileError, match="SsssCcccPpppRrrrAaaa"):
        ntu.parse_name(tmp_path / "clip.skeleton")
