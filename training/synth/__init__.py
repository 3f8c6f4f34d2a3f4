"""Synthetic labelled skeleton motion for the default model (docs/training-loop.md, models/README.md).

body.py (parametric BlazePose-33 body, forward kinematics) → motions.py / actions.py (per-label joint-angle
trajectories) → scene.py (floor, furniture, free fall, foot contact) → camera.py (pinhole camera, MediaPipe-like
imperfections) → generate.py (config → dataset). CLI: `python3 -m training.synth`; preview:
`python3 -m training.synth.preview`.
"""
