"""training/skeleton.py (docs/skeleton.md) and training/graph.py."""
import json

import numpy as np
import pytest

from training import graph
from training.skeleton import (
    FEATURE_CHANNELS,
    LAYOUTS,
    VECTORS_PATH,
    UnclassifiableWindow,
    blazepose33_to_ntu25,
    fill_gaps,
    get_layout,
    make_vectors,
    mirror,
    to_canonical,
    window_features,
)

NTU = get_layout("ntu25")
BLAZE = get_layout("blazepose33")


def random_raw(rng, frames=8, joints=25, persons=1, visibility=0.9):
    raw = rng.normal(0, 0.3, size=(4, frames, joints, persons))
    raw[3] = visibility
    return raw


def test_layouts_are_consistent():
    for layout in LAYOUTS.values():
        v = layout.num_joints
        assert sorted(layout.mirror) == list(range(v))
        assert [layout.mirror[j] for j in layout.mirror] == list(range(v))
        assert len(layout.bones) == v - 1 and layout.root not in [c for c, _ in layout.bones]
        # every joint reaches the root through its parents
        parents = layout.parents
        for joint in range(v):
            for _ in range(v):
                joint = parents[joint]
            assert joint == layout.root


# 2s-AGCN's data_gen/gen_bone_data.py (used by the ST-TR code, DIGEST §1.5): 1-based (joint, parent); bone = joint − parent.
REFERENCE_NTU_BONES = ((1, 2), (2, 21), (3, 21), (4, 3), (5, 21), (6, 5), (7, 6), (8, 7), (9, 21), (10, 9), (11, 10),
                       (12, 11), (13, 1), (14, 13), (15, 14), (16, 15), (17, 1), (18, 17), (19, 18), (20, 19), (22, 23),
                       (21, 21), (23, 8), (24, 25), (25, 12))


def test_ntu_bone_parents_are_those_of_the_st_tr_reference_code():
    assert [int(p) for p in NTU.parents] == [parent - 1 for _, parent in sorted(REFERENCE_NTU_BONES)]
    tip, thumb, hand = (NTU.index(f"left_{name}") for name in ("hand_tip", "thumb", "hand"))
    assert NTU.parents[tip] == thumb and NTU.parents[thumb] == hand  # 22 → 23 → 8, not 22 → 8
    assert NTU.root == NTU.index("spine_shoulder")  # (21, 21): its bone is zero


def test_blazepose_to_ntu_mapping_uses_weights_and_min_visibility():
    frames = np.random.default_rng(0).uniform(0, 1, size=(2, 33, 4))
    ntu = blazepose33_to_ntu25(frames)
    assert ntu.shape == (2, 25, 4)
    spine_base = NTU.index("spine_base")
    hips = [BLAZE.index("left_hip"), BLAZE.index("right_hip")]
    np.testing.assert_allclose(ntu[:, spine_base, :3], frames[:, hips, :3].mean(axis=1))
    np.testing.assert_allclose(ntu[:, spine_base, 3], frames[:, hips, 3].min(axis=1))
    np.testing.assert_allclose(ntu[:, NTU.index("left_elbow")], frames[:, BLAZE.index("left_elbow")])
    with pytest.raises(ValueError, match="33, 4"):
        blazepose33_to_ntu25(np.zeros((2, 25, 4)))


def test_to_canonical():
    landmark = np.array([0.75, 0.25, 0.1, 0.9])
    np.testing.assert_allclose(to_canonical(landmark, 640, 480), [0.25 * 4 / 3, 0.25, -0.1 * 4 / 3, 0.9])
    with pytest.raises(ValueError):
        to_canonical(landmark, 0, 480)


def test_gap_filling_interpolates_and_holds():
    person = np.zeros((5, 25, 4))
    person[..., 3] = 1.0
    person[:, 5, 0] = [9, 1, 9, 3, 9]
    person[[0, 2, 4], 5, 3] = 0.0  # elbow seen only in frames 1 and 3
    xyz = fill_gaps(person, NTU, 0.5)
    np.testing.assert_allclose(xyz[:, 5, 0], [1, 1, 2, 3, 3])


