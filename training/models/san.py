"""SAN: Self-Attention Network for skeleton action recognition (Cho et al., WACV 2020), with TS-SAN.

Variants (cfg["variant"]):
- "v1": position and motion early-fused (channel concat), all persons' joints side by side, one SAN.
- "v2": one encoder per modality, features concatenated per person, one SAN shared by all persons,
  element-wise max over persons.
- "v3": one encoder + SAN per modality, max over persons per modality; a classifier per modality and
  one on their concatenation. "logits" is the joint classifier; in training mode the output also has
  "aux_logits" {"position", "motion"}, whose cross-entropies the trainer adds to the loss (paper: the
  loss is the sum of all classifiers' cross-entropies).
cfg["segments"] > 1 turns any variant into TS-SAN: the window is cut into equal clips that the same
network (shared weights) processes, and the clip logits are averaged (the paper's best consensus).

Sizes the paper text lost are chosen in training/configs/README-san-stst.md and all live in the config.
Exportable to ONNX opset 17 with static shapes: Conv, MaxPool, MatMul, Softmax, LayerNormalization.
"""
from __future__ import annotations

import math

import torch
from torch import nn

from training.models.config import resolve
from training.models.layers import importance, per_sample


def motion(x: torch.Tensor) -> torch.Tensor:
    """Frame differences of (N, C, T, V, M); frame 0 has no predecessor and gets zero motion."""
    return torch.cat([torch.zeros_like(x[:, :, :1]), x[:, :, 1:] - x[:, :, :-1]], dim=2)


class FeedForwardEncoder(nn.Module):
    """Per-frame FCNN: flattened joints × channels → D with a ReLU ("non-linear encoder")."""

    def __init__(self, in_channels: int, joints: int, dim: int, dropout: float):
        super().__init__()
        self.proj = nn.Sequential(nn.Linear(in_channels * joints, dim), nn.ReLU(), nn.Dropout(dropout))
        self.out_dim = dim

    def forward(self, x: torch.Tensor) -> torch.Tensor:  # (B, C, T, V) -> (B, T, D)
        b, c, t, v = x.shape
        return self.proj(x.permute(0, 2, 1, 3).reshape(b, t, c * v))


