// The CLI's video path: a video file → every frame through the app's pose worker in headless Chromium → a skeleton
// recording → the CLI's recording reader (npm run classify -- VIDEO); and a browser page that dies mid-batch.
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { openSource } from '../../cli/sources';
import { VideoPoseSession, videoToRecording } from '../../cli/video-poses';
import { REPO_ROOT } from '../../scripts/headless/app-server';
import { makeTestClip } from '../../scripts/headless/chromium';

describe('video file → poses for the CLI', () => {
  it('estimates poses on every frame of a webm (VP8), timed by their position in the file', async () => {
    const video = makeTestClip(join(REPO_ROOT, 'test-results', 'media'), 2, 'webm');
    const expected = execFileSync('ffprobe', ['-v', 'error', '-select_streams', 'v:0', '-show_entries', 'frame=pts_time', '-of', 'csv=p=0', video], { encoding: 'utf8' })
      .split('\n').map((line) => line.replace(/,$/, '').trim()).filter(Boolean).map((seconds) => Number(seconds) * 1000);
    // Through the CLI's own source dispatch, so the video reader wiring is covered too.
    const source = await openSource(video, { tolerant: false });
    expect(source.layout).toBe('blazepose33');
    expect(source.description).toContain('person-rotating-2s.webm');
    const frames = [];
    for await (const frame of source.frames()) frames.push(frame);
    expect(expected).toHaveLength(60);
    expect(frames.map((frame) => frame.t)).toEqual(expected.map((t) => expect.closeTo(t, 3)));
    expect(frames.filter((frame) => frame.people.length === 1).length).toBeGreaterThanOrEqual(frames.length * 0.9);
    expect(source.issues()).toEqual([]);
  });

  it('rejects a file that is not a playable video, with the reason', async () => {
    const folder = join(REPO_ROOT, 'test-results', 'media');
    mkdirSync(folder, { recursive: true });
    const broken = join(folder, 'not-a-video.webm');
    writeFileSync(broken, 'this is text, not a WebM file\n'.repeat(100));
    await expect(videoToRecording(broken)).rejects.toThrow(/not-a-video\.webm: not a video file this browser can read/);
  });

  it('fails only the file whose page crashed, and converts the next one in a fresh page', async () => {
    const clip = join(REPO_ROOT, 'test/fixtures/gmdcsa24/Subject 3/Fall/20.mp4');
    const session = await VideoPoseSession.open();
    try {
      await session.setFiles([clip, clip]);
      let crashed = 0;
      const first = await session.convert(0, 'lite', () => {
        // The renderer dies the way an out-of-memory tab does (CDP Page.crash), after a few frames.
        if (++crashed !== 3) return;
        const page = (session as unknown as { page: Page }).page;
        void page.context().newCDPSession(page).then((cdp) => cdp.send('Page.crash')).catch(() => undefined);
      });
      expect(first).toMatchObject({ ok: false, message: expect.stringMatching(/^the browser page failed: /) });
      let frames = 0;
      const second = await session.convert(1, 'lite', () => frames++);
      expect(second).toMatchObject({ ok: true, frames: 37, repeatedTimestamps: 0 });
      expect(frames).toBe(37);
    } finally {
      await session.close();
    }
  });
});
