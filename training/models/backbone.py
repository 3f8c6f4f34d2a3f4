"""The network skeleton shared by ST-GCN, ST-TR and ST-BLN: data BN → stack of blocks → pooled classifier,
plus the attention / importance outputs of docs/model-manifest.md."""
from __future__ import annotations

from typing import Callable

import torch
from torch import nn

from training.graph import partitions
from training.models.config import resolve, temporal_lengths
from training.models.layers import (
    Block,
    ClassifierHead,
    DataNorm,
    JointMapping,
    SpatialUnit,
    TemporalConv,
    importance,
    per_sample,
    residual,
    upsample_matrix,
)

# make_block(index, in_channels, out_channels, stride) -> Block
BlockFactory = Callable[[int, int, int, int], Block]


def graph_tensor(cfg: dict) -> torch.Tensor:
    return torch.from_numpy(partitions(cfg["layout"], cfg.get("graph", "spatial"), cfg.get("graph_normalisation", "symmetric")))


def stgcn_block(cfg: dict, index: int, in_channels: int, out_channels: int, stride: int,
                mapping: str = "importance", spatial_skip: bool = False) -> Block:
    """ST-GCN layer: graph conv (K partitions) → BN → ReLU → K_t×1 TCN → BN, residual, ReLU.
    The first layer has no residual (ST-GCN)."""
    graph = JointMapping(in_channels, out_channels, mapping, graph_tensor(cfg))
    skip = residual(in_channels, out_channels) if spatial_skip else None
    return Block(
        SpatialUnit(graph, out_channels, skip),
        TemporalConv(out_channels, cfg.get("temporal_kernel", 9), stride, cfg.get("dropout", 0.0), cfg.get("causal", False)),
        residual(in_channels, out_channels, stride, enabled=index > 0),
    )


class SkeletonNet(nn.Module):
    """Forward x (N, C, T, V, M) → {"logits": (N, K), and when some block attends: "spatial_attention" (N,V,V),
    "joint_importance" (N,V) from the last spatial-attention block, "temporal_attention" (N,T',T') and
    "frame_importance" (N,T) from the last temporal-attention block}.

    `temporal_attention_length` is T' (frames at the last temporal-attention layer, after strides), None when
    the model has no temporal attention; frame_importance is spread back onto the T input frames.
    """

    def __init__(self, cfg: dict, make_block: BlockFactory):
        super().__init__()
        self.cfg = cfg = resolve(cfg)
        self.persons = cfg["persons"]
        self.data_norm = DataNorm(cfg["in_channels"], cfg["joints"], cfg["persons"])
        widths = [cfg["in_channels"]] + list(cfg["widths"])
        self.blocks = nn.ModuleList(
            make_block(i, widths[i], widths[i + 1], cfg["strides"][i]) for i in range(len(cfg["widths"]))
        )
        self.head = ClassifierHead(widths[-1], cfg["num_classes"], cfg["persons"], cfg.get("dropout", 0.0))
        self.temporal_attention_length = None
        for block, length in zip(self.blocks, temporal_lengths(cfg)):
            if getattr(block.temporal, "axis", None) == "frames":
                self.temporal_attention_length = length
        if self.temporal_attention_length is not None:
            self.register_buffer("frame_spread", upsample_matrix(self.temporal_attention_length, cfg["window"]))

    def features(self, x: torch.Tensor):
        """(N,C,T,V,M) → last block's output (N·M, C', T', V') and the last spatial / temporal attention maps."""
        expected = (self.cfg["in_channels"], self.cfg["window"], self.cfg["joints"], self.persons)
        if not torch.jit.is_tracing() and tuple(x.shape[1:]) != expected:  # export fixes the shape anyway
            raise ValueError(f"{self.cfg['name']}: expected input (N, {', '.join(map(str, expected))}), got {tuple(x.shape)}")
        h = self.data_norm(x)
        spatial = temporal = None
        for block in self.blocks:
            h, s, t = block(h)
            spatial = s if s is not None else spatial
            temporal = t if t is not None else temporal
        return h, spatial, temporal

    def attention_outputs(self, spatial, temporal) -> dict:
        out = {}
        if spatial is not None:
            out["spatial_attention"] = per_sample(spatial, self.persons)
            out["joint_importance"] = importance(out["spatial_attention"])
        if temporal is not None:
            out["temporal_attention"] = per_sample(temporal, self.persons)
            out["frame_importance"] = torch.matmul(importance(out["temporal_attention"]), self.frame_spread)
        return out

    def forward(self, x: torch.Tensor) -> dict:
        h, spatial, temporal = self.features(x)
        return {"logits": self.head(h), **self.attention_outputs(spatial, temporal)}
