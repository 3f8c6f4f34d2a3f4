"""Fidelity report: our parameter counts against the papers' (ST-TR Table I/V, DIGEST §1.8 and §6.3).

    scripts/python.sh -m training.params [--json] [--latency] [--flops]

"models": every config with a "paper" entry (and the 9-layer reading of the ST-TR text); "ensembles": the two-stream
models training.ensemble fuses from separately trained configs (2s-ST-TR, its bones version, 2s-ST-BLN, lite pairs).

--latency adds PyTorch CPU latency (batch 1, one thread) of the lite configs; --flops adds the FLOPs of the
ST-BLN configs at the paper's 3×300×25 input (slow: seconds per model).
"""
from __future__ import annotations

import argparse
import json
import time

import torch

from training.graph import partitions
from training.models import build_model
from training.models.config import config_names, load_config
from training.models.layers import JointMapping, SelfAttentionUnit, TemporalConv

# ST-TR Table I(b): one module with C_in = C_out = 256 (×10^4 in the paper).
PAPER_MODULES = {"SSA": 17.8e4, "TSA": 17.7e4, "GCN": 19.9e4, "TCN": 59.0e4}
# ST-BLN paper: FLOPs of the full-V model (λ=10 is 24.59G) and the speed-up of λ=6 over λ=10.
PAPER_STBLN_GFLOPS = 24.93
PAPER_LAMBDA6_SPEEDUP = 2.78
LITE_CONFIGS = ("ttr-lite", "stbln-lite", "stgcn-lite", "san-lite", "stst-lite", "stst-lite-causal", "ttr-lite-jb",
                "stbln-lite-jb", "ttr-lite-bones", "stbln-lite-bones")
# Separately trained streams fused by training.ensemble: (name, stream configs, paper count, printed step, source).
ENSEMBLES = (
    ("2s-ST-TR (ensemble)", ("str-ntu60", "ttr-ntu60"), 4.84e6, 2e4, "S-TR 30.7 + T-TR 17.7 x10^5, summed"),
    ("2s-ST-TR bones (ensemble)", ("str-jb-ntu60", "ttr-jb-ntu60"), None, None, "ST-TR prints no count with bones"),
    ("2s-ST-BLN (ensemble)", ("stbln-ntu60", "stbln-bones-ntu60"), None, None, "ST-BLN prints FLOPs only"),
    ("lite 2s T-TR (ensemble)", ("ttr-lite", "ttr-lite-bones"), None, None, "lite model, no paper"),
    ("lite 2s ST-BLN (ensemble)", ("stbln-lite", "stbln-lite-bones"), None, None, "lite model, no paper"),
)


def count(module: torch.nn.Module) -> int:
    return sum(p.numel() for p in module.parameters())


def relative(ours: float, paper: float | None) -> float | None:
    return None if paper is None else ours / paper - 1


def model_rows(names: list[str] | None = None) -> list[dict]:
    """Every config with a "paper" entry (its count may be null: not published); plus the 9-layer reading of the ST-TR text
    (64,64,64,128,…), which the configs do not use because the 10-layer layout reproduces the counts."""
    rows = []
    for name in names or config_names():
        cfg = load_config(name)
        if "paper" not in cfg:
            continue
        paper = cfg["paper"]["parameters"]
        step = cfg["paper"].get("printed_step")
        rows.append({"config": name, "ours": count(build_model(cfg)), "paper": paper, "source": cfg["paper"]["source"],
                     "printed_step": step})
        if cfg["family"] in ("st-gcn", "st-tr") and cfg["widths"][:4] == [64, 64, 64, 64]:
            nine = {**cfg, "widths": cfg["widths"][1:], "strides": cfg["strides"][1:]}
            if "attention_from" in cfg:
                nine["attention_from"] = cfg["attention_from"] - 1
            rows.append({"config": f"{name} (9 layers)", "ours": count(build_model(nine)), "paper": paper,
                         "source": "same, ST-TR text reading of 9 layers", "printed_step": step})
    for row in rows:
        row["relative"] = relative(row["ours"], row["paper"])
        row["rounds_to_printed"] = rounds_to_printed(row["ours"], row["paper"], row.pop("printed_step", None))
    return rows


def rounds_to_printed(ours: int, paper: float | None, step: float | None) -> bool | None:
    """Whether our count prints as the paper's figure at the paper's precision (ST-TR prints counts as
    NN.N×10^5, a step of 10^4): |ours − paper| ≤ step / 2. None where the paper prints no count or no precision."""
    return None if paper is None or step is None else abs(ours - paper) <= step / 2


def ensemble_rows() -> list[dict]:
    """Two-stream models as training.ensemble builds them: the streams' counts summed."""
    rows = []
    for name, streams, paper, step, source in ENSEMBLES:
        ours = sum(count(build_model(load_config(stream))) for stream in streams)
        rows.append({"config": name, "streams": list(streams), "ours": ours, "paper": paper, "source": source,
                     "relative": relative(ours, paper), "rounds_to_printed": rounds_to_printed(ours, paper, step)})
    return rows


