/** Synthetic inputs for the core tests: a standing BlazePose-33 person (canonical or image landmarks), NTU .skeleton text. */
import { getLayout } from '../../../src/skeleton/layout';
import type { Landmark, Person, PoseFrame } from '../../../src/skeleton/types';

const blazepose = getLayout('blazepose33');

/** Canonical pose (units of image height, y up) with the hip centre at (x, y). */
export function canonicalPerson(x: number, y = -0.2, visibility = 0.9): Landmark[] {
  return blazepose.joints.map((name, v) => {
    const height = name.includes('hip') ? 0 : name.includes('shoulder') ? 0.3 : (v % 7) * 0.08 - 0.2;
    const side = name.startsWith('left') ? 0.05 : name.startsWith('right') ? -0.05 : 0;
    return [x + side, y + height, 0, visibility];
  });
}

/** The same person as MediaPipe image landmarks of a width×height image (inverse of toCanonical). */
export function imagePerson(x: number, y: number, width: number, height: number): Person {
  const aspect = width / height;
  const landmarks = canonicalPerson(x, y).map(([cx, cy, cz, visibility]): Landmark => [cx / aspect + 0.5, 0.5 - cy, -cz / aspect, visibility]);
  return { landmarks, world: landmarks.map(([lx, ly, lz, visibility]): Landmark => [lx - 0.5, ly - 0.5, lz, visibility]) };
}

export function poseFrame(t: number, hipXs: number[], width = 640, height = 480): PoseFrame {
  return { t, width, height, people: hipXs.map((x) => imagePerson(x, -0.2, width, height)) };
}

/** A tiny NTU .skeleton text: frames × bodies, joint j of body b at x = b + j/100. */
export function ntuText(bodiesPerFrame: number[]): string {
  const lines = [String(bodiesPerFrame.length)];
  for (const bodies of bodiesPerFrame) {
    lines.push(String(bodies));
    for (let b = 0; b < bodies; b++) {
      lines.push(`7205759403792793${b} 0 1 1 1 1 0 0.1 0.2 2`, '25');
      for (let j = 0; j < 25; j++) lines.push(`${b + j / 100} 0.5 3.2 250 200 1000 500 0.1 0.2 0.3 0.9 ${j === 3 ? 1 : 2}`);
    }
  }
  return `${lines.join('\r\n')}\r\n`;
}
