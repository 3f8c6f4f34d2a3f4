"""Skeleton graphs for graph convolutions: adjacency from a layout's `edges` and ST-GCN partitions.

Convention: a partition stack A has shape (K, V, V) and A[k, i, j] is the weight with which input joint j
contributes to output joint i, i.e. out[..., i] = Σ_j A[k, i, j] · x[..., j] (a graph conv computes
x @ A[k].T along the joint axis).
"""
from __future__ import annotations

import numpy as np

from training.skeleton import Layout, get_layout

PARTITIONS = ("uniform", "distance", "spatial")
NORMALISATIONS = ("symmetric", "mean", "per-partition")
# ST-BLN Eq. 1: D_p(ii) = Σ_j A_p(ij) + ε keeps an empty row of a partition from dividing by zero.
PARTITION_EPSILON = 0.001


def adjacency(layout: Layout | str) -> np.ndarray:
    """(V, V) symmetric 0/1 adjacency of the layout's edges, no self-loops."""
    layout = get_layout(layout) if isinstance(layout, str) else layout
    a = np.zeros((layout.num_joints, layout.num_joints))
    for i, j in layout.edges:
        a[i, j] = a[j, i] = 1
    return a


def hop_distance(layout: Layout | str) -> np.ndarray:
    """(V, V) shortest-path length in edges; np.inf between disconnected joints."""
    a = adjacency(layout)
    n = a.shape[0]
    dist = np.full((n, n), np.inf)
    np.fill_diagonal(dist, 0)
    reach = np.eye(n, dtype=bool)
    hop = 0
    while True:
        hop += 1
        grown = reach | ((reach.astype(float) @ a) > 0)
        new = grown & ~reach
        if not new.any():
            return dist
        dist[new] = hop
        reach = grown


def _normalise(a: np.ndarray, normalisation: str) -> np.ndarray:
    degree = a.sum(axis=1)
    if normalisation == "symmetric":  # D^-1/2 (A + I) D^-1/2, the ST-GCN / ST-TR paper equation
        inv_sqrt = np.where(degree > 0, degree ** -0.5, 0.0)
        return inv_sqrt[:, None] * a * inv_sqrt[None, :]
    if normalisation == "mean":  # the ST-GCN reference code's normalize_digraph: each output joint averages
        return a / degree[:, None]
    raise ValueError(f"unknown normalisation {normalisation!r}; known: {NORMALISATIONS}")


def _per_partition(a: np.ndarray) -> np.ndarray:
    """Â_p = D_p^-1/2 A_p D_p^-1/2 with D_p(ii) = Σ_j A_p(ij) + ε (ST-BLN Eq. 1)."""
    inv_sqrt = (a.sum(axis=1) + PARTITION_EPSILON) ** -0.5
    return inv_sqrt[:, None] * a * inv_sqrt[None, :]


def partitions(layout: Layout | str, strategy: str = "spatial", normalisation: str = "symmetric") -> np.ndarray:
    """(K, V, V) float32 partitioned, normalised adjacency.

    The whole neighbourhood (A + I) is normalised first and then split, as in the ST-GCN reference, so the
    partitions of one layer sum to the normalised full adjacency; normalisation "per-partition" instead
    normalises each binary partition A_p on its own, Â_p = D_p^-1/2 A_p D_p^-1/2 with ε = 0.001 added to every
    degree (the ST-BLN paper's Eq. 1, used by its Â_p + M_p and Â_p + L_pL_pᵀ models).
    - uniform (K=1): the normalised A + I;
    - distance (K=2): self, 1-hop neighbours;
    - spatial (K=3): root (self and neighbours as far from the centre as the joint), centripetal (neighbours
      closer to the centre), centrifugal (neighbours farther). The distance to the centre is the hop distance
      to the nearest joint of the layout's `center` set.
    """
    layout = get_layout(layout) if isinstance(layout, str) else layout
    if strategy not in PARTITIONS:
        raise ValueError(f"unknown partition strategy {strategy!r}; known: {PARTITIONS}")
    neighbourhood = adjacency(layout) + np.eye(layout.num_joints)
    if normalisation == "per-partition":  # ST-BLN's Â_p: each binary partition normalised on its own
        masks = partitions(layout, strategy, "mean") > 0
        return np.stack([_per_partition(mask.astype(np.float64)) for mask in masks]).astype(np.float32)
    full = _normalise(neighbourhood, normalisation)
    if strategy == "uniform":
        return full[None].astype(np.float32)
    own = np.eye(layout.num_joints, dtype=bool)
    neighbour = neighbourhood.astype(bool) & ~own
    if strategy == "distance":
        return np.stack([full * own, full * neighbour]).astype(np.float32)
    to_centre = hop_distance(layout)[:, list(layout.center)].min(axis=1)
    output_dist, input_dist = to_centre[:, None], to_centre[None, :]
    root = own | (neighbour & (input_dist == output_dist))
    centripetal = neighbour & (input_dist < output_dist)
    centrifugal = neighbour & (input_dist > output_dist)
    return np.stack([full * root, full * centripetal, full * centrifugal]).astype(np.float32)
