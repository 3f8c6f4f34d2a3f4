"""Synthetic labelled skeleton motion for the default model (docs/training-loop.md, models/README.md).

body.py (parametric BlazePose-33 body, forward kinematics) → motions.py (key poses, timelines) / actions.py,
fall_actions.py, bending.py (per-label joint-angle trajectories, labels as mixtures of variants: action_base.py) →
scene.py (floor, furniture, free fall, foot contact) → camera.py (pinhole cameras, partial views, people walking
into view) → mediapipe.py (MediaPipe's measured imperfections, src/skeleton/mediapipe-behaviour.json,
docs/real-poses.md) → generate.py (config → dataset). CLI: `python3 -m training.synth`; preview:
`python3 -m training.synth.preview`.
"""
