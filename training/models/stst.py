"""STST: Spatial-Temporal Specialized Transformer (Zhang et al., ACM MM 2021).

Tokens: an MLP lifts each joint's coordinates; a learnable semantic token per joint type and a sinusoidal
temporal encoding per frame are added. Each block is a Spatial Transformer Block (per-frame V×V attention)
followed by a Directional Temporal Transformer Block: one T×T attention computed from the joint-averaged
frame features and shared by all joints, once with a forward (causal) mask and once with its transpose,
the two results summed. cfg["causal"] keeps only the forward branch, so no output frame depends on later
frames — the streaming variant.

Transformer block (paper Eq. 6–8, no separate value projection):
    A = softmax(φ(X) ϕ(X)ᵀ / √d)      H = LayerNorm(ψ(A X) + X)      out = LayerNorm(H + FF(H))

The three self-supervised tasks (semantic-token prediction, masked-coordinate reconstruction, temporal
permutation) are training-only: their heads live in `self.ssl` and only `ssl_losses` touches them, so
`forward` — the graph that is exported — never contains them.
"""
from __future__ import annotations

import itertools
import math

import torch
from torch import nn
from torch.nn import functional as F

from training.models.config import resolve
from training.models.layers import importance, per_sample, upsample_matrix

# Additive mask value for "may not attend": exp(-1e4) is exactly 0 in fp32 and the sum with any logit
# stays far inside fp16's ±65504, so no -inf/NaN reaches a GPU shader.
MASK_VALUE = -1e4


def forward_mask(frames: int) -> torch.Tensor:
    """(T, T) additive mask: query frame i may attend to frames j <= i (diagonal kept, so no row is empty)."""
    return torch.triu(torch.full((frames, frames), MASK_VALUE), diagonal=1)


