import layoutFile from './layouts.json';
import type { Landmark } from './types';

/** Names of the layouts in src/skeleton/layouts.json (the single source of the tables). */
export type LayoutName = keyof typeof layoutFile.layouts;

export interface Layout {
  name: LayoutName;
  joints: readonly string[];
  root: number;
  center: readonly number[];
  /** [child, parent] pairs of the bone tree. */
  bones: readonly (readonly [number, number])[];
  /** Graph edges for drawing and for ST-GCN style adjacency. */
  edges: readonly (readonly [number, number])[];
  /** mirror[v] = the joint that v becomes after a left/right swap. */
  mirror: readonly number[];
  torsoTop: readonly number[];
  torsoBottom: readonly number[];
  /** parents[v] = parent of v in the bone tree; the root is its own parent (its bone is 0). */
  parents: readonly number[];
  /** Joints of the agcn-v1 view normalisation (src/skeleton/view-normalise.ts); absent: the layout cannot use it. */
  viewAlignment?: ViewAlignment;
}

/** 2s-AGCN view alignment: `centre` is subtracted per frame; bones are [from, to] joint pairs. */
export interface ViewAlignment {
  centre: number;
  up: readonly [number, number];
  across: readonly [number, number];
}

/** A weighted sum of source joints per target joint (weights sum to 1). */
export type LayoutMapping = readonly (readonly (readonly [source: number, weight: number])[])[];

const pair = (value: number[]): readonly [number, number] => {
  if (value.length !== 2) throw new Error(`layouts.json: expected a [child, parent] pair, got ${JSON.stringify(value)}`);
  return [value[0]!, value[1]!];
};

function buildLayout(name: LayoutName): Layout {
  const spec = layoutFile.layouts[name];
  const bones = spec.bones.map(pair);
  const parents = spec.joints.map((_, index) => index);
  for (const [child, parent] of bones) parents[child] = parent;
  return {
    name,
    joints: spec.joints,
    root: spec.root,
    center: spec.center,
    bones,
    edges: spec.edges.map(pair),
    mirror: spec.mirror,
    torsoTop: spec.torso.top,
    torsoBottom: spec.torso.bottom,
    parents,
    ...('viewAlignment' in spec
      ? { viewAlignment: { centre: spec.viewAlignment.centre, up: pair(spec.viewAlignment.up), across: pair(spec.viewAlignment.across) } }
      : {}),
  };
}

const LAYOUTS = new Map<string, Layout>(
  (Object.keys(layoutFile.layouts) as LayoutName[]).map((name) => [name, buildLayout(name)]),
);

export const LAYOUT_NAMES = [...LAYOUTS.keys()] as LayoutName[];

export function isLayoutName(name: string): name is LayoutName {
  return LAYOUTS.has(name);
}

export function getLayout(name: string): Layout {
  const layout = LAYOUTS.get(name);
  if (!layout) {
    throw new Error(`unknown skeleton layout "${name}"; known: ${LAYOUT_NAMES.join(', ')} (src/skeleton/layouts.json)`);
  }
  return layout;
}

const MAPPINGS = new Map<string, LayoutMapping>(
  Object.entries(layoutFile.mappings).map(([name, spec]) => [
    name,
    spec.weights.map((terms) => terms.map((term) => pair(term))),
  ]),
);

/** The mapping from one layout to another; identity when they are the same. */
export function getMapping(from: LayoutName, to: LayoutName): LayoutMapping {
  if (from === to) return getLayout(from).joints.map((_, index) => [[index, 1] as const]);
  const mapping = MAPPINGS.get(`${from}_to_${to}`);
  if (!mapping) throw new Error(`no mapping from layout "${from}" to "${to}" in src/skeleton/layouts.json`);
  return mapping;
}

/**
 * Converts joints stored as consecutive [x, y, z, visibility] quadruples (V_in * 4 numbers) to another layout.
 * Coordinates are weighted sums; visibility is the minimum over the sources, because a derived joint is only as
 * visible as its least visible ingredient.
 */
export function convertJoints(joints: ArrayLike<number>, mapping: LayoutMapping, out: Float64Array): Float64Array {
  mapping.forEach((terms, target) => {
    let x = 0;
    let y = 0;
    let z = 0;
    let visibility = Infinity;
    for (const [source, weight] of terms) {
      const offset = source * 4;
      x += weight * joints[offset]!;
      y += weight * joints[offset + 1]!;
      z += weight * joints[offset + 2]!;
      visibility = Math.min(visibility, joints[offset + 3]!);
    }
    out[target * 4] = x;
    out[target * 4 + 1] = y;
    out[target * 4 + 2] = z;
    out[target * 4 + 3] = visibility;
  });
  return out;
}

/** Converts one pose between layouts, e.g. for drawing an NTU skeleton from MediaPipe landmarks. */
export function convertLandmarks(landmarks: readonly Landmark[], from: LayoutName, to: LayoutName): Landmark[] {
  const source = getLayout(from);
  if (landmarks.length !== source.joints.length) {
    throw new Error(`expected ${source.joints.length} landmarks for layout "${from}", got ${landmarks.length}`);
  }
  const mapping = getMapping(from, to);
  const out = convertJoints(landmarks.flat(), mapping, new Float64Array(mapping.length * 4));
  return mapping.map((_, index) => [out[index * 4]!, out[index * 4 + 1]!, out[index * 4 + 2]!, out[index * 4 + 3]!]);
}

export function blazePose33ToNtu25(landmarks: readonly Landmark[]): Landmark[] {
  return convertLandmarks(landmarks, 'blazepose33', 'ntu25');
}

/**
 * Left/right mirror of canonical landmarks (x negated, joints swapped by the layout's mirror table).
 * Only valid for canonical coordinates, where x = 0 is the image centre.
 */
export function mirrorLandmarks(landmarks: readonly Landmark[], layoutName: LayoutName): Landmark[] {
  const { mirror } = getLayout(layoutName);
  if (landmarks.length !== mirror.length) {
    throw new Error(`expected ${mirror.length} landmarks for layout "${layoutName}", got ${landmarks.length}`);
  }
  return mirror.map((source) => {
    const [x, y, z, visibility] = landmarks[source]!;
    return [-x, y, z, visibility];
  });
}