def module_rows(channels: int = 256, joints: int = 25) -> list[dict]:
    graph = torch.from_numpy(partitions("ntu25"))
    modules = {
        "SSA": SelfAttentionUnit("joints", channels, channels, joints, 8, 0.25, 1.0),
        "TSA": SelfAttentionUnit("frames", channels, channels, joints, 8, 0.25, 1.0),
        "GCN": JointMapping(channels, channels, "importance", graph),
        "TCN": TemporalConv(channels, 9),
    }
    return [{"module": name, "channels": channels, "ours": count(m), "paper": PAPER_MODULES[name],
             "relative": relative(count(m), PAPER_MODULES[name])} for name, m in modules.items()]


def pytorch_latency(model: torch.nn.Module, cfg: dict, repeats: int = 50) -> dict:
    """Eval-mode PyTorch CPU latency of one batch-1 window on one thread: min and median ms after 5 warm-ups."""
    torch.set_num_threads(1)
    model.eval()
    x = torch.randn(1, cfg["in_channels"], cfg["window"], cfg["joints"], cfg["persons"])
    times = []
    with torch.no_grad():
        for i in range(repeats + 5):
            start = time.perf_counter()
            model(x)
            if i >= 5:  # warm-up runs excluded
                times.append((time.perf_counter() - start) * 1e3)
    times.sort()
    return {"input": list(x.shape), "min_ms": round(times[0], 3), "median_ms": round(times[len(times) // 2], 3)}


def latency_rows(repeats: int = 50) -> list[dict]:
    rows = []
    for name in LITE_CONFIGS:
        cfg = load_config(name)
        model = build_model(cfg)
        rows.append({"config": name, "parameters": count(model), **pytorch_latency(model, cfg, repeats)})
    return rows


def flop_rows() -> list[dict]:
    from torch.profiler import ProfilerActivity, profile

    rows = []
    for name in ("stbln-ntu60", "stbln-lambda6-ntu60", "stbln-refcode-ntu60"):
        cfg = {**load_config(name), "persons": 1}  # the paper's input tensor is 3×300×25, one body
        model = build_model(cfg).eval()
        with torch.no_grad(), profile(activities=[ProfilerActivity.CPU], with_flops=True) as prof:
            model(torch.randn(1, cfg["in_channels"], cfg["window"], cfg["joints"], 1))
        rows.append({"config": name, "gflops": round(sum(e.flops for e in prof.key_averages()) / 1e9, 3)})
    rows[0]["paper_gflops"] = PAPER_STBLN_GFLOPS
    rows[1]["speedup"] = round(rows[0]["gflops"] / rows[1]["gflops"], 2)
    rows[1]["paper_speedup"] = PAPER_LAMBDA6_SPEEDUP
    rows[2]["paper_gflops"] = PAPER_STBLN_GFLOPS  # the authors' code's residuals (README.md, reading 10)
    return rows


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Parameter counts vs the papers")
    parser.add_argument("--json", action="store_true", help="print one JSON document")
    parser.add_argument("--latency", action="store_true", help="add PyTorch CPU latency of the lite configs")
    parser.add_argument("--flops", action="store_true", help="add ST-BLN FLOPs at 3x300x25 (slow)")
    args = parser.parse_args(argv)
    report = {"models": model_rows(), "ensembles": ensemble_rows(), "modules": module_rows()}
    if args.latency:
        report["latency"] = latency_rows()
    if args.flops:
        report["flops"] = flop_rows()
    if args.json:
        print(json.dumps(report, indent=2))
        return
    print(f"{'config':34} {'ours':>10} {'paper':>10} {'diff':>7}  source")
    for row in report["models"] + report["ensembles"]:
        paper = "n/a" if row["paper"] is None else f"{row['paper']:,.0f}"
        diff = "" if row["relative"] is None else f"{row['relative']:+.2%}"
        print(f"{row['config']:34} {row['ours']:>10,} {paper:>10} {diff:>7}  {row['source']}")
    print(f"\n{'module (C=256)':34} {'ours':>10} {'paper':>10} {'diff':>7}")
    for row in report["modules"]:
        print(f"{row['module']:34} {row['ours']:>10,} {row['paper']:>10,.0f} {row['relative']:>+7.2%}")
    if args.latency:
        print(f"\n{'PyTorch CPU, batch 1, 1 thread':34} {'params':>10} {'min ms':>8} {'median ms':>10}  input")
        for row in report["latency"]:
            print(f"{row['config']:34} {row['parameters']:>10,} {row['min_ms']:>8.2f} {row['median_ms']:>10.2f}  {row['input']}")
    if args.flops:
        print()
        for row in report["flops"]:
            print(f"{row['config']:34} {row['gflops']:>8.2f} GFLOPs  " +
                  ", ".join(f"{k}={v}" for k, v in row.items() if k not in ("config", "gflops")))


if __name__ == "__main__":
    main()
