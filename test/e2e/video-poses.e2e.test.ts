// The CLI's video path: a video file → the app's pose worker in headless Chromium → a skeleton recording →
// the CLI's recording reader.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openSource } from '../../cli/sources';
import { videoToRecording } from '../../cli/video-poses';
import { REPO_ROOT } from '../../scripts/headless/app-server';
import { makeTestClip } from '../../scripts/headless/chromium';

describe('video file → poses for the CLI', () => {
  it('estimates poses on the frames of a webm, timed by their position in the file', async () => {
    const video = makeTestClip(join(REPO_ROOT, 'test-results', 'media'), 2, 'webm');
    // Through the CLI's own source dispatch, so the video reader wiring is covered too.
    const source = await openSource(video, { tolerant: false });
    expect(source.layout).toBe('blazepose33');
    expect(source.description).toContain('person-rotating-2s.webm');
    const frames = [];
    for await (const frame of source.frames()) frames.push(frame);
    expect(frames.length).toBeGreaterThanOrEqual(10);
    expect(frames.filter((frame) => frame.people.length === 1).length).toBeGreaterThanOrEqual(frames.length * 0.9);
    // Media time: the recording spans the 2 s clip, not the (slower) wall time it took to process.
    expect(frames.at(-1)!.t - frames[0]!.t).toBeLessThanOrEqual(2000);
    expect(source.issues()).toEqual([]);
  });

  it('rejects a file that is not a playable video, with the browser\'s reason', async () => {
    const folder = join(REPO_ROOT, 'test-results', 'media');
    mkdirSync(folder, { recursive: true });
    const broken = join(folder, 'not-a-video.webm');
    writeFileSync(broken, 'this is text, not a WebM file\n'.repeat(100));
    await expect(videoToRecording(broken)).rejects.toThrow(/not-a-video\.webm: not a video file this browser can read/);
  });
});
