/**
 * What a skeleton source of the CLI is, and the readers of skeleton files: JSON Lines recordings and NTU
 * .skeleton files. A source yields canonical frames (docs/skeleton.md) of one layout. cli/sources.ts picks a reader
 * by file extension; cli/video-poses.ts turns a video into a recording and reads it with recordingReader.
 */
import { createReadStream } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { parseNtuSkeleton } from '../src/recording/ntu';
import { readRecording, RecordingParser, splitLines, type RecordingIssue } from '../src/recording/format';
import type { LayoutName } from '../src/skeleton/layout';
import { poseFrameToCanonical, type CanonicalFrame } from '../src/window/frames';

export interface SkeletonSource {
  layout: LayoutName;
  /** One line for the report, e.g. "skeleton recording, 640x480, source webcam". */
  description: string;
  frames(): AsyncIterable<CanonicalFrame>;
  /** Lines skipped in tolerant mode, known once frames() is exhausted. */
  issues(): RecordingIssue[];
}

export interface SourceOptions {
  tolerant: boolean;
}

export interface SourceReader {
  extensions: readonly string[];
  open(path: string, options: SourceOptions): Promise<SkeletonSource>;
}

export class SourceError extends Error {
  override name = 'SourceError';
}

export const recordingReader: SourceReader = {
  extensions: ['.jsonl'],
  async open(path, { tolerant }) {
    // Read the header now so a wrong file fails before the model loads; leaving the loop closes the stream.
    const probe = new RecordingParser({ source: path });
    for await (const line of splitLines(createReadStream(path, { encoding: 'utf8' }))) {
      probe.pushLine(line); // throws unless the first non-blank line is a valid header
      if (probe.header) break;
    }
    const header = probe.finish();
    const parser = new RecordingParser({ tolerant, source: path });
    return {
      layout: header.layout,
      description: `skeleton recording, ${header.width}x${header.height}, ${header.fps} fps, source "${header.source}"`,
      async *frames() {
        for await (const frame of readRecording(createReadStream(path, { encoding: 'utf8' }), parser)) yield poseFrameToCanonical(frame);
      },
      issues: () => parser.issues,
    };
  },
};

export const ntuReader: SourceReader = {
  extensions: ['.skeleton'],
  async open(path) {
    const frames = parseNtuSkeleton(await readFile(path, 'utf8'), path);
    return {
      layout: 'ntu25',
      description: `NTU RGB+D skeleton, ${frames.length} frames at 30 fps`,
      async *frames() {
        for (const frame of frames) yield { t: frame.t, people: frame.bodies.map((body) => body.joints) };
      },
      issues: () => [],
    };
  },
};

/** Video files the app's Chromium can play (not .y4m or .avi). */
export const VIDEO_EXTENSIONS = ['.mp4', '.webm', '.mov', '.mkv', '.m4v', '.ogv'];
