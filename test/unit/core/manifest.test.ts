import { describe, expect, it } from 'vitest';
import { parseManifest, validateManifest } from '../../../src/model/manifest';

function validManifest(): Record<string, unknown> {
  return {
    format: 'skeleton-sentinel-model',
    version: 1,
    name: 'tiny',
    family: 'st-tr',
    variant: 't-tr',
    description: 'test',
    trained: false,
    onnx: { file: 'tiny.onnx', opset: 17, sha256: 'ab' },
    input: {
      name: 'skeleton',
      shape: [1, 6, 16, 25, 2],
      layout: 'ntu25',
      window: 16,
      stride: 4,
      fps: 30,
      persons: 2,
      features: 'joints+bones',
      channels: ['x', 'y', 'z', 'bx', 'by', 'bz'],
      normalisation: { method: 'torso-v1', minVisibility: 0.5 },
    },
    labels: ['a', 'b', 'c'],
    outputs: { logits: { name: 'logits', shape: [1, 3] }, frame_importance: { name: 'fi', shape: [1, 16] } },
    parameters: 10,
    metrics: null,
    training: null,
  };
}

/** A valid manifest with one field (dotted path) replaced; undefined deletes it. */
function withField(path: string, value: unknown): Record<string, unknown> {
  const manifest = validManifest();
  const keys = path.split('.');
  let target = manifest as Record<string, unknown>;
  for (const key of keys.slice(0, -1)) target = target[key] as Record<string, unknown>;
  if (value === undefined) delete target[keys.at(-1)!];
  else target[keys.at(-1)!] = value;
  return manifest;
}

describe('model manifest validation', () => {
  it('accepts a valid manifest and types it', () => {
    const manifest = validateManifest(validManifest());
    expect(manifest.input.shape).toEqual([1, 6, 16, 25, 2]);
    expect(manifest.outputs.frame_importance?.name).toBe('fi');
    expect(manifest.trained).toBe(false);
  });

  const cases: [string, unknown, RegExp][] = [
    ['format', 'other', /format must be "skeleton-sentinel-model"/],
    ['version', 2, /version must be 1/],
    ['family', 'cnn', /family must be one of st-gcn, st-tr, st-bln, san, stst, got "cnn"/],
    ['trained', undefined, /trained must be true or false, got nothing/],
    ['onnx.file', '', /onnx.file must be a non-empty string/],
    ['onnx.file', '../../etc/passwd.onnx', /onnx.file must be the name of an .onnx file beside the manifest .*got "..\/..\/etc\/passwd.onnx"/],
    ['onnx.file', '/models/other.onnx', /onnx.file must be the name of an .onnx file beside the manifest/],
    ['onnx.file', 'sub\\model.onnx', /onnx.file must be the name of an .onnx file beside the manifest/],
    ['onnx.file', '..onnx', /onnx.file must be the name of an .onnx file beside the manifest/],
    ['onnx.file', 'model.onnx.exe', /onnx.file must be the name of an .onnx file beside the manifest/],
    ['input.shape', [1, 1e999, 16, 25, 2], /input.shape\[1\] must be a positive integer, got not finite \(/],
    ['input.fps', -1e999, /input.fps must be a number, got not finite \(/],
    ['input.layout', 'coco17', /input.layout "coco17" is not a layout/],
    ['input.features', 'speed', /input.features must be one of joints, bones, joints\+bones/],
    ['input.shape', [1, 6, 16, 25], /input.shape must be \[1, C, T, V, M\]/],
    ['input.shape', [1, 3, 16, 25, 2], /input.shape has C=3 but features "joints\+bones" give 6 channels/],
    ['input.shape', [1, 6, 16, 33, 2], /has V=33 but layout "ntu25" has 25 joints/],
    ['input.window', 32, /input.shape has T=16 but input.window is 32/],
    ['input.stride', 17, /input.stride \(17\) must not exceed input.window \(16\)/],
    ['input.fps', -1, /input.fps must be positive/],
    ['input.normalisation.method', 'z-score', /input.normalisation.method must be one of torso-v1, torso-frame-v1, got "z-score"/],
    ['labels', [], /labels must be a non-empty array/],
    ['outputs.logits', undefined, /outputs.logits is mandatory/],
    ['outputs.logits', { name: 'logits', shape: [1, 4] }, /outputs.logits.shape must be \[1,3\] for 3 labels/],
    ['outputs.attention', { name: 'x', shape: [1] }, /outputs key "attention" must be one of logits/],
  ];
  for (const [path, value, message] of cases) {
    it(`names the problem with ${path}`, () => {
      expect(() => validateManifest(withField(path, value), 'models/tiny.json')).toThrow(message);
    });
  }

  it('names the file and says when the text is not JSON', () => {
    expect(() => parseManifest('{"format": ', 'models/broken.json')).toThrow(/^models\/broken.json: not valid JSON/);
  });
});
