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
    expect(manifest.input.preprocess).toBe('torso-v1'); // absent: the default pipeline
    expect(manifest.outputs.frame_importance?.inputDependent).toBeUndefined();
  });

  it('keeps an output marked as the same for every input', () => {
    const manifest = validManifest();
    ((manifest.outputs as Record<string, Record<string, unknown>>).frame_importance!).inputDependent = false;
    expect(validateManifest(manifest).outputs.frame_importance?.inputDependent).toBe(false);
  });

  it('accepts the 2s-AGCN pipeline with its view normalisation on a layout that has view alignment joints', () => {
    const manifest = validManifest();
    Object.assign(manifest.input as Record<string, unknown>, { preprocess: '2s-agcn', normalisation: { method: 'agcn-v1', minVisibility: 0.5 } });
    expect(validateManifest(manifest).input).toMatchObject({ preprocess: '2s-agcn', normalisation: { method: 'agcn-v1' } });
    const blaze = validManifest();
    Object.assign(blaze.input as Record<string, unknown>, { layout: 'blazepose33', shape: [1, 6, 16, 33, 2], normalisation: { method: 'agcn-v1', minVisibility: 0.5 } });
    expect(() => validateManifest(blaze, 'models/tiny.json')).toThrow(/agcn-v1 needs a layout with viewAlignment joints; "blazepose33" has none/);
  });

  const cases: [string, unknown, RegExp][] = [
    ['format', 'other', /format must be "skeleton-sentinel-model"/],
    ['version', 2, /version must be 1/],
    ['family', 'cnn', /family must be one of st-gcn, st-tr, st-bln, san, stst, ensemble, got "cnn"/],
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
    ['input.normalisation.method', 'z-score', /input.normalisation.method must be one of torso-v1, torso-frame-v1, agcn-v1, got "z-score"/],
    ['input.preprocess', 'mean-pad', /input.preprocess must be one of torso-v1, 2s-agcn, stst, san, got "mean-pad"/],
    ['input.preprocess', 'stst', /input.preprocess is "stst", which crops and resamples whole recorded clips .* the app labels a live window and cannot run it: export the model with preprocess torso-v1 or 2s-agcn/],
    ['input.preprocess', 'san', /input.preprocess is "san", which crops and resamples whole recorded clips/],
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

describe('the streaming section', () => {
  /** One-person, 16-frame version of the valid manifest with a streaming section. */
  function streamingManifest(changes: (streaming: Record<string, unknown>, manifest: Record<string, unknown>) => void = () => undefined) {
    const manifest = validManifest();
    const input = manifest.input as Record<string, unknown>;
    Object.assign(input, { shape: [1, 6, 16, 25, 1], persons: 1, normalisation: { method: 'torso-frame-v1', minVisibility: 0.5 } });
    const streaming: Record<string, unknown> = {
      onnx: { file: 'tiny.stream.onnx', opset: 17, sha256: 'cd' },
      frame: { name: 'frame', shape: [1, 6, 1, 25] },
      states: [{ input: 'block0', output: 'block0_next', shape: [1, 8, 8, 25] }, { input: 'pool', output: 'pool_next', shape: [1, 8, 8] }],
      logits: 'logits',
      receptiveField: 9,
      warmupFrames: 16,
    };
    changes(streaming, manifest);
    return { ...manifest, streaming };
  }

  it('also loads the first format, one frame (1, C, V) per call', () => {
    const { streaming } = validateManifest(streamingManifest((s) => (s.frame = { name: 'frame', shape: [1, 6, 25] })));
    expect(streaming!.frame.shape).toEqual([1, 6, 25]);
  });

  it('is optional: a manifest without it loads with no streaming spec', () => {
    expect(validateManifest(validManifest()).streaming).toBeUndefined();
  });

  it('loads with its ONNX file, frame, states and warm-up', () => {
    const { streaming, input } = validateManifest(streamingManifest());
    expect(input.normalisation.method).toBe('torso-frame-v1');
    expect(streaming).toMatchObject({ onnx: { file: 'tiny.stream.onnx' }, frame: { shape: [1, 6, 1, 25] }, warmupFrames: 16 });
    expect(streaming!.states.map((state) => state.input)).toEqual(['block0', 'pool']);
  });

  const cases: [string, (streaming: Record<string, unknown>, manifest: Record<string, unknown>) => void, RegExp][] = [
    ['a frame shape off the input', (s) => (s.frame = { name: 'frame', shape: [1, 3, 1, 25] }), /streaming.frame.shape must be \[1,6,1,25\] \(1, C, 1, V of input.shape\) or \[1,6,25\]/],
    ['a warm-up other than the window', (s) => (s.warmupFrames = 12), /streaming.warmupFrames must equal input.window \(16\), got 12/],
    ['a receptive field beyond the warm-up', (s) => (s.receptiveField = 17), /streaming.receptiveField \(17\) must not exceed/],
    ['no states', (s) => (s.states = []), /streaming.states must be a non-empty array/],
    ['a state without the batch axis', (s) => (s.states = [{ input: 'a', output: 'b', shape: [8, 8] }]), /streaming.states\[0\].shape must start with the batch axis 1/],
    ['an ONNX path outside the models folder', (s) => (s.onnx = { file: '../x.onnx', opset: 17, sha256: 'cd' }), /streaming.onnx.file must be the name of an .onnx file beside the manifest/],
    ['two person slots', (_, m) => Object.assign(m.input as object, { shape: [1, 6, 16, 25, 2], persons: 2 }), /streaming needs input.persons 1/],
  ];
  for (const [what, change, message] of cases) {
    it(`names the problem with ${what}`, () => {
      expect(() => validateManifest(streamingManifest(change), 'models/tiny.json')).toThrow(message);
    });
  }
});
