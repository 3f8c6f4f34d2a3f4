import { describe, expect, it } from 'vitest';
import { importanceColour, maxOf, minOf } from '../../../src/overlay/colours';

describe('importanceColour', () => {
  it('runs from blue for the least to red for the most important', () => {
    expect(importanceColour(0, 0.5)).toBe('hsl(220 90% 55%)');
    expect(importanceColour(0.5, 0.5)).toBe('hsl(0 90% 55%)');
    expect(importanceColour(0.25, 0.5)).toBe('hsl(110 90% 55%)');
  });

  it('clamps and survives a zero maximum or NaN', () => {
    expect(importanceColour(2, 1)).toBe('hsl(0 90% 55%)');
    expect(importanceColour(0.3, 0)).toBe('hsl(220 90% 55%)');
    expect(importanceColour(Number.NaN, 1)).toBe('hsl(220 90% 55%)');
  });

  it('can span a given min..max range', () => {
    expect(importanceColour(0.015, 0.02, 0.01)).toBe('hsl(110 90% 55%)');
    expect(importanceColour(0.01, 0.01, 0.01)).toBe('hsl(220 90% 55%)');
  });

  it('maxOf and minOf are 0 for an empty array', () => {
    expect(minOf(new Float32Array(0))).toBe(0);
    expect(minOf([0.3, 0.1])).toBe(0.1);
    expect(maxOf(new Float32Array(0))).toBe(0);
    expect(maxOf([0.1, 0.7, 0.2])).toBe(0.7);
  });
});