def sinusoidal_encoding(frames: int, dim: int) -> torch.Tensor:
    """P(p, 2i) = sin(p / 10000^(2i/dim)), P(p, 2i+1) = cos(p / 10000^(2i/dim)) (paper Eq. 4–5), (T, dim)."""
    position = torch.arange(frames, dtype=torch.float32)[:, None]
    rate = torch.exp(-math.log(10000.0) * torch.arange(0, dim, 2, dtype=torch.float32) / dim)
    encoding = torch.zeros(frames, dim)
    encoding[:, 0::2] = torch.sin(position * rate)
    encoding[:, 1::2] = torch.cos(position * rate[: dim // 2])
    return encoding


class Attention(nn.Module):
    """Multi-head softmax(φ(X)ϕ(X)ᵀ/√d (+ mask)) over the second-to-last axis; returns (..., H, L, L)."""

    def __init__(self, dim: int, heads: int, hidden: int):
        super().__init__()
        self.heads, self.hidden = heads, hidden
        self.query = nn.Linear(dim, heads * hidden)
        self.key = nn.Linear(dim, heads * hidden)

    def forward(self, x: torch.Tensor, mask: torch.Tensor | None = None) -> torch.Tensor:
        *batch, length, _ = x.shape
        q = self.query(x).reshape(*batch, length, self.heads, self.hidden).transpose(-2, -3)
        k = self.key(x).reshape(*batch, length, self.heads, self.hidden).transpose(-2, -3)
        logits = q @ k.transpose(-1, -2) / math.sqrt(self.hidden)
        if mask is not None:
            logits = logits + mask
        return torch.softmax(logits, dim=-1)


class Update(nn.Module):
    """F(X, A) of paper Eq. 9 given the per-head products A_h X: H = LN(ψ(concat_h A_h X) + X),
    out = LN(H + FF(H)); X may change width."""

    def __init__(self, dim_in: int, dim_out: int, heads: int, ffn_mult: int, dropout: float):
        super().__init__()
        self.mix = nn.Linear(heads * dim_in, dim_out)
        self.shortcut = nn.Identity() if dim_in == dim_out else nn.Linear(dim_in, dim_out)
        self.norm1, self.norm2 = nn.LayerNorm(dim_out), nn.LayerNorm(dim_out)
        self.ffn = nn.Sequential(nn.Linear(dim_out, ffn_mult * dim_out), nn.ReLU(), nn.Dropout(dropout), nn.Linear(ffn_mult * dim_out, dim_out))
        self.drop = nn.Dropout(dropout)

    def forward(self, x: torch.Tensor, mixed: torch.Tensor) -> torch.Tensor:
        """x (..., C) tokens, mixed (..., H·C) their attention-weighted sums per head -> (..., C_out)."""
        hidden = self.norm1(self.drop(self.mix(mixed)) + self.shortcut(x))
        return self.norm2(hidden + self.drop(self.ffn(hidden)))


class SpatialBlock(nn.Module):
    """STB: a transformer block applied to every frame's V joints, parameters shared over frames."""

    def __init__(self, dim_in: int, dim_out: int, hidden: int, cfg: dict):
        super().__init__()
        self.attention = Attention(dim_in, cfg["heads"], hidden)
        self.update = Update(dim_in, dim_out, cfg["heads"], cfg["ffn_mult"], cfg["dropout"])

    def forward(self, x: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:  # (B, T, V, C)
        b, t, v, c = x.shape
        frames = x.reshape(b * t, v, c)
        attention = self.attention(frames)  # (B·T, H, V, V)
        mixed = (attention @ frames.unsqueeze(1)).transpose(1, 2).reshape(b * t, v, -1)
        out = self.update(frames, mixed)
        return out.reshape(b, t, v, -1), attention.reshape(b, t, -1, v, v)


class DirectionalTemporalBlock(nn.Module):
    """DTTB: T×T attention from the joint-mean frame features, shared by all joints; forward-masked and
    backward-masked (transpose) results are summed. `causal` keeps only the forward branch."""

    def __init__(self, dim: int, frames: int, stride: int, causal: bool, hidden: int, cfg: dict):
        super().__init__()
        self.attention = Attention(dim, cfg["heads"], hidden)
        self.update = Update(dim, dim, cfg["heads"], cfg["ffn_mult"], cfg["dropout"])
        self.causal, self.stride = causal, stride
        mask = forward_mask(frames)
        self.register_buffer("forward_mask", mask, persistent=False)
        self.register_buffer("backward_mask", mask.t().contiguous(), persistent=False)

    def forward(self, x: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:  # (B, T, V, C)
        b, t, v, c = x.shape
        posture = x.mean(dim=2)  # (B, T, C): the frame's merged joint features
        # One (T, T) × (T, V·C) product per head applies the shared map to all joints at once.
        all_joints = x.reshape(b, 1, t, v * c)

        def mix(attention: torch.Tensor) -> torch.Tensor:  # (B, H, T, T) -> (B, T, V, H·C)
            return (attention @ all_joints).reshape(b, -1, t, v, c).permute(0, 2, 3, 1, 4).reshape(b, t, v, -1)

        forward_attention = self.attention(posture, self.forward_mask)  # (B, H, T, T)
        out = self.update(x, mix(forward_attention))
        attention = forward_attention
        if not self.causal:
            backward_attention = self.attention(posture, self.backward_mask)
            out = out + self.update(x, mix(backward_attention))
            attention = (forward_attention + backward_attention) / 2
        if self.stride > 1:
            # Average of each group of `stride` consecutive frames: only past frames mix, so it stays causal.
            out = out.reshape(b, t // self.stride, self.stride, v, c).mean(dim=2)
        return out, attention


class STST(nn.Module):
    def __init__(self, cfg: dict):
        super().__init__()
        cfg = resolve(cfg)
        self.window, self.persons = cfg["window"], cfg["persons"]
        self.channels, self.joints = cfg["in_channels"], cfg["joints"]
        self.causal = bool(cfg.get("causal", False))
        widths, strides, hidden = cfg["widths"], cfg["strides"], cfg["attention_hidden"]
        if len(hidden) != len(widths):
            raise ValueError(f"STST: attention_hidden needs one entry per block ({len(widths)}), got {len(hidden)}")
        self.total_stride = math.prod(strides)
        embed = cfg["embed_dim"]
        self.coordinates = nn.Sequential(nn.Linear(self.channels, embed), nn.ReLU(), nn.Linear(embed, embed))
        self.semantic = nn.Parameter(torch.zeros(self.joints, embed))
        nn.init.normal_(self.semantic, std=0.02)
        self.register_buffer("temporal_encoding", sinusoidal_encoding(self.window, embed)[:, None, :], persistent=False)
        blocks, frames, dim = [], self.window, embed
        for width, stride, block_hidden in zip(widths, strides, hidden):
            blocks.append(nn.ModuleList([SpatialBlock(dim, width, block_hidden, cfg),
                                         DirectionalTemporalBlock(width, frames, stride, self.causal, block_hidden, cfg)]))
            # The exported temporal attention is the last block's, taken before that block's own stride.
            self.attention_frames = frames
            frames, dim = frames // stride, width
        self.blocks = nn.ModuleList(blocks)
        self.drop = nn.Dropout(cfg["dropout_head"])
        self.head = nn.Linear(dim, cfg["num_classes"])
        # U (T', T) spreads each attention frame over its s input frames (entries 1/s): s·UᵀAU is the
        # (T, T) map on input frames, rows still summing to 1.
        self.attention_stride = self.window // self.attention_frames
        self.register_buffer("frame_spread", upsample_matrix(self.attention_frames, self.window), persistent=False)
        self.ssl = SelfSupervision(cfg, dim, self.joints, self.channels, self.total_stride) if cfg.get("ssl") else None

    def _check(self, x: torch.Tensor) -> None:
        if x.dim() != 5 or tuple(x.shape[1:]) != (self.channels, self.window, self.joints, self.persons):
            raise ValueError(f"STST expects (N, {self.channels}, {self.window}, {self.joints}, {self.persons}), got {tuple(x.shape)}")

    def encode(self, x: torch.Tensor, semantic: torch.Tensor | None = None):
        """x (N, C, T, V, M) -> per-token features (N·M, T', V, C'), last spatial (N·M, T', H, V, V) and
        temporal (N·M, H, T', T') attention. `semantic` (N·M, V, E) replaces the shared semantic tokens."""
        n, c, t, v, m = x.shape
        tokens = self.coordinates(x.permute(0, 4, 2, 3, 1).reshape(n * m, t, v, c))
        tokens = tokens + (self.semantic if semantic is None else semantic[:, None]) + self.temporal_encoding
        for spatial, temporal in self.blocks:
            tokens, spatial_attention = spatial(tokens)
            tokens, temporal_attention = temporal(tokens)
        return tokens, spatial_attention, temporal_attention

    def forward(self, x: torch.Tensor) -> dict[str, torch.Tensor]:
        self._check(x)
        n, m = x.shape[0], self.persons
        tokens, spatial_attention, temporal_attention = self.encode(x)
        pooled = tokens.mean(dim=(1, 2)).reshape(n, m, -1).mean(dim=1)
        spatial = per_sample(spatial_attention.mean(dim=(1, 2)), m)
        temporal = per_sample(temporal_attention.mean(dim=1), m)
        temporal = self.frame_spread.t() @ temporal @ self.frame_spread * self.attention_stride
        return {
            "logits": self.head(self.drop(pooled)),
            "spatial_attention": spatial,
            "joint_importance": importance(spatial),
            "temporal_attention": temporal,
            "frame_importance": importance(temporal),
        }

    def ssl_losses(self, batch) -> dict[str, torch.Tensor]:
        """Self-supervised losses on one corrupted copy of the batch (x, or a tuple/list whose first item is
        x): {"semantic", "coordinates", "permutation", "total"}; "total" carries the loss weights and is
        what the trainer adds to the classification loss."""
        if self.ssl is None:
            raise RuntimeError("this STST config has no self-supervised heads (set \"ssl\" in the config)")
        x = batch[0] if isinstance(batch, (tuple, list)) else batch
        self._check(x)
        return self.ssl(self, x)


class SelfSupervision(nn.Module):
    """Training-only heads and corruptions of STST's three self-supervised tasks (paper §3.5).

    All three corruptions are applied to one copy of the batch, so the tasks cost one extra forward pass.
    Targets refer to the permuted sequence, which is what the encoder sees.
    """

    def __init__(self, cfg: dict, dim: int, joints: int, channels: int, stride: int):
        super().__init__()
        ssl = cfg["ssl"]
        self.semantic_ratio, self.coordinate_ratio = ssl["semantic_ratio"], ssl["coordinate_ratio"]
        self.permute_probability, self.weight = ssl["permute_probability"], ssl["weight"]
        segments = ssl["permutation_segments"]
        if cfg["window"] % segments:
            raise ValueError(f"STST: window {cfg['window']} is not divisible into {segments} permutation segments")
        self.segments, self.stride, self.channels = segments, stride, channels
        # Index 0 is the identity order, so an unpermuted sample has class 0.
        self.register_buffer("permutations", torch.tensor(list(itertools.permutations(range(segments)))), persistent=False)
        self.mask_token = nn.Parameter(torch.zeros(cfg["embed_dim"]))
        self.semantic_head = nn.Linear(dim, joints)
        self.coordinate_head = nn.Linear(dim, stride * channels)
        self.permutation_head = nn.Linear(dim, len(self.permutations))

    @staticmethod
    def _replace_80_10_10(selected: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        """BERT's split of the selected items: 80 % replaced, 10 % randomised, 10 % unchanged."""
        draw = torch.rand(selected.shape, device=selected.device)
        return selected & (draw < 0.8), selected & (draw >= 0.8) & (draw < 0.9)

    def forward(self, model: STST, x: torch.Tensor) -> dict[str, torch.Tensor]:
        n, c, t, v, m = x.shape
        device = x.device
        # PT: permute the K_T equal segments of some samples.
        order = torch.where(torch.rand(n, device=device) < self.permute_probability,
                            torch.randint(1, len(self.permutations), (n,), device=device), torch.zeros(n, dtype=torch.long, device=device))
        segment = t // self.segments
        frame_index = (self.permutations[order][:, :, None] * segment + torch.arange(segment, device=device)).reshape(n, t)
        x = torch.gather(x, 2, frame_index[:, None, :, None, None].expand(n, c, t, v, m))
        target_coordinates = x
        # PC: corrupt the coordinates of some (frame, joint) tokens.
        selected = torch.rand(n, 1, t, v, m, device=device) < self.coordinate_ratio
        zeroed, noised = self._replace_80_10_10(selected)
        x = torch.where(zeroed, torch.zeros_like(x), torch.where(noised, x + torch.randn_like(x), x))
        # PS: replace the semantic token of some joints (in all frames) of each person.
        chosen = torch.rand(n * m, v, device=device) < self.semantic_ratio
        masked, randomised = self._replace_80_10_10(chosen)
        semantic = model.semantic.expand(n * m, v, -1)
        random_tokens = model.semantic[torch.randint(0, v, (n * m, v), device=device)]
        semantic = torch.where(masked[..., None], self.mask_token.expand_as(semantic),
                               torch.where(randomised[..., None], random_tokens, semantic))

        tokens, _, _ = model.encode(x, semantic)  # (N·M, T', V, C')
        losses = {}
        joint_logits = self.semantic_head(tokens.mean(dim=1))  # (N·M, V, V)
        joint_types = torch.arange(v, device=device).expand(n * m, v)
        losses["semantic"] = F.cross_entropy(joint_logits[chosen], joint_types[chosen]) if chosen.any() else tokens.sum() * 0
        # Each output token reconstructs its `stride` input frames.
        reconstructed = self.coordinate_head(tokens).reshape(n, m, t // self.stride, v, self.stride, c)
        reconstructed = reconstructed.permute(0, 5, 2, 4, 3, 1).reshape(n, c, t, v, m)
        token_selected = selected.expand(n, c, t, v, m)
        losses["coordinates"] = F.mse_loss(reconstructed[token_selected], target_coordinates[token_selected]) if selected.any() else tokens.sum() * 0
        pooled = tokens.mean(dim=(1, 2)).reshape(n, m, -1).mean(dim=1)
        losses["permutation"] = F.cross_entropy(self.permutation_head(pooled), order)
        losses["total"] = self.weight * (losses["semantic"] + losses["coordinates"] + losses["permutation"])
        return losses


def build(cfg: dict) -> STST:
    return STST(cfg)
