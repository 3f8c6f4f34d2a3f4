"""ST-BLN and the spatial-attention variants of Heidari & Iosifidis ("On the spatial attention in
spatio-temporal graph convolutional networks", DIGEST §3).

Variants (config "variant"):
- "bilinear":  H = ReLU(Σ_p U_p H W_p) with free learnable U_p (no adjacency). With `collapse_layer` = λ
  (1-based), layer λ maps the V joints to a single node (U_p ∈ R^{1×V}) and the layers after it are plain
  linear maps + TCN (no joint axis left, no spatial residual), the paper's efficiency variant.
- "additive":  ST-GCN with Â_p + M_p (M_p learnable, init 0; 2s-AGCN style).
- "symmetric": ST-GCN with Â_p + L_p L_pᵀ.
Every layer: spatial mapping → BN → (+ Residual/V) → ReLU → TCN → BN → (+ Residual/T) → ReLU (Fig. 2).

"joint_importance" (N, V):
- when the last layer still has all V joints: class activation mapping weighted by the predicted
  probabilities, Σ_k p_k Σ_c w_kc f_c(t, v), ReLU, mean over frames and persons, normalised to sum 1;
- with a joint collapse: the collapse layer's learned pooling weights Σ_p |U_p[0, v]| normalised — a property of
  the trained model, the same for every input.
"""
from __future__ import annotations

import torch
from torch import nn

from training.models.backbone import SkeletonNet, stgcn_block
from training.models.layers import Block, JointMapping, Residual, SpatialUnit, TemporalConv, residual

VARIANTS = ("bilinear", "additive", "symmetric")
RESIDUALS = ("as-printed", "reference-code")
# Keeps the CAM normalisation finite when every class activation is ≤ 0; the result then tends to uniform.
CAM_EPSILON = 1e-6


def joints_per_layer(cfg: dict) -> list[int]:
    """Joint count at the output of each layer: V before the collapse layer, 1 from it on."""
    collapse = cfg.get("collapse_layer")
    layers = len(cfg["widths"])
    if collapse is not None and not 1 <= collapse <= layers:
        raise ValueError(f"collapse_layer must be between 1 and {layers}, got {collapse}")
    return [1 if collapse is not None and i + 1 >= collapse else cfg["joints"] for i in range(layers)]


def bilinear_block(cfg: dict, index: int, in_channels: int, out_channels: int, stride: int) -> Block:
    joints = [cfg["joints"]] + joints_per_layer(cfg)
    in_joints, out_joints = joints[index], joints[index + 1]
    kernel = cfg.get("temporal_kernel", 9)
    # "as-printed": residual convs only where the shape changes (Fig. 2's text); "reference-code": the authors' code
    # (OpenDR stbln.py), a 1×1 conv + BN on every Residual/V and a K_t×1 conv + BN on every Residual/T.
    code = cfg.get("residuals", "as-printed") == "reference-code"
    if in_joints == 1:  # nothing left to mix across joints: U is a scalar absorbed into W, no residual (Fig. 3)
        spatial = SpatialUnit(nn.Conv2d(in_channels, out_channels, 1), out_channels)
    else:
        mapping = JointMapping(in_channels, out_channels, "bilinear", partitions=cfg.get("num_mappings", 3),
                               in_joints=in_joints, out_joints=out_joints)
        skip = Residual(in_channels, out_channels, 1, in_joints, out_joints, always=code)
        spatial = SpatialUnit(mapping, out_channels, skip)
    temporal = TemporalConv(out_channels, kernel, stride, cfg.get("dropout", 0.0), cfg.get("causal", False))
    skip = residual(in_channels, out_channels, stride, in_joints, out_joints, enabled=index > 0,
                    kernel=kernel if code else 1, always=code)
    return Block(spatial, temporal, skip)


class STBLN(SkeletonNet):
    def __init__(self, cfg: dict):
        if cfg["variant"] == "bilinear":
            factory = lambda i, c_in, c_out, stride: bilinear_block(self.cfg, i, c_in, c_out, stride)
        else:
            factory = lambda i, c_in, c_out, stride: stgcn_block(self.cfg, i, c_in, c_out, stride,
                                                                 mapping=cfg["variant"], spatial_skip=True)
        super().__init__(cfg, factory)  # the factories run inside, after self.cfg is resolved
        collapse = self.cfg.get("collapse_layer") if self.cfg["variant"] == "bilinear" else None
        self.collapse_index = None if collapse is None else collapse - 1
        # For the manifest: this model's joint_importance is not an attention column mean.
        self.output_descriptions = {"joint_importance": (
            "class activation map of the last layer weighted by the predicted probabilities, mean over frames and "
            "persons; sums to 1" if collapse is None else
            "learned pooling weights of the joint-collapse layer (the same for every input); sums to 1")}
        # The manifest marks such outputs "inputDependent": false, so a display can say they are fixed.
        self.constant_outputs = {"joint_importance"} if collapse is not None else set()

    def static_joint_importance(self) -> torch.Tensor:
        """(V,) pooling weights of the collapse layer's U_p, normalised."""
        pooling = self.blocks[self.collapse_index].spatial.mapping.graphs().abs().sum(dim=(0, 1))
        return pooling / pooling.sum()

    def forward(self, x: torch.Tensor) -> dict:
        h, _, _ = self.features(x)
        logits = self.head(h)
        n = logits.shape[0]
        if self.collapse_index is not None:
            return {"logits": logits, "joint_importance": self.static_joint_importance().expand(n, -1)}
        b, c, t, v = h.shape
        class_weights = torch.matmul(torch.softmax(logits, dim=1), self.head.fc.weight)  # (N, C)
        maps = torch.matmul(class_weights.reshape(n, 1, 1, c), h.reshape(n, self.persons, c, t * v))
        activation = torch.relu(maps).reshape(n, self.persons * t, v).mean(dim=1) + CAM_EPSILON
        return {"logits": logits, "joint_importance": activation / activation.sum(dim=1, keepdim=True)}


def build(cfg: dict) -> STBLN:
    if cfg["variant"] not in VARIANTS:
        raise ValueError(f"unknown st-bln variant {cfg['variant']!r}; known: {VARIANTS}")
    if cfg.get("residuals", "as-printed") not in RESIDUALS:
        raise ValueError(f"st-bln residuals must be one of {RESIDUALS}, got {cfg['residuals']!r}")
    if cfg["variant"] != "bilinear" and cfg.get("collapse_layer") is not None:
        raise ValueError("collapse_layer applies to the bilinear variant only")
    return STBLN(cfg)
