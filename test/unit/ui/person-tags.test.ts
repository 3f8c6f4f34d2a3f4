import { describe, expect, it } from 'vitest';
import { containRect, personTagPosition } from '../../../src/overlay/person-tags';
import type { Landmark } from '../../../src/skeleton/types';

describe('containRect', () => {
  it('letterboxes a wide frame in a 4:3 box and pillarboxes a tall one', () => {
    expect(containRect(1280, 720, 800, 600)).toEqual({ x: 0, y: 75, scale: 0.625 });
    expect(containRect(480, 640, 800, 600)).toEqual({ x: 175, y: 0, scale: 0.9375 });
  });
});

describe('personTagPosition', () => {
  const person: Landmark[] = [
    [0.4, 0.2, 0, 0.9],
    [0.6, 0.6, 0, 0.9],
    [0.9, 0.05, 0, 0.1], // hidden: ignored
  ];
  const frame = { width: 640, height: 480 };
  const stage = { width: 800, height: 600 };

  it('sits above the highest visible landmark at their mean x', () => {
    expect(personTagPosition(person, 0.5, frame, stage, false)).toEqual({ left: 400, top: 120 });
  });

  it('follows the mirrored video', () => {
    const shifted: Landmark[] = person.map(([x, y, z, v]) => [x - 0.2, y, z, v]);
    expect(personTagPosition(shifted, 0.5, frame, stage, true)!.left).toBeCloseTo(560);
  });

  it('is null when nothing is visible', () => {
    expect(personTagPosition([[0.5, 0.5, 0, 0.2]], 0.5, frame, stage, false)).toBeNull();
  });
});
