"""Training, evaluation and ONNX export for Skeleton Sentinel's action-recognition models."""
