"""CLI of training.pose_stats (see its docstring)."""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from training.pose_stats import __doc__ as DOC
from training.pose_stats.report import describe, markdown
from training.pose_stats.tracks import TrackError, recordings


def _named_sets(args) -> dict[str, list[str]]:
    sets: dict[str, list[str]] = {}
    for item in args.set or []:
        name, sep, path = item.partition("=")
        if not sep or not name or not path:
            raise TrackError(f"--set expects NAME=DIR_OR_FILE, got {item!r}")
        sets.setdefault(name, []).append(path)
    if args.paths:
        sets.setdefault(args.label, []).extend(args.paths)
    if not sets:
        raise TrackError("give recordings (folders or .jsonl files) or --set NAME=DIR")
    return sets


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python3 -m training.pose_stats", description=DOC,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("paths", nargs="*", help="recordings or folders of recordings (one set)")
    parser.add_argument("--label", default="recordings", help="name of the set given as paths")
    parser.add_argument("--set", action="append", metavar="NAME=PATH", help="a named set (repeatable; PATH repeatable per NAME)")
    parser.add_argument("--skip", action="append", default=[], metavar="FOLDER",
                        help="leave out recordings inside a folder of this name (e.g. no_person)")
    parser.add_argument("--markdown", action="store_true", help="print the comparison table instead of JSON")
    parser.add_argument("--fit", type=Path, metavar="OUT.json", help="write the behaviour model fitted to the (single) set")
    args = parser.parse_args(argv)
    try:
        sets = _named_sets(args)
        summaries = {}
        for name, paths in sets.items():
            found = [path for path in recordings(paths) if not set(args.skip) & set(path.parts[:-1])]
            if not found:
                raise TrackError(f"no .jsonl recordings under {', '.join(paths)}")
            summaries[name] = describe(found)
    except TrackError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    if args.fit:
        if len(summaries) != 1:
            print("error: --fit needs exactly one set", file=sys.stderr)
            return 2
        from training.pose_stats.fit import write_model

        (name, summary), = summaries.items()
        write_model(summary, args.fit, sources=sets[name])
        print(f"wrote {args.fit}")
    elif args.markdown:
        print(markdown(summaries), end="")
    else:
        print(json.dumps(summaries if len(summaries) > 1 else next(iter(summaries.values())), indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
