"""Building blocks shared by the graph/attention models (ST-GCN, ST-TR, ST-BLN; reusable by SAN/STST).

Internal tensor layout: (B, C, T, V) with B = N·M (persons folded into the batch, as in ST-GCN). Everything is
made of ops that export to ONNX opset 17 with static shapes and run on onnxruntime-web's WASM and WebGPU EPs:
1×1 / (k×1) Conv2d, BatchNorm, ReLU, MatMul, Softmax, Reshape, Transpose, Gemm.

Every spatial/temporal unit returns (y, attention) where attention is None or a (B, S, S) map averaged over
heads and over the non-attended axis (rows sum to 1).
"""
from __future__ import annotations

import math

import torch
from torch import nn


class DataNorm(nn.Module):
    """Input batch norm over M·V·C channels (ST-GCN `data_bn`), then persons folded into the batch.

    (N, C, T, V, M) → (N·M, C, T, V).
    """

    def __init__(self, channels: int, joints: int, persons: int):
        super().__init__()
        self.bn = nn.BatchNorm1d(persons * joints * channels)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        n, c, t, v, m = x.shape
        x = x.permute(0, 4, 3, 1, 2).reshape(n, m * v * c, t)
        x = self.bn(x)
        return x.reshape(n, m, v, c, t).permute(0, 1, 3, 4, 2).reshape(n * m, c, t, v)


class JointChannelNorm(nn.Module):
    """BatchNorm over C·V channels (the pre-norm of ST-TR's SSA/TSA units: one statistic per joint and channel)."""

    def __init__(self, channels: int, joints: int):
        super().__init__()
        self.bn = nn.BatchNorm1d(channels * joints)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        b, c, t, v = x.shape
        x = self.bn(x.permute(0, 1, 3, 2).reshape(b, c * v, t))
        return x.reshape(b, c, v, t).permute(0, 1, 3, 2)


