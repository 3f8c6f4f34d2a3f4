import { describe, expect, it } from 'vitest';
import { isSoftwareRenderer, pickDelegate } from '../../../src/pose/delegate';
import { median } from '../../../src/stats';

describe('pose delegate choice', () => {
  it('treats software WebGL (and no WebGL) as no GPU', () => {
    expect(isSoftwareRenderer('ANGLE (Google, Vulkan 1.3.0 (SwiftShader Device (Subzero)), SwiftShader driver)')).toBe(true);
    expect(isSoftwareRenderer('llvmpipe (LLVM 15.0.6, 256 bits)')).toBe(true);
    expect(isSoftwareRenderer(null)).toBe(true);
    expect(isSoftwareRenderer('ANGLE (NVIDIA, NVIDIA GeForce RTX 3060 Direct3D11 vs_5_0 ps_5_0)')).toBe(false);
  });

  it('picks GPU only when it measured faster than CPU', () => {
    expect(pickDelegate([{ delegate: 'CPU', medianMs: 40 }, { delegate: 'GPU', medianMs: 12 }])).toBe('GPU');
    expect(pickDelegate([{ delegate: 'CPU', medianMs: 40 }, { delegate: 'GPU', medianMs: 1500 }])).toBe('CPU');
    expect(pickDelegate([{ delegate: 'CPU', medianMs: 40 }, { delegate: 'GPU', medianMs: null }])).toBe('CPU');
    expect(pickDelegate([{ delegate: 'CPU', medianMs: 40 }])).toBe('CPU');
  });

  it('median of odd and even counts', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([])).toBeNull();
  });
});