def test_never_visible_joint_takes_torso_bottom_and_unseen_bottom_frames_copy_nearest():
    rng = np.random.default_rng(1)
    person = np.concatenate([rng.normal(size=(4, 25, 3)), np.ones((4, 25, 1))], axis=-1)
    person[:, 7, 3] = 0.0  # left hand never visible
    person[2, 0, 3] = 0.0  # spine base (torso bottom) missing in frame 2
    xyz = fill_gaps(person, NTU, 0.5)
    np.testing.assert_allclose(xyz[[0, 1, 3], 7], person[[0, 1, 3], 0, :3])
    np.testing.assert_allclose(xyz[2], xyz[1])  # tie between frames 1 and 3: the earlier one


def test_window_without_torso_bottom_is_not_classified():
    raw = random_raw(np.random.default_rng(2))
    raw[3, :, 0] = 0.1
    with pytest.raises(UnclassifiableWindow):
        window_features(raw, "ntu25", "ntu25", "joints")


@pytest.mark.parametrize("features", sorted(FEATURE_CHANNELS))
def test_features_are_translation_and_scale_invariant(features):
    rng = np.random.default_rng(3)
    raw = random_raw(rng, persons=2)
    raw[3, 2, 4:9] = 0.0  # some gaps
    reference = window_features(raw, "ntu25", "ntu25", features)
    moved = raw.copy()
    moved[:3] = moved[:3] * 2.5 + np.array([0.3, -1.0, 0.2])[:, None, None, None]
    np.testing.assert_allclose(window_features(moved, "ntu25", "ntu25", features), reference, atol=1e-5)
    assert reference.shape == (FEATURE_CHANNELS[features], 8, 25, 2) and reference.dtype == np.float32


def test_normalised_window_has_origin_at_mean_hip_and_unit_torso():
    feats = window_features(random_raw(np.random.default_rng(4)), "ntu25", "ntu25", "joints+bones")
    joints, bones = feats[:3, ..., 0], feats[3:, ..., 0]
    np.testing.assert_allclose(joints[:, :, NTU.torso_bottom[0]].mean(axis=1), 0, atol=1e-6)
    torso = joints[:, :, NTU.torso_top[0]] - joints[:, :, NTU.torso_bottom[0]]
    np.testing.assert_allclose(np.linalg.norm(torso, axis=0).mean(), 1, atol=1e-5)
    np.testing.assert_allclose(bones[:, :, NTU.root], 0)
    np.testing.assert_allclose(bones[:, :, 5], joints[:, :, 5] - joints[:, :, 4], atol=1e-6)


def test_empty_person_slot_is_zero():
    raw = random_raw(np.random.default_rng(5), persons=2)
    raw[:, :, :, 1] = 0.0
    feats = window_features(raw, "ntu25", "ntu25", "joints")
    assert np.abs(feats[..., 0]).sum() > 0 and not feats[..., 1].any()


def test_mirror_twice_is_identity_and_swaps_sides():
    raw = random_raw(np.random.default_rng(6), joints=33, persons=2)
    once = mirror(raw, "blazepose33")
    np.testing.assert_array_equal(mirror(once, "blazepose33"), raw)
    np.testing.assert_array_equal(once[0, :, BLAZE.index("left_wrist")], -raw[0, :, BLAZE.index("right_wrist")])
    np.testing.assert_array_equal(once[1:, :, BLAZE.index("left_wrist")], raw[1:, :, BLAZE.index("right_wrist")])


def test_bad_input_gets_clear_errors():
    with pytest.raises(ValueError, match="unknown skeleton layout"):
        get_layout("coco17")
    with pytest.raises(ValueError, match="unknown features"):
        window_features(np.zeros((4, 2, 25, 1)), "ntu25", "ntu25", "velocity")
    with pytest.raises(ValueError, match=r"\(4, T, V, M\)"):
        window_features(np.zeros((3, 2, 25, 1)), "ntu25", "ntu25", "joints")
    with pytest.raises(ValueError, match="no mapping"):
        window_features(np.zeros((4, 2, 25, 1)), "ntu25", "blazepose33", "joints")


