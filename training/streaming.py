"""Continual (streaming) inference for causal ST-GCN / ST-BLN (configs with "causal": true, e.g. stbln-lite-stream).

The windowed causal model (training/models: unpadded temporal convs, no strides) maps T input frames to
T − RF + 1 positions and averages them. `StreamingNet` computes the same thing one frame at a time: each block
keeps the last K_t − 1 frames its temporal conv saw (its state), so a new frame costs one frame of every layer,
and a `pool` state keeps the last T − RF + 1 pooled outputs. After `window` frames from the zero state, every
state entry comes from real frames, so the logits equal the windowed model's on the last `window` frames
(tested to 1e-4 in training/tests/test_streaming.py and, in ONNX Runtime, in test/parity/streaming.test.ts).

    python3 -m training.streaming --fixture DIR     # parity fixture for test/parity/streaming.test.ts

The ONNX export takes "frame" (N, C, F, V), the F ≥ 1 frames not fed yet, plus the states and returns "logits"
(N, K) after the last of them plus the next states ("STATE_next"); N and F are symbolic, so several people run in
one call and a whole window (a new person, a gap) is caught up in one call too. Manifest: the "streaming" section of
docs/model-manifest.md.
"""
from __future__ import annotations

import argparse
import copy
import json
import sys
from pathlib import Path

import torch
from torch import nn

from training.export import OPSET, export, finish_onnx, sha256
from training.folding import randomise_statistics, remove_dropout
from training.models import build_model
from training.models.config import CAUSAL_CONV_FAMILIES, load_config, pooled_frames, receptive_field

FRAME_INPUT = "frame"
POOL_STATE = "pool"


def is_streamable(cfg: dict) -> bool:
    return bool(cfg.get("causal")) and cfg["family"] in CAUSAL_CONV_FAMILIES and cfg["persons"] == 1


class StreamingNet(nn.Module):
    """forward(frames (N, C, F, V), *states) → (logits (N, K) after the last frame, *next states), states in
    `state_names` order; F frames in one call give what F calls of one frame give."""

    def __init__(self, model: nn.Module):
        super().__init__()
        cfg = model.cfg
        if not is_streamable(cfg):
            raise ValueError(f"{cfg['name']}: streaming needs a causal st-gcn / st-bln config with one person")
        self.model = copy.deepcopy(model).eval()
        remove_dropout(self.model)
        self.history = cfg.get("temporal_kernel", 9) - 1
        self.state_names = [f"block{i}" for i in range(len(self.model.blocks))] + [POOL_STATE]
        self.state_shapes = self._state_shapes(cfg)

    def _state_shapes(self, cfg: dict) -> list[tuple[int, ...]]:
        """(1, C, K_t − 1, V) of each block's temporal-conv input, then (1, C_last, pooled positions)."""
        shapes = []
        with torch.no_grad():
            h = self.model.data_norm(torch.zeros(1, cfg["in_channels"], 1, cfg["joints"], 1))  # one frame
            for block in self.model.blocks:
                y, _ = block.spatial(h)
                shapes.append((1, y.shape[1], self.history, y.shape[3]))
                z, _ = block.temporal(torch.cat([y] * (self.history + 1), dim=2))
                h = block.relu(z + block.residual(h))
        return shapes + [(1, h.shape[1], pooled_frames(cfg))]

    def zero_states(self, batch: int = 1) -> list[torch.Tensor]:
        return [torch.zeros((batch,) + shape[1:]) for shape in self.state_shapes]

    def forward(self, frames: torch.Tensor, *states: torch.Tensor):
        h = self.model.data_norm(frames.unsqueeze(-1))  # (N, C, F, V)
        following = []
        for block, state in zip(self.model.blocks, states[:-1]):
            y, _ = block.spatial(h)
            seen = torch.cat([state, y], dim=2)  # K_t − 1 earlier frames: the causal conv gives F outputs
            z, _ = block.temporal(seen)
            h = block.relu(z + block.residual(h))
            following.append(seen[:, :, -self.history:])
        pooled = torch.cat([states[-1], h.mean(dim=3)], dim=2)  # mean over joints, after the kept positions
        pool = pooled[:, :, -self.state_shapes[-1][2]:]
        logits = self.model.head.fc(pool.mean(dim=2))
        return (logits, *following, pool)

    def run(self, frames: torch.Tensor, chunk: int = 1) -> torch.Tensor:
        """Feeds frames (N, C, T, V, 1) from the zero state, `chunk` frames per call; (N, calls, K) logits."""
        states, out = self.zero_states(frames.shape[0]), []
        for t in range(0, frames.shape[2], chunk):
            logits, *states = self(frames[:, :, t:t + chunk, :, 0], *states)
            out.append(logits)
        return torch.stack(out, dim=1)


