"""Batch-norm folding for export: a BatchNorm that only ever receives the output of one conv (or linear) layer
is merged into that layer's weights and bias and replaced by Identity.

Which BN follows which layer is found by running the model once with forward hooks (the data flow, not the
module tree, decides: ST-TR's units hold conv and BN side by side with other ops between them). A fold is kept
only if the folded model reproduces the original on an input with randomised BN statistics, so a pair whose
layer output is also used elsewhere (a skip path, say) is left alone rather than silently changing the model.
"""
from __future__ import annotations

import copy

import torch
from torch import nn

FOLDABLE_LAYERS = (nn.Conv1d, nn.Conv2d, nn.Conv3d, nn.Linear)
BATCH_NORMS = (nn.BatchNorm1d, nn.BatchNorm2d, nn.BatchNorm3d)


def find_pairs(model: nn.Module, example: torch.Tensor) -> list[tuple[str, str]]:
    """(layer name, BN name) pairs where every call of the BN takes the output of that layer, and every call of
    the layer feeds that BN."""
    names = {module: name for name, module in model.named_modules()}
    produced: dict[int, nn.Module] = {}
    keep_alive = []  # holding the outputs keeps their ids from being reused during the pass
    layer_calls: dict[nn.Module, int] = {}
    bn_sources: dict[nn.Module, list] = {}

    def after_layer(module, _inputs, output):
        produced[id(output)] = module
        keep_alive.append(output)
        layer_calls[module] = layer_calls.get(module, 0) + 1

    def after_bn(module, inputs, _output):
        bn_sources.setdefault(module, []).append(produced.get(id(inputs[0])))

    handles = [m.register_forward_hook(after_layer) for m in model.modules() if isinstance(m, FOLDABLE_LAYERS)]
    handles += [m.register_forward_hook(after_bn) for m in model.modules() if isinstance(m, BATCH_NORMS)]
    try:
        with torch.no_grad():
            model(example)
    finally:
        for handle in handles:
            handle.remove()
    pairs = []
    for bn, sources in bn_sources.items():
        layer = sources[0]
        if layer is None or any(source is not layer for source in sources) or layer_calls[layer] != len(sources):
            continue
        if bn.running_mean is None or layer.weight.shape[0] != bn.num_features:
            continue
        pairs.append((names[layer], names[bn]))
    return pairs


def _set_submodule(model: nn.Module, name: str, module: nn.Module) -> None:
    parent_name, _, attribute = name.rpartition(".")
    setattr(model.get_submodule(parent_name) if parent_name else model, attribute, module)


@torch.no_grad()
def fold_pair(layer: nn.Module, bn: nn.Module) -> None:
    """layer ← BN(layer(·)) in eval mode: W' = W·s, b' = (b − μ)·s + β with s = γ/√(σ² + ε)."""
    scale = bn.running_var.add(bn.eps).rsqrt()
    if bn.affine:
        scale = scale * bn.weight
    shift = bn.bias if bn.affine else torch.zeros_like(scale)
    bias = layer.bias if layer.bias is not None else torch.zeros_like(scale)
    layer.weight.mul_(scale.reshape((-1,) + (1,) * (layer.weight.dim() - 1)))
    new_bias = (bias - bn.running_mean) * scale + shift
    if layer.bias is None:
        layer.bias = nn.Parameter(new_bias)
    else:
        layer.bias.copy_(new_bias)


def randomise_statistics(model: nn.Module, seed: int) -> None:
    generator = torch.Generator().manual_seed(seed)
    with torch.no_grad():
        for module in model.modules():
            if isinstance(module, BATCH_NORMS) and module.running_mean is not None:
                shape = module.running_mean.shape
                module.running_mean.copy_(torch.randn(shape, generator=generator) * 0.5)
                module.running_var.copy_(torch.rand(shape, generator=generator) * 1.5 + 0.25)
                if module.affine:
                    module.weight.copy_(torch.randn(shape, generator=generator) * 0.5 + 1)
                    module.bias.copy_(torch.randn(shape, generator=generator) * 0.5)


def _outputs(model: nn.Module, example: torch.Tensor) -> list[torch.Tensor]:
    with torch.no_grad():
        out = model(example)
    return list(out.values()) if isinstance(out, dict) else list(out) if isinstance(out, (tuple, list)) else [out]


def _fold(model: nn.Module, pairs: list[tuple[str, str]]) -> None:
    for layer_name, bn_name in pairs:
        fold_pair(model.get_submodule(layer_name), model.get_submodule(bn_name))
        _set_submodule(model, bn_name, nn.Identity())


def _fold_preserves_outputs(model: nn.Module, pairs: list[tuple[str, str]], example: torch.Tensor,
                            tolerance: float) -> bool:
    probe = copy.deepcopy(model)
    randomise_statistics(probe, seed=1)
    expected = _outputs(probe, example)
    _fold(probe, pairs)
    for want, got in zip(expected, _outputs(probe, example)):
        if float((want - got).abs().max()) > tolerance * max(1.0, float(want.abs().max())):
            return False
    return True


def fold_batchnorm(model: nn.Module, example: torch.Tensor, tolerance: float = 1e-4) -> tuple[nn.Module, int]:
    """Eval-mode copy of model with every foldable BN folded; returns (model, number of BNs folded).

    Equivalence is checked with randomised BN statistics, so an untrained model's identity-like BNs cannot hide
    a wrong pair; if folding all pairs changes the outputs, each pair is checked alone and only the harmless
    ones are folded."""
    model = copy.deepcopy(model).eval()
    pairs = find_pairs(model, example)
    if not _fold_preserves_outputs(model, pairs, example, tolerance):
        pairs = [pair for pair in pairs if _fold_preserves_outputs(model, [pair], example, tolerance)]
    _fold(model, pairs)
    return model, len(pairs)


def remove_dropout(model: nn.Module) -> int:
    """Replaces dropout modules by Identity (they are identities in eval mode; this keeps them out of the
    graph whatever mode a caller leaves the model in). Returns how many were replaced."""
    names = [name for name, m in model.named_modules() if isinstance(m, nn.modules.dropout._DropoutNd)]
    for name in names:
        _set_submodule(model, name, nn.Identity())
    return len(names)
