import { describe, expect, it } from 'vitest';
import { describeJson } from '../../../src/describe-json';

describe('describeJson (values quoted in error messages)', () => {
  it('writes numbers as JSON does, and non-finite ones as "not finite" instead of null', () => {
    expect(describeJson(JSON.parse('[1e999, -1e999, 0.5, 1e21, null]'))).toBe('[not finite,not finite,0.5,1e+21,null]');
    expect(describeJson(Number.NaN)).toBe('not finite');
    expect(describeJson({ x: Infinity })).toBe('{"x":not finite}');
  });

  it('keeps a string that merely contains the words, says "nothing" for undefined, and shortens long values', () => {
    expect(describeJson('not finite')).toBe('"not finite"');
    expect(describeJson(undefined)).toBe('nothing');
    expect(describeJson('x'.repeat(100), 20)).toBe(`"${'x'.repeat(16)}...`);
  });
});
