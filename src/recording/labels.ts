/**
 * Segment label sidecar NAME.labels.json beside a recording NAME.jsonl (docs/training-loop.md step 2; read by
 * training/recordings.py). Times are ms on the recording's own clock (the frames' `t`), end exclusive.
 */
export const LABELS_FORMAT = 'skeleton-recording-labels';

export interface LabelSegment {
  start: number;
  end: number;
  /** A name of training/labels/default.json. */
  label: string;
}

export interface LabelSidecar {
  format: typeof LABELS_FORMAT;
  version: 1;
  subject?: number;
  camera?: number;
  /** Whether the recording shows a fall (for the fall evaluation). */
  fall?: boolean;
  /** When the fall starts, ms after the recording's first frame; absent when unknown. */
  fallAtMs?: number;
  /** Where the labels came from, for a person checking them (e.g. the dataset's CSV row). */
  origin?: string;
  segments: LabelSegment[];
}

/** REC.jsonl → REC.labels.json */
export function labelSidecarPath(recordingPath: string): string {
  return `${recordingPath.replace(/\.jsonl$/i, '')}.labels.json`;
}

/** One segment per line: small diffs and easy reading. */
export function labelSidecarText(sidecar: LabelSidecar): string {
  const { segments, ...rest } = sidecar;
  const head = JSON.stringify(rest).slice(0, -1);
  const lines = segments.map((segment) => `    ${JSON.stringify({ start: segment.start, end: segment.end, label: segment.label })}`);
  return `${head},\n  "segments": [\n${lines.join(',\n')}\n  ]}\n`;
}
