"""ST-GCN baseline (Yan et al. 2018, as re-trained in ST-TR): graph conv with learnable edge importance + TCN."""
from __future__ import annotations

from training.models.backbone import SkeletonNet, stgcn_block

VARIANTS = ("baseline",)


def build(cfg: dict) -> SkeletonNet:
    if cfg["variant"] not in VARIANTS:
        raise ValueError(f"unknown st-gcn variant {cfg['variant']!r}; known: {VARIANTS}")
    return SkeletonNet(cfg, lambda i, c_in, c_out, stride: stgcn_block(cfg, i, c_in, c_out, stride))
