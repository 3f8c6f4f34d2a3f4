"""ST-TR (Plizzari et al.): spatial (SSA) and temporal (TSA) self-attention in place of ST-GCN's graph conv / TCN.

Variants: "s-tr" (SSA + TCN), "t-tr" (GCN + TSA), "1s" (TSA(SSA(x))), each after a GCN+TCN stem of the first
`attention_from - 1` layers; and "2s", the two-stream model: S-TR and T-TR trained on the same input, fused by
summing their softmax scores. The 2s model's "logits" are log of the mean of both streams' probabilities
(= log of the summed probabilities − log 2), so softmax/argmax of them give the fused prediction. In training mode
it also returns "stream_logits", and training.train then minimises the sum of the two streams' own cross-entropies,
not the fused output's: the streams share no parameter, so each gets exactly the gradient of its own loss, i.e. they
are trained separately as in the paper (same batches). training.ensemble fuses separately trained checkpoints.
"""
from __future__ import annotations

import torch
from torch import nn

from training.models.backbone import SkeletonNet, graph_tensor, stgcn_block
from training.models.config import resolve
from training.models.layers import Block, JointMapping, SelfAttentionUnit, SpatialUnit, TemporalConv, residual

VARIANTS = ("s-tr", "t-tr", "1s", "2s")


def attention_unit(cfg: dict, axis: str, in_channels: int, out_channels: int, stride: int = 1) -> SelfAttentionUnit:
    return SelfAttentionUnit(axis, in_channels, out_channels, cfg["joints"], cfg["heads"], cfg["dk_ratio"],
                             cfg["dv_ratio"], cfg.get("drop_attention", 0.0), stride)


def sttr_block(cfg: dict, index: int, in_channels: int, out_channels: int, stride: int) -> Block:
    if index + 1 < cfg["attention_from"]:
        return stgcn_block(cfg, index, in_channels, out_channels, stride)
    variant = cfg["variant"]
    if variant in ("s-tr", "1s"):
        spatial = attention_unit(cfg, "joints", in_channels, out_channels)
    else:
        graph = JointMapping(in_channels, out_channels, "importance", graph_tensor(cfg))
        spatial = SpatialUnit(graph, out_channels)
    if variant in ("t-tr", "1s"):
        temporal = attention_unit(cfg, "frames", out_channels, out_channels, stride)
    else:
        temporal = TemporalConv(out_channels, cfg.get("temporal_kernel", 9), stride, cfg.get("dropout", 0.0))
    return Block(spatial, temporal, residual(in_channels, out_channels, stride, enabled=index > 0))


class TwoStream(nn.Module):
    """2s-ST-TR: S-TR and T-TR streams on the same input; softmax scores summed."""

    def __init__(self, cfg: dict):
        super().__init__()
        self.spatial_stream = SkeletonNet({**cfg, "variant": "s-tr"}, _factory({**cfg, "variant": "s-tr"}))
        self.temporal_stream = SkeletonNet({**cfg, "variant": "t-tr"}, _factory({**cfg, "variant": "t-tr"}))
        self.cfg = self.spatial_stream.cfg
        self.temporal_attention_length = self.temporal_stream.temporal_attention_length

    def forward(self, x: torch.Tensor) -> dict:
        s, t = self.spatial_stream(x), self.temporal_stream(x)
        probabilities = (torch.softmax(s["logits"], dim=1) + torch.softmax(t["logits"], dim=1)) * 0.5
        fused = {"logits": torch.log(probabilities.clamp_min(1e-12))}
        fused.update({k: v for k, v in s.items() if k != "logits"})
        fused.update({k: v for k, v in t.items() if k != "logits"})
        if self.training:  # training.train trains each stream on its own loss, as the paper trains them separately
            fused["stream_logits"] = {"spatial_stream": s["logits"], "temporal_stream": t["logits"]}
        return fused


def _factory(cfg: dict):
    cfg = resolve(cfg)
    return lambda i, c_in, c_out, stride: sttr_block(cfg, i, c_in, c_out, stride)


def build(cfg: dict) -> nn.Module:
    if cfg["variant"] not in VARIANTS:
        raise ValueError(f"unknown st-tr variant {cfg['variant']!r}; known: {VARIANTS}")
    for key in ("heads", "dk_ratio", "dv_ratio", "attention_from"):
        if key not in cfg:
            raise ValueError(f"st-tr config {cfg.get('name', '?')!r} lacks {key!r}")
    if cfg["variant"] == "2s":
        return TwoStream(cfg)
    return SkeletonNet(cfg, _factory(cfg))
