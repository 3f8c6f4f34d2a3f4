"""Stick-figure previews of synthetic examples: python3 -m training.synth.preview [--config C] [--out docs/synth]

Per label one PNG strip (docs/synth/LABEL.png): top row the world landmarks seen from a fixed oblique camera
with the floor drawn (what was simulated), bottom row the MediaPipe-like image landmarks through the sampled
camera (what the model gets; grey = visibility < 0.5, no figure = frame the detector missed). Plus one animated
GIF of every label (docs/synth/all-labels.gif).
"""
from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw

from training.skeleton import REPO_ROOT, get_layout
from training.synth.generate import load_config, synthesise

BONES = get_layout("blazepose33").bones
CELL = 128
STRIP_FRAMES = 8


def _world_view(world: np.ndarray) -> np.ndarray:
    """(T,V,3) metres → (T,V,2) pixels in a CELL square: an oblique view from the front-left, floor at the bottom."""
    yaw, pitch = np.radians(35), np.radians(12)
    x = world[..., 0] * np.cos(yaw) - world[..., 2] * np.sin(yaw)
    depth = world[..., 0] * np.sin(yaw) + world[..., 2] * np.cos(yaw)
    y = world[..., 1] * np.cos(pitch) - depth * np.sin(pitch)
    scale = CELL / 2.6
    return np.stack([CELL / 2 + x * scale, CELL - 10 - y * scale], axis=-1)


def _draw(draw: ImageDraw.ImageDraw, points: np.ndarray, visibility: np.ndarray, offset: tuple[int, int]) -> None:
    ox, oy = offset
    for child, parent in BONES:
        if not (np.isfinite(points[child]).all() and np.isfinite(points[parent]).all()):
            continue
        seen = min(visibility[child], visibility[parent]) >= 0.5
        draw.line([(ox + points[parent][0], oy + points[parent][1]), (ox + points[child][0], oy + points[child][1])],
                  fill=(30, 90, 200) if seen else (190, 190, 190), width=2)


def _frames(total: int, count: int) -> np.ndarray:
    return np.linspace(0, total - 1, count).round().astype(int)


def strip(world: np.ndarray, image: np.ndarray, size: tuple[float, float]) -> Image.Image:
    """Two rows of STRIP_FRAMES cells for one sequence."""
    canvas = Image.new("RGB", (CELL * STRIP_FRAMES, 2 * CELL), "white")
    draw = ImageDraw.Draw(canvas)
    width, height = size
    fit = CELL / max(width, height)
    view = _world_view(world)
    for column, frame in enumerate(_frames(len(world), STRIP_FRAMES)):
        left = column * CELL
        draw.line([(left, CELL - 10), (left + CELL, CELL - 10)], fill=(120, 80, 40))
        if np.isfinite(world[frame]).all():
            _draw(draw, view[frame], np.ones(len(view[frame])), (left, 0))
        # Drawn in a cell of its own, so landmarks MediaPipe places beyond the image edge stay inside the cell.
        cell = Image.new("RGB", (CELL, CELL), "white")
        cell_draw = ImageDraw.Draw(cell)
        box = ((CELL - width * fit) / 2, (CELL - height * fit) / 2)
        cell_draw.rectangle([box, (box[0] + width * fit - 1, box[1] + height * fit - 1)], outline=(200, 200, 200))
        if image[frame, :, 3].any():
            pixels = image[frame, :, :2] * np.array([width, height]) * fit
            _draw(cell_draw, pixels, image[frame, :, 3], (int(box[0]), int(box[1])))
        canvas.paste(cell, (left, CELL))
        draw.text((left + 3, 2), f"{frame}", fill=(0, 0, 0))
    return canvas


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--config", default=str(REPO_ROOT / "training/synth/configs/small.json"))
    parser.add_argument("--out", default=str(REPO_ROOT / "docs/synth"))
    parser.add_argument("--gif", action=argparse.BooleanOptionalAction, default=True)
    args = parser.parse_args(argv)
    result = synthesise(load_config(args.config, sequences_per_label=2))
    dataset, out = result.dataset, Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    sizes = dataset.meta["cameras"]
    # Per label the example with the most frames the detector saw (an empty no_person window shows nothing).
    seen = result.image[..., 3].any(axis=2).sum(axis=1)
    firsts = [int(np.argmax(np.where(dataset.label == index, seen, -1))) for index in range(len(dataset.labels))]
    for index, name in enumerate(dataset.labels):
        first = firsts[index]
        camera = sizes[int(dataset.camera[first])]
        strip(result.world[first], result.image[first], (camera["width"], camera["height_px"])).save(out / f"{name}.png", optimize=True)
    if args.gif:
        columns = 5
        rows = -(-len(firsts) // columns)
        pictures = []
        for frame in range(0, dataset.window, 2):
            canvas = Image.new("RGB", (columns * CELL, rows * CELL), "white")
            draw = ImageDraw.Draw(canvas)
            for slot, first in enumerate(firsts):
                left, top = (slot % columns) * CELL, (slot // columns) * CELL
                draw.line([(left, top + CELL - 10), (left + CELL, top + CELL - 10)], fill=(120, 80, 40))
                world = result.world[first]
                if np.isfinite(world[frame]).all():
                    _draw(draw, _world_view(world)[frame], np.ones(world.shape[1]), (left, top))
                draw.text((left + 3, top + 2), dataset.labels[dataset.label[first]], fill=(0, 0, 0))
            pictures.append(canvas.convert("P", palette=Image.Palette.ADAPTIVE, colors=16))
        pictures[0].save(out / "all-labels.gif", save_all=True, append_images=pictures[1:], duration=66, loop=0, optimize=True)
    print(f"wrote previews of {len(dataset.labels)} labels to {out}")


if __name__ == "__main__":
    main()
