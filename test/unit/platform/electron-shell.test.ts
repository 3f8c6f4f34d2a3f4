import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { handleAppRequest } from '../../../electron/app-protocol';
import { bridgeArguments, readBridgeArguments } from '../../../electron/bridge';
import { RestartBackoff, shouldRestartAfter } from '../../../electron/crash-restart';
import { parseLaunchOptions } from '../../../electron/launch-options';
import { APP_ORIGIN } from '../../../electron/security';
import { CONTENT_SECURITY_POLICY } from '../../../scripts/csp';

describe('launch options', () => {
  it('reads --kiosk and --station among Electron and Chromium arguments', () => {
    expect(parseLaunchOptions(['/usr/bin/electron', '.'])).toEqual({ kiosk: false, station: false });
    expect(parseLaunchOptions(['/usr/bin/electron', '.', '--no-sandbox', '--kiosk'])).toEqual({ kiosk: true, station: false });
    expect(parseLaunchOptions(['skeleton-sentinel', '--kiosk=true'])).toEqual({ kiosk: true, station: false });
    expect(parseLaunchOptions(['skeleton-sentinel', '--kiosk', '--kiosk=0'])).toEqual({ kiosk: false, station: false });
    expect(parseLaunchOptions(['skeleton-sentinel', '--kiosk-printing'])).toEqual({ kiosk: false, station: false });
    expect(parseLaunchOptions(['skeleton-sentinel', '--station'])).toEqual({ kiosk: false, station: true });
  });

  it('rejects a malformed value with a clear message', () => {
    expect(() => parseLaunchOptions(['app', '--kiosk=maybe'])).toThrow(/--kiosk takes true or false/);
  });
});

describe('renderer crash restart back-off', () => {
  const options = { initialDelayMs: 1000, maxDelayMs: 8000, stableAfterMs: 60_000 };

  it('doubles the delay for crashes in a row, up to the maximum', () => {
    const backoff = new RestartBackoff(options);
    const delays: number[] = [];
    let now = 0;
    for (let i = 0; i < 6; i++) {
      backoff.started(now);
      now += 500;
      delays.push(backoff.crashed(now));
      now += delays.at(-1) as number;
    }
    expect(delays).toEqual([1000, 2000, 4000, 8000, 8000, 8000]);
  });

  it('starts again from the initial delay after the renderer stayed up long enough', () => {
    const backoff = new RestartBackoff(options);
    backoff.started(0);
    backoff.crashed(100);
    backoff.started(1100);
    expect(backoff.crashed(1200)).toBe(2000);
    backoff.started(3200);
    expect(backoff.crashed(3200 + 60_000)).toBe(1000);
  });

  it('restarts after crashes and kills, not after a clean exit', () => {
    for (const reason of ['crashed', 'killed', 'oom', 'abnormal-exit', 'launch-failed', 'integrity-failure']) {
      expect(shouldRestartAfter(reason)).toBe(true);
    }
    expect(shouldRestartAfter('clean-exit')).toBe(false);
  });

  it('rejects nonsensical settings', () => {
    expect(() => new RestartBackoff({ initialDelayMs: 0, maxDelayMs: 10, stableAfterMs: 0 })).toThrow(RangeError);
    expect(() => new RestartBackoff({ initialDelayMs: 10, maxDelayMs: 5, stableAfterMs: 0 })).toThrow(RangeError);
  });
});

describe('preload bridge arguments', () => {
  it('round-trips the version through process.argv (kiosk mode comes from main over IPC, not from arguments)', () => {
    const argv = ['/opt/app/electron', '--type=renderer', ...bridgeArguments({ version: '0.1.0' })];
    expect(readBridgeArguments(argv)).toEqual({ version: '0.1.0' });
    expect(readBridgeArguments(['--type=renderer'])).toEqual({ version: 'unknown' });
  });
});

describe('app:// protocol handler', () => {
  const workDir = mkdtempSync(join(tmpdir(), 'app-protocol-'));
  const root = join(workDir, 'dist');
  mkdirSync(join(root, 'ort'), { recursive: true });
  writeFileSync(join(root, 'index.html'), '<!doctype html><title>app</title>');
  writeFileSync(join(root, 'ort', 'ort-wasm-simd-threaded.wasm'), Buffer.alloc(100, 7));
  writeFileSync(join(workDir, 'secret.txt'), 'secret');
  afterAll(() => rmSync(workDir, { recursive: true, force: true }));

  it('serves the renderer with the shared security headers', async () => {
    const response = await handleAppRequest(root, new Request(`${APP_ORIGIN}/index.html`));
    expect(response.status).toBe(200);
    expect(response.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);
    expect(response.headers.get('cross-origin-embedder-policy')).toBe('require-corp');
    expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(await response.text()).toContain('<title>app</title>');
  });

  it('answers Range requests (video seeking) with 206 and wasm with its MIME type', async () => {
    const response = await handleAppRequest(
      root,
      new Request(`${APP_ORIGIN}/ort/ort-wasm-simd-threaded.wasm`, { headers: { Range: 'bytes=90-' } }),
    );
    expect(response.status).toBe(206);
    expect(response.headers.get('content-type')).toBe('application/wasm');
    expect(response.headers.get('content-range')).toBe('bytes 90-99/100');
    expect(new Uint8Array(await response.arrayBuffer())).toEqual(new Uint8Array(10).fill(7));
  });

  it('refuses other hosts, missing files and traversal', async () => {
    expect((await handleAppRequest(root, new Request('app://other-host/index.html'))).status).toBe(404);
    expect((await handleAppRequest(root, new Request(`${APP_ORIGIN}/missing.js`))).status).toBe(404);
    const traversal = await handleAppRequest(root, new Request(`${APP_ORIGIN}/..%2fsecret.txt`));
    expect([400, 404]).toContain(traversal.status);
    expect(await traversal.text()).not.toContain('secret');
  });
});
