"""Parity fixtures for test/parity (npm test): exports every model config to ONNX with fixed random weights
(batch-norm statistics randomised too, so folding is exercised) and writes a fixed input with PyTorch's outputs.

    python3 -m training.parity OUT_DIR [--configs NAME ...]

Lite configs (name contains "lite") export at their own size; paper configs at a reduced window
(REDUCED_WINDOW frames, where the config allows it) to keep `npm test` short, except FULL_SIZE ones. OUT_DIR gets
NAME.onnx, NAME.input.f32 / NAME.KEY.f32 (little-endian float32, row-major) and index.json:
{"models": [{"name", "family", "variant", "lite", "window", "parameters", "onnx",
             "input": {"name", "shape", "file"}, "outputs": {KEY: {"shape", "file"}}}]}.
bench/models.ts uses the same fixtures (with --paper-window) to time every model.
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import torch

from training.export import INPUT_NAME, exportable, input_shape, write_onnx
from training.folding import randomise_statistics
from training.models import build_model
from training.models.config import config_names, load_config, resolve

REDUCED_WINDOW = 32
FULL_SIZE = {"ttr-ntu60"}  # one paper config at full size (T=300, 2 persons): exports in ~7 s


def parity_model(name: str, paper_window: int | None = None) -> tuple[dict, torch.nn.Module]:
    """(config, model with seed-0 weights) at the parity size, or with paper configs at paper_window."""
    cfg = load_config(name)
    if "lite" not in name and (paper_window or name not in FULL_SIZE):
        try:
            reduced = resolve({**cfg, "window": paper_window or REDUCED_WINDOW})
            torch.manual_seed(0)
            return reduced, build_model(reduced)
        except ValueError:  # strides or segments that do not divide the reduced window: full size
            pass
    torch.manual_seed(0)
    return cfg, build_model(cfg)


def write_fixture(name: str, out: Path, paper_window: int | None = None) -> dict:
    cfg, model = parity_model(name, paper_window)
    randomise_statistics(model, seed=0)
    x = torch.randn(input_shape(cfg), generator=torch.Generator().manual_seed(1))
    with torch.no_grad():
        reference = exportable(model, cfg)(x)
    onnx_path = out / f"{name}.onnx"
    write_onnx(model, cfg, onnx_path)
    entry = {"name": name, "family": cfg["family"], "variant": cfg["variant"], "lite": "lite" in name,
             "window": cfg["window"], "parameters": sum(p.numel() for p in model.parameters()), "onnx": onnx_path.name,
             "input": {"name": INPUT_NAME, "shape": list(x.shape), "file": f"{name}.input.f32"}, "outputs": {}}
    x.numpy().astype("<f4").tofile(out / entry["input"]["file"])
    for key, value in zip(exportable(model, cfg).keys, reference):
        file = f"{name}.{key}.f32"
        value.numpy().astype("<f4").tofile(out / file)
        entry["outputs"][key] = {"shape": list(value.shape), "file": file}
    return entry


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--configs", nargs="*", help="config names (default: every config in training/configs)")
    parser.add_argument("--paper-window", type=int, help="window of every paper config (default: reduced, "
                        f"{REDUCED_WINDOW}, except {sorted(FULL_SIZE)} at full size)")
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    models = []
    for name in args.configs or config_names():
        models.append(write_fixture(name, args.out, args.paper_window))
        print(f"{name}: T={models[-1]['window']}, outputs {', '.join(models[-1]['outputs'])}", file=sys.stderr)
    (args.out / "index.json").write_text(json.dumps({"models": models}, indent=2) + "\n")


if __name__ == "__main__":
    main()