def test_committed_vectors_are_current():
    committed = json.loads(VECTORS_PATH.read_text())
    assert committed == json.loads(json.dumps(make_vectors())), "run: python3 -m training.skeleton --write-vectors"
    names = {case["name"]: case for case in committed["cases"]}
    assert names["no-torso-bottom"]["features"]["ntu25"]["joints"] is None
    assert names["one-person-gaps"]["features"]["ntu25"]["joints+bones"]["shape"] == [6, 6, 25, 1]


# --- graph.py ----------------------------------------------------------------------------------------------

@pytest.mark.parametrize("layout", sorted(LAYOUTS))
@pytest.mark.parametrize("strategy", graph.PARTITIONS)
def test_partitions_split_the_normalised_neighbourhood(layout, strategy):
    stack = graph.partitions(layout, strategy)
    a = graph.adjacency(layout)
    assert np.allclose(a, a.T) and not np.diag(a).any()
    full = stack.sum(axis=0)
    np.testing.assert_allclose(full, full.T, atol=1e-6)  # symmetric normalisation of a symmetric graph
    np.testing.assert_array_equal(full > 0, (a + np.eye(len(a))) > 0)
    # partitions are disjoint
    assert ((stack > 0).sum(axis=0) <= 1).all()


def test_spatial_partition_of_known_joints():
    root, centripetal, centrifugal = graph.partitions("ntu25") > 0
    elbow, shoulder, wrist = NTU.index("left_elbow"), NTU.index("left_shoulder"), NTU.index("left_wrist")
    assert list(np.flatnonzero(root[elbow])) == [elbow]
    assert list(np.flatnonzero(centripetal[elbow])) == [shoulder]
    assert list(np.flatnonzero(centrifugal[elbow])) == [wrist]
    centre = NTU.center[0]
    assert centripetal[centre].sum() == 0 and centrifugal[centre].sum() == 4  # spine_mid, neck, both shoulders
    # centripetal is the transpose pattern of centrifugal on a tree-like graph
    np.testing.assert_array_equal(centripetal, centrifugal.T)
    # BlazePose: the centre set is shoulders+hips; the shoulder-shoulder edge sits in the root partition
    b_root = graph.partitions("blazepose33")[0] > 0
    assert b_root[BLAZE.index("left_shoulder"), BLAZE.index("right_shoulder")]


def test_symmetric_normalisation_values():
    full = graph.partitions("ntu25", "uniform")[0]
    degree = graph.adjacency("ntu25").sum(axis=1) + 1
    i, j = NTU.index("left_elbow"), NTU.index("left_shoulder")
    assert full[i, j] == pytest.approx(1 / np.sqrt(degree[i] * degree[j]))
    mean = graph.partitions("ntu25", "uniform", "mean")[0]
    np.testing.assert_allclose(mean.sum(axis=1), 1, atol=1e-6)


def test_st_bln_per_partition_normalisation_with_epsilon():
    a = graph.partitions("ntu25", "spatial", "per-partition")
    np.testing.assert_allclose(a[0], np.eye(25) / 1.001, rtol=1e-6)  # A_1 = I on the NTU tree: 1 / (1 + ε)
    binary = graph.partitions("ntu25", "spatial", "mean") > 0
    degree = binary.sum(axis=2) + graph.PARTITION_EPSILON
    i, j = np.nonzero(binary[1])
    np.testing.assert_allclose(a[1][i, j], 1 / np.sqrt(degree[1][i] * degree[1][j]), rtol=1e-6)
    assert not a[1][~binary[1]].any()
    # A joint without centripetal neighbours (the centre) keeps an all-zero row instead of dividing by zero.
    assert np.isfinite(a).all() and not a[1][20].any()
