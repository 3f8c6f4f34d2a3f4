// Field checks of a model manifest (src/model/manifest.ts and its streaming section, stream-manifest.ts): each
// names the file and the field, and throws a ManifestError.
import { describeJson } from '../describe-json';

export class ManifestError extends Error {
  override name = 'ManifestError';
}

export type Json = Record<string, unknown>;

export class Checker {
  constructor(private readonly source: string) {}

  fail(path: string, message: string): never {
    throw new ManifestError(`${this.source}: ${path} ${message} (see docs/model-manifest.md)`);
  }
  object(value: unknown, path: string): Json {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) this.fail(path, `must be an object, got ${describeJson(value)}`);
    return value as Json;
  }
  string(value: unknown, path: string): string {
    if (typeof value !== 'string' || value === '') this.fail(path, `must be a non-empty string, got ${describeJson(value)}`);
    return value;
  }
  positiveInteger(value: unknown, path: string): number {
    if (!Number.isInteger(value) || (value as number) <= 0) this.fail(path, `must be a positive integer, got ${describeJson(value)}`);
    return value as number;
  }
  number(value: unknown, path: string): number {
    if (typeof value !== 'number' || !Number.isFinite(value)) this.fail(path, `must be a number, got ${describeJson(value)}`);
    return value;
  }
  shape(value: unknown, path: string): number[] {
    if (!Array.isArray(value) || value.length === 0) this.fail(path, `must be a non-empty array of dimensions, got ${describeJson(value)}`);
    return value.map((dim, index) => this.positiveInteger(dim, `${path}[${index}]`));
  }
  /** A bare file name: the model is read from beside its manifest, never from elsewhere on the machine or server. */
  onnxFileName(value: unknown, path: string): string {
    const name = this.string(value, path);
    if (!/^[\w-][\w.-]*\.onnx$/.test(name)) {
      this.fail(path, `must be the name of an .onnx file beside the manifest (letters, digits, "._-"; no folders), got ${describeJson(name)}`);
    }
    return name;
  }
  oneOf<T extends string>(value: unknown, options: readonly T[], path: string): T {
    if (!options.includes(value as T)) this.fail(path, `must be one of ${options.join(', ')}, got ${describeJson(value)}`);
    return value as T;
  }
}
