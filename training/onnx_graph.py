"""ONNX graph clean-up after torch.onnx.export (training/export.py): Constant nodes to initializers, weight-only
subgraphs evaluated, Identity nodes bypassed."""
from __future__ import annotations

import numpy as np
import onnx
import onnx.numpy_helper


def _attribute(node: onnx.NodeProto, name: str, default=None):
    for attribute in node.attribute:
        if attribute.name == name:
            return onnx.helper.get_attribute_value(attribute)
    return default


def _fill_value(node: onnx.NodeProto) -> np.ndarray:
    value = _attribute(node, "value")
    return onnx.numpy_helper.to_array(value).reshape(()) if value is not None else np.float32(0)


def _reduce(function):
    def run(node, x, axes=None):
        axes = _attribute(node, "axes") if axes is None else axes
        axes = None if axes is None or len(axes) == 0 else tuple(int(a) for a in axes)
        return function(x, axis=axes, keepdims=bool(_attribute(node, "keepdims", 1)))
    return run


# numpy versions (at opset 17) of the ops that turn up in weight-only subgraphs, e.g. an importance vector
# computed from learned mixing matrices; evaluating them here leaves the runtime nothing but a constant.
CONSTANT_OPS = {
    "Abs": lambda node, x: np.abs(x),
    "Neg": lambda node, x: -x,
    "Sqrt": lambda node, x: np.sqrt(x),
    "Add": lambda node, a, b: a + b,
    "Sub": lambda node, a, b: a - b,
    "Mul": lambda node, a, b: a * b,
    "Div": lambda node, a, b: (a // b) if np.issubdtype(a.dtype, np.integer) else a / b,
    "Pow": lambda node, a, b: np.power(a, b).astype(a.dtype),
    "MatMul": lambda node, a, b: np.matmul(a, b),
    "Equal": lambda node, a, b: np.equal(a, b),
    "Where": lambda node, c, a, b: np.where(c, a, b),
    "Expand": lambda node, x, shape: x * np.ones(tuple(int(d) for d in shape), dtype=x.dtype),
    "ConstantOfShape": lambda node, shape: np.full(tuple(int(d) for d in shape), _fill_value(node)),
    "Cast": lambda node, x: x.astype(onnx.mapping.TENSOR_TYPE_TO_NP_TYPE[_attribute(node, "to")]),
    "Transpose": lambda node, x: np.transpose(x, _attribute(node, "perm")),
    "Reshape": lambda node, x, shape: x.reshape([x.shape[i] if d == 0 else int(d) for i, d in enumerate(shape)]),
    "Unsqueeze": lambda node, x, axes: np.expand_dims(x, tuple(int(a) for a in axes)),
    "Squeeze": lambda node, x, axes=None: np.squeeze(x, None if axes is None else tuple(int(a) for a in axes)),
    "ReduceSum": _reduce(np.sum),  # axes is an input from opset 13
    "ReduceMean": _reduce(np.mean),  # axes is an attribute up to opset 17
    "ReduceMax": _reduce(np.max),
    "Shape": lambda node, x: np.array(x.shape, dtype=np.int64),
}


def clean_graph(model: onnx.ModelProto) -> onnx.ModelProto:
    """Constant nodes become initializers, subgraphs computed from weights alone are evaluated (CONSTANT_OPS)
    and Identity nodes are bypassed (torch 1.13 writes an Identity for every buffer it deduplicates). ORT does
    much of this at load time, but then the operator check could not tell these from ops an EP must run."""
    graph = model.graph
    outputs = {output.name for output in graph.output}
    constants = {tensor.name: onnx.numpy_helper.to_array(tensor) for tensor in graph.initializer}
    renamed: dict[str, str] = {}
    kept = []
    for node in graph.node:
        for i, name in enumerate(node.input):
            if name in renamed:
                node.input[i] = renamed[name]
        if node.op_type == "Constant" and len(node.attribute) == 1 and node.attribute[0].name == "value":
            constants[node.output[0]] = onnx.numpy_helper.to_array(node.attribute[0].t)
        elif node.op_type == "Identity" and node.output[0] not in outputs:
            renamed[node.output[0]] = node.input[0]
        elif (node.op_type in CONSTANT_OPS and len(node.output) == 1 and node.output[0] not in outputs
              and all(name in constants for name in node.input if name)):
            value = CONSTANT_OPS[node.op_type](node, *(constants[name] for name in node.input if name))
            constants[node.output[0]] = np.asarray(value)
        else:
            kept.append(node)
    used = {name for node in kept for name in node.input} | outputs
    del graph.node[:]
    graph.node.extend(kept)
    del graph.initializer[:]
    graph.initializer.extend(onnx.numpy_helper.from_array(value, name) for name, value in constants.items() if name in used)
    return model
