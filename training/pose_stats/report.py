"""All statistics of one set of recordings, and a side-by-side Markdown table of several sets."""
from __future__ import annotations

from pathlib import Path

from training.pose_stats.events import swaps_and_flips
from training.pose_stats.geometry import proportions, world
from training.pose_stats.measures import detection, jitter, upright_share, visibility
from training.pose_stats.tracks import PART_JOINTS, read_track


def describe(paths: list[Path]) -> dict:
    tracks = [read_track(path) for path in paths]
    return {
        "recordings": len(tracks),
        "minutes": round(sum(track.minutes for track in tracks), 3),
        "posture_share": upright_share(tracks),
        "detection": detection(tracks),
        "visibility": visibility(tracks),
        "jitter": jitter(tracks),
        "events": swaps_and_flips(tracks),
        "proportions": proportions(tracks),
        "world": world(tracks),
    }


def _get(summary: dict, path: str):
    """The value at a dotted path; a number indexes a list (quantiles.5 = the median of 11 quantiles)."""
    value = summary
    for key in path.split("."):
        if isinstance(value, list) and key.isdigit() and int(key) < len(value):
            value = value[int(key)]
        elif isinstance(value, dict) and key in value:
            value = value[key]
        else:
            return None
    return value


def _rows() -> list[tuple[str, str, str]]:
    """(section, row label, path into describe()'s dict)."""
    rows = [("Set", "recordings", "recordings"), ("Set", "minutes", "minutes")]
    rows += [("Set", f"{name} share of detected frames", f"posture_share.{name}") for name in ("upright", "bent", "lying")]
    rows += [("Detection", "frames with a person", "detection.detected_share")]
    rows += [("Detection", f"gap starts per detected frame, {kind.replace('_', ' ')}", f"detection.gap_start_per_frame.{kind}")
             for kind in ("upright", "bent", "lying", "after_fall", "upright_small", "bent_small", "lying_small")]
    rows += [("Detection", "gap length, frames (median)", "detection.gap_frames.quantiles.5"),
             ("Detection", "gap length, frames (90th percentile)", "detection.gap_frames.quantiles.9"),
             ("Detection", "frames missing within 2 s after upright → lying", "detection.missing_share_after_fall")]
    for posture in ("upright", "lying"):
        rows += [("Visibility", f"{part} below 0.5, {posture}", f"visibility.by_posture.{posture}.{part}.below_half") for part in PART_JOINTS]
    rows += [("Visibility", "landmarks outside the image (share)", "visibility.outside_share")]
    rows += [("Visibility", f"outside by {label} image heights: visibility ≥ 0.5", f"visibility.outside_by_distance.{i}.above_half")
             for i, label in enumerate(("0–0.15", "0.15–0.3", "> 0.3"))]
    rows += [("Visibility", "run below 0.5, frames (median)", "visibility.below_half_run_frames.quantiles.5"),
             ("Visibility", "run below 0.5, frames (90th percentile)", "visibility.below_half_run_frames.quantiles.9"),
             ("Visibility", "below 0.5 in the next frame too (persistence)", "visibility.below_half_persistence"),
             ("Visibility", "fewest landmarks inside the image of a detected frame", "visibility.landmarks_in_image.min")]
    rows += [("Jitter (torso lengths, still)", f"{part}, lag 1 median", f"jitter.lag1.{part}.median") for part in PART_JOINTS]
    rows += [("Jitter (torso lengths, still)", f"{part}, lag 1 90th percentile", f"jitter.lag1.{part}.p90") for part in ("face", "hips", "knees", "feet")]
    rows += [("Jitter (torso lengths, still)", f"{part}, lag 2 median", f"jitter.lag2.{part}.median") for part in ("face", "hips", "feet")]
    rows += [("Jitter (torso lengths, still)", "image depth z, lag 1 median", "jitter.depth_lag1_median")]
    rows += [("Jitter (torso lengths, still)", f"hip power share {band}", f"jitter.hip_spectrum.{band}") for band in ("0-1Hz", "1-3Hz", "3-6Hz", "6+Hz")]
    for group in ("legs", "arms", "body"):
        rows += [("Swaps and flips", f"left/right swap of {group}, per minute", f"events.swaps.{group}.per_minute")]
    rows += [("Swaps and flips", "swap length, frames (median over groups: legs)", "events.swaps.legs.median_frames")]
    rows += [("Swaps and flips", f"upside-down flips per minute, {p}", f"events.flips.per_minute_by_posture.{p}") for p in ("upright", "bent", "lying")]
    rows += [("Swaps and flips", "flip length, frames (median)", "events.flips.median_frames")]
    rows += [("Proportions (image, upright)", f"{bone} / torso", f"proportions.{bone}")
             for bone in ("shoulder_width", "hip_width", "upper_arm", "forearm", "thigh", "shin")]
    rows += [("World landmarks", "torso direction vs image, degrees (median)", "world.torso_direction_vs_image_deg.median"),
             ("World landmarks", "upright torso tilt from −y, degrees", "world.upright_torso_tilt_deg"),
             ("World landmarks", "torso length, m", "world.bone_m.torso"),
             ("World landmarks", "thigh length, m", "world.bone_m.thigh"),
             ("World landmarks", "torso length CV", "world.bone_cv.torso"),
             ("World landmarks", "thigh length CV", "world.bone_cv.thigh"),
             ("World landmarks", "upright depth spread, m", "world.upright_depth_spread_m")]
    rows += [("World landmarks", f"still noise {axis}, m (median second difference)", f"world.still_second_difference_m.{axis}") for axis in "xyz"]
    return rows


def _cell(value) -> str:
    if value is None:
        return "–"
    if isinstance(value, float):
        return f"{value:.3g}" if abs(value) < 1000 else f"{value:.0f}"
    return str(value)


def markdown(named: dict[str, dict]) -> str:
    names = list(named)
    lines, section = [], None
    for part, label, path in _rows():
        if part != section:
            lines += ["", f"**{part}**", "", "| | " + " | ".join(names) + " |", "|---|" + "---|" * len(names)]
            section = part
        lines.append(f"| {label} | " + " | ".join(_cell(_get(named[n], path)) for n in names) + " |")
    return "\n".join(lines).strip() + "\n"
