"""Lists the operators of ONNX models and flags those onnxruntime-web's WebGPU execution provider lacks.

    python3 -m training.opcheck models/*.onnx      # exit status 1 when some op is unsupported

The supported set is read from the operator table that ships with the installed onnxruntime-web
(node_modules/onnxruntime-web/docs/webgpu-operators.md), so it follows the pinned version. An op is supported
when the table lists its domain with a version range that contains the op's schema version at the model's
opset (e.g. Reshape at opset 17 is Reshape-14, listed as `14-18`). Ops marked "no GPU kernel" run, but on the
CPU inside a WebGPU session; they are reported separately.
"""
from __future__ import annotations

import argparse
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

import onnx
from onnx import defs

from training.skeleton import REPO_ROOT

OPERATOR_TABLE = REPO_ROOT / "node_modules" / "onnxruntime-web" / "docs" / "webgpu-operators.md"
DOMAIN_NAMES = {"": "ai.onnx", "ai.onnx": "ai.onnx", "com.microsoft": "com.microsoft"}


@dataclass
class OperatorSupport:
    ranges: dict[str, list[tuple[int, int | None]]]  # domain → [(first, last or None for "N+")]
    cpu_only: bool


def read_operator_table(path: Path = OPERATOR_TABLE) -> dict[str, OperatorSupport]:
    if not path.is_file():
        raise FileNotFoundError(f"{path} not found: run npm install (onnxruntime-web ships the WebGPU operator table)")
    table = {}
    for line in path.read_text().splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if len(cells) < 3 or not re.fullmatch(r"[A-Za-z][A-Za-z0-9]*", cells[0]):
            continue
        ranges: dict[str, list] = {}
        for domain, versions in re.findall(r"([\w.]+)\(([^)]*)\)", cells[1]):
            spans = []
            for span in versions.split(","):
                span = span.strip()
                if span.endswith("+"):
                    spans.append((int(span[:-1]), None))
                elif "-" in span:
                    first, last = span.split("-")
                    spans.append((int(first), int(last)))
                elif span:
                    spans.append((int(span), int(span)))
            ranges[domain] = spans
        table[cells[0]] = OperatorSupport(ranges, "no GPU kernel" in cells[2])
    if not table:
        raise ValueError(f"{path}: no operator rows found; has its format changed?")
    return table


@dataclass
class ModelOps:
    path: Path
    opset: int
    counts: dict[str, int] = field(default_factory=dict)  # "Op" or "domain:Op" → node count
    unsupported: list[str] = field(default_factory=list)
    cpu_only: list[str] = field(default_factory=list)


def check_model(path: str | Path, table: dict[str, OperatorSupport] | None = None) -> ModelOps:
    table = table if table is not None else read_operator_table()
    model = onnx.load(str(path), load_external_data=False)
    opsets = {entry.domain or "ai.onnx": entry.version for entry in model.opset_import}
    result = ModelOps(Path(path), opsets.get("ai.onnx", 0))
    for node in model.graph.node:
        domain = DOMAIN_NAMES.get(node.domain, node.domain)
        key = node.op_type if domain == "ai.onnx" else f"{domain}:{node.op_type}"
        if key in result.counts:
            result.counts[key] += 1
            continue
        result.counts[key] = 1
        support = table.get(node.op_type)
        spans = support.ranges.get(domain, []) if support else []
        try:
            version = defs.get_schema(node.op_type, opsets.get(domain, 1), node.domain).since_version
        except defs.SchemaError:
            version = None
        if version is None or not any(first <= version and (last is None or version <= last) for first, last in spans):
            result.unsupported.append(key if version is None else f"{key}-{version}")
        elif support.cpu_only:
            result.cpu_only.append(key)
    return result


def format_report(result: ModelOps) -> str:
    ops = ", ".join(f"{op}×{count}" for op, count in sorted(result.counts.items()))
    lines = [f"{result.path.name} (opset {result.opset}): {ops}"]
    if result.cpu_only:
        lines.append(f"  runs on CPU inside a WebGPU session (no GPU kernel): {', '.join(sorted(result.cpu_only))}")
    lines.append(f"  UNSUPPORTED on WebGPU: {', '.join(result.unsupported)}" if result.unsupported
                 else "  all ops supported by the WebGPU EP")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("models", nargs="+", type=Path)
    args = parser.parse_args(argv)
    table = read_operator_table()
    failed = False
    for path in args.models:
        result = check_model(path, table)
        print(format_report(result))
        failed |= bool(result.unsupported)
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
