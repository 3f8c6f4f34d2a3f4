// The headless Chromium of the CLI, the benchmarks and these tests (scripts/headless/chromium.ts) runs the app for a
// while with the fake webcam; its own net log must show no attempt to reach anything but this machine.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { REPO_ROOT, serveApp } from '../../scripts/headless/app-server';
import { launchChromium, makeTestClip } from '../../scripts/headless/chromium';
import { isLoopback, offMachineAttempts } from './helpers/netlog';

const folder = mkdtempSync(join(tmpdir(), 'sentinel-netlog-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

describe('offline headless Chromium', () => {
  it('tells loopback from other hosts', () => {
    for (const local of ['127.0.0.1:443', '[::1]:80', 'localhost', 'http://127.0.0.1:9/ListAccounts', 'ws://localhost:5173/']) {
      expect(isLoopback(local), local).toBe(true);
    }
    for (const remote of ['https://accounts.google.com/ListAccounts', '8.8.8.8:53', '[2001:4860:4860::8888]:443', '0.0.0.0:80', 'http://127.0.0.1.example.com/']) {
      expect(isLoopback(remote), remote).toBe(false);
    }
  });

  it('running the app for 20 s, it neither resolves nor connects to any host but this machine', async () => {
    const app = await serveApp();
    const netLog = join(folder, 'net-log.json');
    const browser = await launchChromium({
      fakeVideo: makeTestClip(join(REPO_ROOT, 'test-results', 'media'), 4),
      extraArgs: [`--log-net-log=${netLog}`, '--net-log-capture-mode=Default'],
    });
    try {
      const page = await browser.context.newPage();
      await page.goto(`${app.url}?autostart&pose=lite`);
      // Google's update and account checks started within ~5-15 s of launch before the switches were set.
      await page.waitForTimeout(20_000);
    } finally {
      await browser.close(); // the net log is complete once the browser has shut down
      await app.close();
    }
    expect(offMachineAttempts(netLog)).toEqual([]);
  });
});