class Residual(nn.Module):
    """Skip path from (B, C_in, T, V_in) to (B, C_out, ⌈T/stride⌉, V_out).

    Identity when nothing changes; a strided 1×1 conv + BN when channels or T change; when the joint count
    changes (ST-BLN), a conv with C_out·V_out filters of size C_in×1×V_in, reshaped to (C_out, T, V_out).
    """

    def __init__(self, in_channels: int, out_channels: int, stride: int = 1, in_joints: int = 0, out_joints: int = 0,
                 kernel: int = 1, always: bool = False):
        """kernel: temporal taps of the conv (centred, padded); always: a conv even when nothing changes (the
        ST-BLN authors' code, `residuals: "reference-code"`)."""
        super().__init__()
        self.out_channels, self.out_joints = out_channels, out_joints
        self.remaps_joints = in_joints != out_joints
        padding = ((kernel - 1) // 2, 0)
        if self.remaps_joints:
            self.conv = nn.Conv2d(in_channels, out_channels * out_joints, (kernel, in_joints), (stride, 1), padding)
        elif in_channels != out_channels or stride != 1 or always:
            self.conv = nn.Conv2d(in_channels, out_channels, (kernel, 1), (stride, 1), padding)
        else:
            self.conv = None
        self.bn = nn.BatchNorm2d(out_channels) if self.conv is not None else None

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        if self.conv is None:
            return x
        y = self.conv(x)
        if self.remaps_joints:
            b, _, t, _ = y.shape
            y = y.reshape(b, self.out_channels, self.out_joints, t).permute(0, 1, 3, 2)
        return self.bn(y)


class ZeroResidual(nn.Module):
    """No skip path (ST-GCN's first block)."""

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return torch.zeros((), dtype=x.dtype)


def residual(in_channels: int, out_channels: int, stride: int = 1, in_joints: int = 0, out_joints: int = 0,
             enabled: bool = True, kernel: int = 1, always: bool = False) -> nn.Module:
    if not enabled:
        return ZeroResidual()
    return Residual(in_channels, out_channels, stride, in_joints, out_joints, kernel, always)


class JointMapping(nn.Module):
    """Σ_p G_p · (x W_p) on the joint axis: a 1×1 conv to P·C_out channels, then one V_out×V_in matrix per
    partition p. How G_p is made distinguishes the models:

    - "importance": G_p = A_p ⊙ M_p, M_p learnable, init 1 (ST-GCN edge importance)
    - "additive":   G_p = A_p + M_p, M_p learnable, init 0 (2s-AGCN style, ST-BLN paper Eq. 2)
    - "symmetric":  G_p = A_p + L_p L_pᵀ, L_p ∈ R^{V×V} learnable (ST-BLN paper Eq. 3)
    - "bilinear":   G_p = U_p, free V_out×V_in matrices, no adjacency (ST-BLN, Eq. 4)
    After training G_p is a constant, so all modes cost the same at inference.
    """

    MODES = ("importance", "additive", "symmetric", "bilinear")

    def __init__(self, in_channels: int, out_channels: int, mode: str, adjacency: torch.Tensor | None = None,
                 partitions: int = 0, in_joints: int = 0, out_joints: int = 0):
        super().__init__()
        if mode not in self.MODES:
            raise ValueError(f"unknown joint mapping {mode!r}; known: {self.MODES}")
        self.mode = mode
        if mode == "bilinear":
            if partitions < 1 or in_joints < 1 or out_joints < 1:
                raise ValueError("a bilinear mapping needs partitions, in_joints and out_joints")
            # The paper leaves the initialisation open; a scaled random init keeps activations at unit scale.
            self.mixing = nn.Parameter(torch.randn(partitions, out_joints, in_joints) / math.sqrt(in_joints * partitions))
        else:
            if adjacency is None:
                raise ValueError(f"joint mapping {mode!r} needs an adjacency (K, V, V)")
            self.register_buffer("adjacency", adjacency.clone().float())
            partitions, joints = adjacency.shape[0], adjacency.shape[1]
            if mode == "importance":
                self.mask = nn.Parameter(torch.ones(partitions, joints, joints))
            elif mode == "additive":
                self.mask = nn.Parameter(torch.zeros(partitions, joints, joints))
            elif mode == "symmetric":
                # L = 0 would be a saddle point (the gradient of LLᵀ vanishes), hence a small random start.
                self.factor = nn.Parameter(torch.randn(partitions, joints, joints) * 0.01)
        self.partitions = partitions
        self.out_channels = out_channels
        self.conv = nn.Conv2d(in_channels, partitions * out_channels, 1)

    def graphs(self) -> torch.Tensor:
        """(P, V_out, V_in) effective joint-mixing matrices."""
        if self.mode == "bilinear":
            return self.mixing
        if self.mode == "importance":
            return self.adjacency * self.mask
        if self.mode == "additive":
            return self.adjacency + self.mask
        return self.adjacency + self.factor @ self.factor.transpose(1, 2)  # symmetric

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        b, _, t, v = x.shape
        y = self.conv(x).reshape(b, self.partitions, self.out_channels, t, v)
        # (B,P,C,T,V_in) @ (P,1,V_in,V_out) → (B,P,C,T,V_out), summed over partitions
        y = torch.matmul(y, self.graphs().transpose(1, 2).unsqueeze(1))
        return y.sum(dim=1)


class SpatialUnit(nn.Module):
    """Joint mixing → BN → (+ skip) → ReLU. Used as the "GCN" half of ST-GCN / T-TR / ST-BLN blocks."""

    def __init__(self, mapping: nn.Module, out_channels: int, skip: nn.Module | None = None):
        super().__init__()
        self.mapping = mapping
        self.bn = nn.BatchNorm2d(out_channels)
        self.skip = skip if skip is not None else ZeroResidual()
        self.relu = nn.ReLU()

    def forward(self, x: torch.Tensor):
        return self.relu(self.bn(self.mapping(x)) + self.skip(x)), None


class TemporalConv(nn.Module):
    """TCN: a K_t×1 conv over time (stride on T) + BN; dropout before it when configured (ST-GCN).

    causal: unpadded ('valid'), so T frames give T − (K_t − 1) outputs, output j depending on input frames
    j … j + K_t − 1 only: the last output needs no later frame, which is what streaming (training/streaming.py)
    computes one frame at a time from the K_t − 1 frames before it."""

    def __init__(self, channels: int, kernel: int, stride: int = 1, dropout: float = 0.0, causal: bool = False):
        super().__init__()
        if kernel % 2 != 1:
            raise ValueError(f"temporal kernel must be odd to keep frames centred, got {kernel}")
        if causal and stride != 1:
            raise ValueError(f"a causal temporal conv cannot stride (got stride {stride})")
        self.kernel, self.causal = kernel, causal
        self.dropout = nn.Dropout(dropout) if dropout > 0 else nn.Identity()
        padding = 0 if causal else (kernel - 1) // 2
        self.conv = nn.Conv2d(channels, channels, (kernel, 1), (stride, 1), (padding, 0))
        self.bn = nn.BatchNorm2d(channels)

    def forward(self, x: torch.Tensor):
        return self.bn(self.conv(self.dropout(x))), None


def drop_attention(weights: torch.Tensor, p: float, training: bool) -> torch.Tensor:
    """DropAttention (ST-TR): in training, drop whole key columns of the softmax weights with probability p
    and renormalise each row to sum 1. Identity in eval mode, so nothing of it reaches the ONNX graph."""
    if not training or p <= 0:
        return weights
    keep = torch.rand(weights.shape[:-2] + (1, weights.shape[-1]), device=weights.device) >= p
    dropped = weights * keep
    # A row whose kept columns are all dropped falls back to the undropped weights rather than dividing by 0.
    total = dropped.sum(dim=-1, keepdim=True)
    return torch.where(total > 0, dropped / total.clamp_min(1e-12), weights)


def attend(q: torch.Tensor, k: torch.Tensor, v: torch.Tensor, heads: int, scale: float, p_drop: float,
           training: bool):
    """Multi-head scaled dot-product attention along the LAST axis of (B, d, P, S) tensors, independently for
    each of the P positions (SSA: P = frames, S = joints; TSA: P = joints, S = frames). Logits are multiplied by
    `scale` (1/√(d_k/heads), passed as a Python float so the ONNX graph gets a constant, not a Pow of shapes).

    Returns the output (B, d_v, P, S) and the attention map (B, S, S) averaged over heads and P.
    """
    b, dk, p, s = q.shape
    dv = v.shape[1]
    # (B, d, P, S) → (B, P, H, S, d/H)
    qh = q.reshape(b, heads, dk // heads, p, s).permute(0, 3, 1, 4, 2)
    kh = k.reshape(b, heads, dk // heads, p, s).permute(0, 3, 1, 2, 4)  # (B, P, H, d/H, S)
    vh = v.reshape(b, heads, dv // heads, p, s).permute(0, 3, 1, 4, 2)
    logits = torch.matmul(qh, kh) * scale
    weights = drop_attention(torch.softmax(logits, dim=-1), p_drop, training)
    out = torch.matmul(weights, vh)  # (B, P, H, S, dv/H)
    out = out.permute(0, 2, 4, 1, 3).reshape(b, dv, p, s)
    return out, weights.mean(dim=(1, 2))


class SelfAttentionUnit(nn.Module):
    """ST-TR's SSA (axis="joints") or TSA (axis="frames") unit, pre-norm as in the paper's code:

    BN over C·V → qkv projection (1×1 conv; for TSA a stride×1 conv with stride stride, so a temporal stride
    happens inside the projection) → multi-head attention → W_o (1×1 conv) → + skip → BN (→ ReLU for SSA,
    whose output feeds a TCN; a TSA unit ends the block, whose residual add is followed by ReLU).
    d_q = d_k = dk_ratio·C_out and d_v = dv_ratio·C_out (dv_ratio = 1 reproduces the paper's counts).
    The skip is the identity when C_in = C_out and stride = 1, a strided 1×1 conv + BN for TSA when striding,
    and absent for SSA when channels change (as in the paper's code).
    """

    def __init__(self, axis: str, in_channels: int, out_channels: int, joints: int, heads: int, dk_ratio: float,
                 dv_ratio: float, drop_attention: float = 0.0, stride: int = 1):
        super().__init__()
        if axis not in ("joints", "frames"):
            raise ValueError(f"attention axis must be 'joints' or 'frames', got {axis!r}")
        if axis == "joints" and stride != 1:
            raise ValueError("spatial self-attention cannot stride in time")
        self.axis, self.heads, self.p_drop = axis, heads, drop_attention
        self.dk, self.dv = int(round(dk_ratio * out_channels)), int(round(dv_ratio * out_channels))
        for name, dim in (("d_k", self.dk), ("d_v", self.dv)):
            if dim % heads:
                raise ValueError(f"{name}={dim} at width {out_channels} is not divisible by {heads} heads")
        self.norm = JointChannelNorm(in_channels, joints)
        self.qkv = nn.Conv2d(in_channels, 2 * self.dk + self.dv, (stride, 1), (stride, 1))
        self.out = nn.Conv2d(self.dv, out_channels, 1)
        if in_channels == out_channels or axis == "frames":
            self.skip = residual(in_channels, out_channels, stride)
        else:
            self.skip = ZeroResidual()
        self.bn = nn.BatchNorm2d(out_channels)
        self.relu = nn.ReLU() if axis == "joints" else nn.Identity()

    def forward(self, x: torch.Tensor):
        q, k, v = torch.split(self.qkv(self.norm(x)), [self.dk, self.dk, self.dv], dim=1)
        if self.axis == "frames":  # attend over T for every joint: make T the last axis
            q, k, v = (z.transpose(2, 3) for z in (q, k, v))
        y, attention = attend(q, k, v, self.heads, (self.dk // self.heads) ** -0.5, self.p_drop, self.training)
        if self.axis == "frames":
            y = y.transpose(2, 3)
        return self.relu(self.bn(self.out(y) + self.skip(x))), attention


class Block(nn.Module):
    """One spatial-temporal layer: y = ReLU(temporal(spatial(x)) + residual(x)); keeps the units' attention maps."""

    def __init__(self, spatial: nn.Module, temporal: nn.Module, skip: nn.Module):
        super().__init__()
        self.spatial, self.temporal, self.residual = spatial, temporal, skip
        self.relu = nn.ReLU()

    def forward(self, x: torch.Tensor):
        y, spatial_attention = self.spatial(x)
        y, temporal_attention = self.temporal(y)
        skip = self.residual(x)
        if getattr(self.temporal, "causal", False) and skip.dim() > 0:  # a causal TCN drops the first K_t − 1 frames
            skip = skip[:, :, self.temporal.kernel - 1:]
        return self.relu(y + skip), spatial_attention, temporal_attention


def per_sample(attention: torch.Tensor, persons: int) -> torch.Tensor:
    """(N·M, S, S) → (N, S, S), mean over person slots."""
    b, s, _ = attention.shape
    return attention.reshape(b // persons, persons, s, s).mean(dim=1)


def importance(attention: torch.Tensor) -> torch.Tensor:
    """Column mean of a row-stochastic (N, S, S) map: how much attention each key receives; sums to 1."""
    return attention.mean(dim=1)


def upsample_matrix(length: int, window: int) -> torch.Tensor:
    """(length, window) matrix spreading each of `length` strided steps evenly over the input frames it covers
    (frame t belongs to step t // (window / length)), so a distribution over steps stays a distribution."""
    if window % length:
        raise ValueError(f"window {window} is not a multiple of the attended length {length}")
    factor = window // length
    return torch.kron(torch.eye(length), torch.full((1, factor), 1.0 / factor))


class ClassifierHead(nn.Module):
    """Global average pool over (T, V), mean over persons, dropout, linear classifier."""

    def __init__(self, channels: int, num_classes: int, persons: int, dropout: float = 0.0):
        super().__init__()
        self.persons = persons
        self.dropout = nn.Dropout(dropout) if dropout > 0 else nn.Identity()
        self.fc = nn.Linear(channels, num_classes)

    def pooled(self, x: torch.Tensor) -> torch.Tensor:
        b, c = x.shape[:2]
        return x.mean(dim=(2, 3)).reshape(b // self.persons, self.persons, c).mean(dim=1)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.fc(self.dropout(self.pooled(x)))
