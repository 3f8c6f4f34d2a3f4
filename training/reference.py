"""PyTorch reference outputs written beside every exported model: models/NAME.parity.json (docs/model-manifest.md,
"parity"). test/parity/trained-models.test.ts runs the ONNX file on the stored input with ONNX Runtime and compares.

The reference is computed by the PyTorch model the export started from (the checkpoint's, in eval mode, before
dropout removal and batch-norm folding), never by the ONNX graph: an ONNX-derived reference would only test that
ONNX Runtime agrees with itself.

File: {"format": "skeleton-sentinel-parity", "version": 1, "model": NAME, "onnxSha256", "source":
{"kind": "checkpoint" | "seed" | "ensemble", ...}, "tolerance", "input": {"name", "shape", "data"},
"outputs": {KEY: {"shape", "data"}}}; "data" is base64 of little-endian float32, row-major.
"""
from __future__ import annotations

import base64
import hashlib
import json
from pathlib import Path

import numpy as np
import torch

PARITY_FORMAT = "skeleton-sentinel-parity"
PARITY_TOLERANCE = 1e-4


def reference_input(shape: tuple[int, ...]) -> torch.Tensor:
    """A fixed, non-constant input of values in [−1, 1]: 0.8·sin(0.37·i) over the flattened tensor. Parity is about
    the arithmetic, not about plausible poses; any bounded input exercises every weight."""
    index = torch.arange(int(np.prod(shape)), dtype=torch.float64)
    return (0.8 * torch.sin(0.37 * index)).to(torch.float32).reshape(shape)


def encode(tensor: torch.Tensor) -> dict:
    array = tensor.detach().cpu().numpy().astype("<f4")
    return {"shape": list(array.shape), "data": base64.b64encode(array.tobytes()).decode("ascii")}


def decode(entry: dict) -> np.ndarray:
    return np.frombuffer(base64.b64decode(entry["data"]), dtype="<f4").reshape(entry["shape"])


def file_sha256(path: Path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def write_reference(forward, keys: list[str], input_name: str, shape: tuple[int, ...], onnx_path: Path,
                    source: dict) -> dict:
    """Runs `forward` (the PyTorch model, eval mode, outputs in `keys` order) on reference_input(shape), writes
    ONNX_BASE.parity.json beside onnx_path and returns the manifest's "parity" entry."""
    x = reference_input(shape)
    with torch.no_grad():
        produced = forward(x)
    path = onnx_path.with_name(f"{onnx_path.stem}.parity.json")
    document = {
        "format": PARITY_FORMAT, "version": 1, "model": onnx_path.stem, "onnxSha256": file_sha256(onnx_path),
        "source": source, "tolerance": PARITY_TOLERANCE,
        "input": {"name": input_name, **encode(x)},
        "outputs": {key: encode(value) for key, value in zip(keys, produced)},
    }
    path.write_text(json.dumps(document, indent=1) + "\n")
    return {"file": path.name, "source": source["kind"]}


def checkpoint_source(checkpoint_path: Path | None, seed: int | None) -> dict:
    """Where the reference weights came from: a checkpoint (path and sha256, so a lost run can be recognised), the
    fixed random initialisation of a seed, or weights the caller passed in memory."""
    if checkpoint_path is None:
        return {"kind": "seed", "seed": seed} if seed is not None else {"kind": "weights"}
    return {"kind": "checkpoint", "checkpoint": str(checkpoint_path), "sha256": file_sha256(checkpoint_path)}


def read_reference(path: Path) -> dict:
    document = json.loads(Path(path).read_text())
    if document.get("format") != PARITY_FORMAT:
        raise ValueError(f"{path}: not a {PARITY_FORMAT} file")
    return document
