"""How MediaPipe poses behave: statistics of skeleton recordings, to hold the synthesisers against real video.

    scripts/python.sh -m training.pose_stats DIR_OR_FILES...            # one set, JSON
    scripts/python.sh -m training.pose_stats --set real=DIR --set synth=DIR [--markdown]   # side by side
    scripts/python.sh -m training.pose_stats DIR... --fit src/skeleton/mediapipe-behaviour.json

Reads app recordings (docs/recording-format.md, blazepose33; the first person of each frame) and reports:
detection rate and where and for how long detection drops out (by posture: upright, bent, lying, lying along
the line of sight, just after a fall), visibility by body part and posture, of landmarks outside the image and
how long landmarks stay below 0.5, jitter per body part while still (lags 1 and 2, depth, hip spectrum),
left/right swaps and upside-down flips, image proportions, and the world landmarks (axes, bone lengths, depth,
noise). `--fit` turns the statistics into the behaviour model both synthesisers read
(src/skeleton/mediapipe-behaviour.json). docs/real-poses.md has the figures for GMDCSA24 beside the synthesisers'.
"""
from training.pose_stats.report import describe, markdown

__all__ = ["describe", "markdown"]
