import { describe, expect, it } from 'vitest';
import {
  frameLine,
  parseNtuSkeleton,
  parseRecording,
  readRecording,
  RecordingParser,
  RecordingWriter,
  type RecordingHeader,
} from '../../../src/recording';
import { ntuText, poseFrame } from './pose-helpers';

const header: RecordingHeader = { format: 'skeleton-recording', version: 1, layout: 'blazepose33', fps: 30, width: 640, height: 480, source: 'test' };

function recordingText(frameCount: number): string {
  let text = '';
  const writer = new RecordingWriter((line) => (text += line), header);
  for (let i = 0; i < frameCount; i++) writer.append(poseFrame(i * 33.3, i % 2 ? [0.1] : [0.1, -0.4]));
  expect(writer.frames).toBe(frameCount);
  return text;
}

async function* chunksOf(text: string, size: number): AsyncGenerator<string> {
  for (let i = 0; i < text.length; i += size) yield text.slice(i, i + size);
}

describe('skeleton recording', () => {
  it('round-trips frames through the writer and the reader (6 decimals)', () => {
    const text = recordingText(3);
    expect(text.split('\n')[0]).toBe('{"format":"skeleton-recording","version":1,"layout":"blazepose33","fps":30,"width":640,"height":480,"source":"test"}');
    const { header: read, frames, issues } = parseRecording(text);
    expect(read).toEqual(header);
    expect(issues).toEqual([]);
    const original = poseFrame(33.3, [0.1]);
    expect(frames[1]!.t).toBe(33.3);
    expect(frames[1]!.width).toBe(640);
    frames[1]!.people[0]!.landmarks.forEach((landmark, v) =>
      landmark.forEach((value, c) => expect(Math.abs(value - original.people[0]!.landmarks[v]![c]!)).toBeLessThanOrEqual(5e-7)),
    );
    expect(frames.map((frame) => frame.people.length)).toEqual([2, 1, 2]);
  });

  it('streams from arbitrary chunks, CRLF included', async () => {
    const text = recordingText(4).replaceAll('\n', '\r\n');
    const parser = new RecordingParser();
    const frames = [];
    for await (const frame of readRecording(chunksOf(text, 100), parser)) frames.push(frame);
    expect(frames.map((frame) => frame.t)).toEqual([0, 33.3, 66.6, 99.9]);
  });

  it('names the line of a malformed frame; tolerant mode skips it and keeps the rest', () => {
    const lines = recordingText(4).split('\n');
    lines[2] = lines[2]!.slice(0, 50); // truncated JSON (line 3)
    lines[4] = lines[4]!.replace('"landmarks":[[', '"landmarks":[[1,2],['); // a bad landmark (line 5)
    const text = lines.join('\n');
    expect(() => parseRecording(text, { source: 'walk.jsonl' })).toThrow(/^walk.jsonl:3: not valid JSON/);
    const { frames, issues } = parseRecording(text, { tolerant: true });
    expect(frames.map((frame) => frame.t)).toEqual([0, 66.6]);
    expect(issues.map((issue) => issue.line)).toEqual([3, 5]);
    expect(issues[1]!.message).toMatch(/people\[0\]\.landmarks must be 33 landmarks, got 34/);
  });

  it('reports a number too large for a double (1e999) as not finite, not as null', () => {
    const lines = recordingText(2).split('\n');
    lines[1] = lines[1]!.replace(/"landmarks":\[\[[^\]]*\]/, '"landmarks":[[1e999,0.5,0,1]');
    const { issues } = parseRecording(lines.join('\n'), { tolerant: true });
    expect(issues[0]!.message).toMatch(/landmarks\[0\] must be \[x, y, z, visibility\] \(4 finite numbers\), got \[not finite,0.5,0,1\]/);
  });

  it('rejects frames whose time does not increase', () => {
    const text = recordingText(2) + frameLine(poseFrame(10, [0]));
    expect(() => parseRecording(text)).toThrow(/recording:4: t=10 does not increase \(previous frame: t=33.3\)/);
  });

  it('refuses a file that is not a skeleton recording, even in tolerant mode', () => {
    expect(() => parseRecording('RIFF....WAVEfmt', { tolerant: true, source: 'clip.avi' })).toThrow(/^clip.avi:1: not a skeleton recording: the first line is not JSON/);
    expect(() => parseRecording('{"format":"skeleton-recording","version":2}')).toThrow(/header: version must be 1, got 2/);
    expect(() => parseRecording('', { source: 'empty.jsonl' })).toThrow(/empty.jsonl:1: empty file/);
  });
});

describe('NTU RGB+D .skeleton reader', () => {
  it('reads frames, bodies and joints into canonical ntu25 coordinates', () => {
    const frames = parseNtuSkeleton(ntuText([1, 2, 0]));
    expect(frames.map((frame) => frame.bodies.length)).toEqual([1, 2, 0]);
    expect(frames[1]!.t).toBeCloseTo(1000 / 30);
    const body = frames[1]!.bodies[1]!;
    expect(body.bodyId).toBe('72057594037927931');
    expect(body.joints[2]).toEqual([1.02, 0.5, -3.2, 1]);
    expect(body.joints[3]![3]).toBe(0.5); // inferred joint
    expect(body.color[0]).toEqual([1000, 500]);
  });

  it('names the line of a malformed file', () => {
    const lines = ntuText([1]).split('\r\n');
    lines[10] = '0.1 0.2';
    expect(() => parseNtuSkeleton(lines.join('\n'), 'S001.skeleton')).toThrow(/^S001.skeleton:11: expected joint 7 of a body in frame 1 \(12 numbers\), got "0.1 0.2"/);
    expect(() => parseNtuSkeleton('2\n0\n', 'short.skeleton')).toThrow(/file ends where the body count of frame 2 was expected/);
    expect(() => parseNtuSkeleton('1\n0\n5\n', 'long.skeleton')).toThrow(/long.skeleton:3: unexpected data after the 1 frames/);
  });
});
