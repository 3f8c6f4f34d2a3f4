"""Shared by the SAN/STST tests: a tiny learnable batch and an overfit smoke run."""
from __future__ import annotations

import torch


def toy_batch(cfg: dict, samples: int = 32, classes: int = 4, seed: int = 0) -> tuple[torch.Tensor, torch.Tensor]:
    """(x, y): each class lifts the whole body by its own height and sways it at its own frequency, plus noise —
    learnable in a few steps by any of the models."""
    generator = torch.Generator().manual_seed(seed)
    t, v, m = cfg["window"], cfg["joints"], cfg["persons"]
    y = torch.arange(samples) % classes
    x = 0.1 * torch.randn(samples, cfg["in_channels"], t, v, m, generator=generator)
    frames = torch.arange(t, dtype=torch.float32)
    for i, label in enumerate(y.tolist()):
        x[i, 0, :, :, 0] += torch.sin(frames * (label + 1) * 2 * torch.pi / t)[:, None]
        x[i, 1] += 0.5 * label
    return x, y


def train_losses(model: torch.nn.Module, x: torch.Tensor, y: torch.Tensor, steps: int, extra_loss=None) -> list[float]:
    """Full-batch Adam steps on cross-entropy (+ extra_loss(model, x)); returns every step's cross-entropy."""
    optimiser = torch.optim.Adam(model.parameters(), lr=3e-3)
    model.train()
    losses = []
    for _ in range(steps):
        classification = torch.nn.functional.cross_entropy(model(x)["logits"], y)
        loss = classification if extra_loss is None else classification + extra_loss(model, x)
        optimiser.zero_grad()
        loss.backward()
        optimiser.step()
        losses.append(classification.item())
    return losses