class OneFramePerCall(nn.Module):
    """The first streaming format (frame (N, C, V), one frame per call), which manifests exported before the frame
    axis still have; the app reads both. Only the parity fixture writes it now."""

    def __init__(self, stream: StreamingNet):
        super().__init__()
        self.stream, self.state_names, self.state_shapes = stream, stream.state_names, stream.state_shapes

    def zero_states(self, batch: int = 1) -> list[torch.Tensor]:
        return self.stream.zero_states(batch)

    def forward(self, frame: torch.Tensor, *states: torch.Tensor):
        return self.stream(frame.unsqueeze(2), *states)


def export_streaming(model: nn.Module, onnx_path: Path, one_frame_per_call: bool = False) -> dict:
    """Writes the streaming ONNX; returns the manifest's "streaming" section (docs/model-manifest.md)."""
    stream = StreamingNet(model).eval()
    cfg = model.cfg
    frame = torch.zeros(1, cfg["in_channels"], 1, cfg["joints"])
    frame_axes = {0: "batch", 2: "frames"}
    if one_frame_per_call:
        stream, frame, frame_axes = OneFramePerCall(stream).eval(), frame[:, :, 0], {0: "batch"}
    outputs = [f"{name}_next" for name in stream.state_names]
    names = [FRAME_INPUT] + stream.state_names
    onnx_path.parent.mkdir(parents=True, exist_ok=True)
    with torch.no_grad():
        torch.onnx.export(stream, (frame, *stream.zero_states()), str(onnx_path), opset_version=OPSET,
                          input_names=names, output_names=["logits"] + outputs, do_constant_folding=True,
                          dynamic_axes={**{name: {0: "batch"} for name in names + ["logits"] + outputs},
                                        FRAME_INPUT: frame_axes})
    ops = finish_onnx(onnx_path)
    return {
        "onnx": {"file": onnx_path.name, "opset": OPSET, "sha256": sha256(onnx_path)},
        "frame": {"name": FRAME_INPUT, "shape": list(frame.shape)},
        "states": [{"input": name, "output": output, "shape": list(shape)}
                   for name, output, shape in zip(stream.state_names, outputs, stream.state_shapes)],
        "logits": "logits",
        "receptiveField": receptive_field(cfg),
        "warmupFrames": cfg["window"],
        "operators": dict(sorted(ops.counts.items())),
    }


def write_fixture(out: Path, config: str = "stbln-lite-stream", extra_frames: int = 6) -> dict:
    """Streaming ONNX of `config` with seed-0 weights and randomised BN statistics, window + extra_frames
    frames, and the windowed model's logits on each of the last extra_frames + 1 full windows; and the same
    weights exported as the app loads them (model.json: windowed ONNX + streaming section; legacy.json: the same
    with the one-frame-per-call streaming ONNX of the first format)."""
    cfg = load_config(config)
    torch.manual_seed(0)
    model = build_model(cfg)
    randomise_statistics(model, seed=0)
    model.eval()
    section = export_streaming(model, out / f"{config}.stream.onnx")
    manifest = export(cfg, "model", out, model=model, labels="default")
    legacy = {**manifest, "name": "legacy", "streaming": export_streaming(model, out / "legacy.stream.onnx", one_frame_per_call=True)}
    (out / "legacy.json").write_text(json.dumps(legacy, indent=2) + "\n")
    window = cfg["window"]
    frames = torch.randn(1, cfg["in_channels"], window + extra_frames, cfg["joints"], 1,
                         generator=torch.Generator().manual_seed(1))
    with torch.no_grad():
        windowed = torch.cat([model(frames[:, :, end - window:end])["logits"] for end in range(window, frames.shape[2] + 1)])
    frames.numpy().astype("<f4").tofile(out / "frames.f32")
    windowed.numpy().astype("<f4").tofile(out / "windowed-logits.f32")
    index = {"config": config, "window": window, "frames": {"shape": list(frames.shape), "file": "frames.f32"},
             "windowedLogits": {"shape": list(windowed.shape), "file": "windowed-logits.f32"}, "streaming": section}
    (out / "index.json").write_text(json.dumps(index, indent=2) + "\n")
    return index


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--fixture", type=Path, required=True, help="folder for the parity fixture")
    parser.add_argument("--config", default="stbln-lite-stream")
    args = parser.parse_args(argv)
    args.fixture.mkdir(parents=True, exist_ok=True)
    try:
        index = write_fixture(args.fixture, args.config)
    except (ValueError, RuntimeError) as error:
        print(f"error: {error}", file=sys.stderr)
        sys.exit(1)
    print(f"wrote {args.fixture}/index.json ({index['config']}, {len(index['streaming']['states'])} states)")


if __name__ == "__main__":
    main()
