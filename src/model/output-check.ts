/**
 * Every output the session returns is checked before it leaves the model stage: a corrupt model (NaN weights
 * whose sha256 still matches the manifest) or one that returns another shape must fail loudly, so the monitor falls
 * back to body movement, instead of passing NaN on to the fall detector, where it would silence the alarm.
 */
export class ModelOutputError extends Error {
  override name = 'ModelOutputError';
}

interface OutputTensor {
  type: string;
  dims: readonly number[];
  data: unknown;
}

/** The output's values as float32, or a ModelOutputError naming the output and what is wrong with it. */
export function checkedOutput(model: string, name: string, expectedShape: readonly number[], tensor: OutputTensor | undefined): Float32Array {
  if (!tensor) throw new ModelOutputError(`model "${model}" returned no output "${name}"`);
  if (tensor.type !== 'float32' || !(tensor.data instanceof Float32Array)) {
    throw new ModelOutputError(`model "${model}" output "${name}" is ${tensor.type}, not float32`);
  }
  const expected = expectedShape.reduce((a, b) => a * b, 1);
  const sameShape = tensor.dims.length === expectedShape.length && tensor.dims.every((dim, i) => dim === expectedShape[i]);
  if (!sameShape || tensor.data.length !== expected) {
    throw new ModelOutputError(
      `model "${model}" output "${name}" has shape [${tensor.dims.join(', ')}] (${tensor.data.length} values), the manifest says [${expectedShape.join(', ')}]`,
    );
  }
  const bad = tensor.data.findIndex((value) => !Number.isFinite(value));
  if (bad >= 0) {
    const count = tensor.data.reduce((total, value) => total + (Number.isFinite(value) ? 0 : 1), 0);
    throw new ModelOutputError(`model "${model}" output "${name}" has ${count} non-finite value(s) of ${expected} (first: ${tensor.data[bad]} at ${bad}): its weights are corrupt`);
  }
  // Copy: the tensor's buffer is released after the run and may be a view into wasm memory.
  return Float32Array.from(tensor.data);
}