class ConvEncoder(nn.Module):
    """HCN-like 4-layer CNN (SAN Fig. 4) that keeps the frame axis.

    conv1 (1×1) makes "extended coordinates"; conv2 (k×1) adds local temporal context; joints are then
    moved onto the channel axis so conv3/conv4 (3×3, each with a 1×2 max-pool over the former
    coordinate axis) mix all joints. The per-frame feature is conv4 × (conv2 / 4) wide.
    """

    def __init__(self, in_channels: int, joints: int, widths: list[int], temporal_kernel: int, dropout: float):
        super().__init__()
        c1, c2, c3, c4 = widths
        if c2 % 4:
            raise ValueError(f"SAN conv encoder: second width must be divisible by 4 (two 1x2 pools), got {c2}")
        self.coordinates = nn.Sequential(nn.Conv2d(in_channels, c1, 1), nn.ReLU())
        self.temporal = nn.Conv2d(c1, c2, (temporal_kernel, 1), padding=(temporal_kernel // 2, 0))
        self.joints = nn.Sequential(
            nn.Conv2d(joints, c3, 3, padding=1), nn.ReLU(), nn.MaxPool2d((1, 2)),
            nn.Conv2d(c3, c4, 3, padding=1), nn.ReLU(), nn.MaxPool2d((1, 2)), nn.Dropout(dropout),
        )
        self.out_dim = c4 * c2 // 4

    def forward(self, x: torch.Tensor) -> torch.Tensor:  # (B, C, T, V) -> (B, T, D)
        h = self.temporal(self.coordinates(x))  # (B, c2, T, V)
        h = self.joints(h.permute(0, 3, 2, 1))  # joints as channels: (B, c4, T, c2/4)
        b, c, t, w = h.shape
        return h.permute(0, 2, 1, 3).reshape(b, t, c * w)


def build_encoder(cfg: dict, in_channels: int, joints: int) -> nn.Module:
    kind = cfg.get("encoder", "cnn")
    if kind == "cnn":
        return ConvEncoder(in_channels, joints, cfg["widths"], cfg["cnn_temporal_kernel"], cfg["dropout_encoder"])
    if kind == "ff":
        return FeedForwardEncoder(in_channels, joints, cfg["ff_dim"], cfg["dropout_encoder"])
    raise ValueError(f"SAN: unknown encoder {kind!r}; use 'cnn' or 'ff'")


class SelfAttentionLayer(nn.Module):
    """Post-norm Transformer encoder layer (MHA + residual + LayerNorm, FFN + residual + LayerNorm) that
    also returns its head-averaged attention map, which torch's own layer cannot export."""

    def __init__(self, dim: int, heads: int, ffn_dim: int, dropout: float):
        super().__init__()
        if dim % heads:
            raise ValueError(f"SAN: feature width {dim} is not divisible by {heads} heads")
        self.heads, self.head_dim = heads, dim // heads
        self.qkv = nn.Linear(dim, 3 * dim)
        self.out = nn.Linear(dim, dim)
        self.norm1, self.norm2 = nn.LayerNorm(dim), nn.LayerNorm(dim)
        self.ffn = nn.Sequential(nn.Linear(dim, ffn_dim), nn.ReLU(), nn.Dropout(dropout), nn.Linear(ffn_dim, dim))
        self.drop = nn.Dropout(dropout)

    def forward(self, x: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        b, t, d = x.shape
        q, k, v = self.qkv(x).reshape(b, t, 3, self.heads, self.head_dim).permute(2, 0, 3, 1, 4).unbind(0)
        attention = torch.softmax(q @ k.transpose(-1, -2) / math.sqrt(self.head_dim), dim=-1)  # (B, H, T, T)
        mixed = (self.drop(attention) @ v).transpose(1, 2).reshape(b, t, d)
        x = self.norm1(x + self.drop(self.out(mixed)))
        x = self.norm2(x + self.drop(self.ffn(x)))
        return x, attention.mean(dim=1)


class SANBlock(nn.Module):
    """Position embedding, L self-attention layers, concat of all layer outputs, mean over frames, FC+ReLU."""

    def __init__(self, dim: int, frames: int, layers: int, heads: int, ffn_mult: int, dropout: float):
        super().__init__()
        self.position = nn.Parameter(torch.zeros(1, frames, dim))
        nn.init.normal_(self.position, std=0.02)
        self.layers = nn.ModuleList(SelfAttentionLayer(dim, heads, ffn_mult * dim, dropout) for _ in range(layers))
        self.fuse = nn.Sequential(nn.Linear(layers * dim, dim), nn.ReLU())

    def forward(self, x: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:  # (B, T, D) -> (B, D), (B, T, T)
        h = x + self.position
        outputs = []
        for layer in self.layers:
            h, attention = layer(h)
            outputs.append(h)
        return self.fuse(torch.cat(outputs, dim=-1).mean(dim=1)), attention


def classifier(dim: int, classes: int, dropout: float) -> nn.Module:
    return nn.Sequential(nn.ReLU(), nn.Dropout(dropout), nn.Linear(dim, classes))


class SAN(nn.Module):
    def __init__(self, cfg: dict):
        super().__init__()
        self.variant = cfg["variant"]
        if self.variant not in ("v1", "v2", "v3"):
            raise ValueError(f"SAN: unknown variant {self.variant!r}; use v1, v2 or v3")
        cfg = resolve(cfg)
        self.window, self.persons, self.segments = cfg["window"], cfg["persons"], cfg.get("segments", 1)
        if self.window % self.segments:
            raise ValueError(f"SAN: window {self.window} is not divisible into {self.segments} segments")
        self.clip = self.window // self.segments
        channels, joints = cfg["in_channels"], cfg["joints"]
        self.channels, self.joints = channels, joints
        classes = cfg["num_classes"]

        def san(dim: int) -> SANBlock:
            return SANBlock(dim, self.clip, cfg["layers"], cfg["heads"], cfg["ffn_mult"], cfg["dropout_attention"])

        if self.variant == "v1":
            self.encoder = build_encoder(cfg, 2 * channels, joints * self.persons)
            dim = self.encoder.out_dim
            self.san = san(dim)
        else:
            self.position_encoder = build_encoder(cfg, channels, joints)
            self.motion_encoder = build_encoder(cfg, channels, joints)
            dim = self.position_encoder.out_dim
            if self.variant == "v2":
                dim *= 2
                self.san = san(dim)
            else:
                self.position_san, self.motion_san = san(dim), san(dim)
                self.position_head = classifier(dim, classes, cfg["dropout_head"])
                self.motion_head = classifier(dim, classes, cfg["dropout_head"])
                dim *= 2
        self.head = classifier(dim, classes, cfg["dropout_head"])
        # Places each clip's (t, t) attention on the diagonal of a (T, T) map: (S, 1, S, 1) broadcast.
        self.register_buffer("segment_diagonal", torch.eye(self.segments).reshape(1, self.segments, 1, self.segments, 1), persistent=False)

    def _clips(self, x: torch.Tensor) -> torch.Tensor:
        """(N, C, T, V, M) -> (N·S·M, C, t, V): segments, then persons, folded into the batch."""
        n, c, _, v, m = x.shape
        x = x.reshape(n, c, self.segments, self.clip, v, m).permute(0, 2, 5, 1, 3, 4)
        return x.reshape(n * self.segments * m, c, self.clip, v)

    def _max_over_persons(self, features: torch.Tensor) -> torch.Tensor:
        return features.reshape(-1, self.persons, features.shape[-1]).max(dim=1).values

    def forward(self, x: torch.Tensor) -> dict[str, torch.Tensor]:
        n, c, t, v, m = x.shape
        if (c, t, v, m) != (self.channels, self.window, self.joints, self.persons):
            raise ValueError(f"SAN expects (N, {self.channels}, {self.window}, {self.joints}, {self.persons}), got {tuple(x.shape)}")
        position, velocity = self._clips(x), self._clips(motion(x))
        aux = {}
        if self.variant == "v1":
            # All persons' joints side by side, position and motion stacked on channels (early fusion).
            fused = torch.cat([position, velocity], dim=1)
            b = fused.shape[0] // m
            fused = fused.reshape(b, m, 2 * c, self.clip, v).permute(0, 2, 3, 1, 4).reshape(b, 2 * c, self.clip, m * v)
            features, attention = self.san(self.encoder(fused))
        elif self.variant == "v2":
            encoded = torch.cat([self.position_encoder(position), self.motion_encoder(velocity)], dim=-1)
            features, attention = self.san(encoded)
            features, attention = self._max_over_persons(features), per_sample(attention, self.persons)
        else:
            position_features, position_attention = self.position_san(self.position_encoder(position))
            motion_features, motion_attention = self.motion_san(self.motion_encoder(velocity))
            position_features = self._max_over_persons(position_features)
            motion_features = self._max_over_persons(motion_features)
            features = torch.cat([position_features, motion_features], dim=-1)
            attention = (per_sample(position_attention, self.persons) + per_sample(motion_attention, self.persons)) / 2
            if self.training:
                aux = {"position": self.position_head(position_features), "motion": self.motion_head(motion_features)}
        logits = self.head(features)
        # TS-SAN average consensus over the clips of each window.
        logits = logits.reshape(n, self.segments, -1).mean(dim=1)
        attention = attention.reshape(n, self.segments, self.clip, 1, self.clip) * self.segment_diagonal
        temporal_attention = attention.reshape(n, t, t)
        outputs = {"temporal_attention": temporal_attention, "frame_importance": importance(temporal_attention)}
        if aux:
            outputs["aux_logits"] = {k: a.reshape(n, self.segments, -1).mean(dim=1) for k, a in aux.items()}
        outputs["logits"] = logits
        return outputs


def build(cfg: dict) -> SAN:
    return SAN(cfg)
