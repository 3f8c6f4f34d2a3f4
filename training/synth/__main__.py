"""python3 -m training.synth --config training/synth/configs/default.json --out data/synth.npz"""
from __future__ import annotations

import argparse
import sys
import time
from collections import Counter
from pathlib import Path

from training.data import save_dataset
from training.synth.generate import ConfigError, load_config, synthesise
from training.synth.recordings_out import write_recordings


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python3 -m training.synth",
                                     description="Generate a synthetic labelled skeleton dataset (training/DATASET.md).")
    parser.add_argument("--config", help="JSON config (training/synth/configs/*.json); defaults otherwise")
    parser.add_argument("--out", required=True, help="output .npz")
    parser.add_argument("--seed", type=int, help="overrides the config's seed")
    parser.add_argument("--sequences-per-label", type=int, help="overrides the config's sequences_per_label")
    parser.add_argument("--recordings", type=Path, help="also write every window as an app recording into this folder")
    args = parser.parse_args(argv)
    try:
        config = load_config(args.config, seed=args.seed, sequences_per_label=args.sequences_per_label)
    except ConfigError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    started = time.perf_counter()
    result = synthesise(config)
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    save_dataset(out, result.dataset)
    seconds = time.perf_counter() - started
    dataset = result.dataset
    counts = Counter(dataset.labels[i] for i in dataset.label)
    print(f"wrote {out}: {len(dataset)} sequences x {dataset.window} frames, {len(set(dataset.subject))} bodies, "
          f"{len(set(dataset.camera))} cameras, {seconds:.1f} s")
    print("  " + ", ".join(f"{name} {counts[name]}" for name in dataset.labels))
    if args.recordings:
        written = write_recordings(result, args.recordings)
        print(f"wrote {written} recordings with label sidecars under {args.recordings}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
