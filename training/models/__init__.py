"""Model zoo. `build_model(cfg)` builds any family from its config dict (see training/configs/).

Each family lives in its own module exposing `build(cfg) -> torch.nn.Module`. A model's forward takes
x of shape (N, C, T, V, M) and returns a dict with "logits" (N, K) and, where the model has them, the
attention outputs named in docs/model-manifest.md.
"""
from importlib import import_module

FAMILIES = {
    "st-gcn": "training.models.stgcn",
    "st-tr": "training.models.sttr",
    "st-bln": "training.models.stbln",
    "san": "training.models.san",
    "stst": "training.models.stst",
}


def build_model(cfg: dict):
    family = cfg["family"]
    if family not in FAMILIES:
        raise ValueError(f"unknown model family {family!r}; known: {sorted(FAMILIES)}")
    return import_module(FAMILIES[family]).build(cfg)
