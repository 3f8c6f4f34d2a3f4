#!/usr/bin/env bash
# Runs Python with an interpreter that can import torch. On Debian, python3-torch is only visible to
# /usr/bin/python3; a pyenv or venv python3 earlier on PATH usually cannot see it.
for candidate in "${SENTINEL_PYTHON:-}" /usr/bin/python3 python3; do
  [ -n "$candidate" ] || continue
  if "$candidate" -c "import torch" >/dev/null 2>&1; then exec "$candidate" "$@"; fi
done
echo "No Python with PyTorch found. Install it: sudo apt-get install python3-torch python3-onnx (or set SENTINEL_PYTHON)." >&2
exit 1
