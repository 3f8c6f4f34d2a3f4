import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request as httpRequest, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONTENT_SECURITY_POLICY } from '../../../scripts/csp';
import { parseServeArgs, startStaticServer } from '../../../scripts/serve';
import { parseRange, resolveStaticPath } from '../../../scripts/static-files';

const workDir = mkdtempSync(join(tmpdir(), 'serve-test-'));
const root = join(workDir, 'dist');
const payload = Buffer.from(Array.from({ length: 1000 }, (_, i) => i % 256));
let server: Server;
let base: string;

beforeAll(async () => {
  mkdirSync(join(root, 'mediapipe'), { recursive: true });
  writeFileSync(join(root, 'index.html'), '<!doctype html><title>app</title>');
  for (const name of ['a.wasm', 'b.mjs', 'c.onnx', 'd.json', 'mediapipe/pose.task', 'clip.webm']) writeFileSync(join(root, name), payload);
  writeFileSync(join(workDir, 'secret.txt'), 'outside the root');
  ({ server, url: base } = await startStaticServer({ root, host: '127.0.0.1', port: 0, dataFolder: join(workDir, 'data'), kiosk: false, auth: false }));
});

afterAll(() => {
  server.close();
  rmSync(workDir, { recursive: true, force: true });
});

/** Raw request: fetch() would normalise `..` away before it reaches the server. */
function rawGet(path: string): Promise<{ status: number; body: string }> {
  const { hostname, port } = new URL(base);
  return new Promise((resolve, reject) => {
    httpRequest({ hostname, port, path, method: 'GET' }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, body: Buffer.concat(chunks).toString() }));
    })
      .on('error', reject)
      .end();
  });
}

describe('static server', () => {
  it('prints a URL on 127.0.0.1 with the chosen random port', () => {
    expect(base).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    expect(base).not.toBe('http://127.0.0.1:0/');
  });

  it('serves index.html with cross-origin isolation and the CSP', async () => {
    const response = await fetch(base);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(response.headers.get('cross-origin-opener-policy')).toBe('same-origin');
    expect(response.headers.get('cross-origin-embedder-policy')).toBe('require-corp');
    expect(response.headers.get('cross-origin-resource-policy')).toBe('same-origin');
    expect(response.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);
    expect(CONTENT_SECURITY_POLICY).toContain("connect-src 'self';");
    expect(await response.text()).toContain('<title>app</title>');
  });

  it.each([
    ['a.wasm', 'application/wasm'],
    ['b.mjs', 'text/javascript; charset=utf-8'],
    ['c.onnx', 'application/octet-stream'],
    ['d.json', 'application/json; charset=utf-8'],
    ['mediapipe/pose.task', 'application/octet-stream'],
    ['clip.webm', 'video/webm'],
  ])('serves %s as %s with its bytes', async (path, type) => {
    const response = await fetch(new URL(path, base));
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe(type);
    expect(response.headers.get('accept-ranges')).toBe('bytes');
    expect(Buffer.from(await response.arrayBuffer()).equals(payload)).toBe(true);
  });

  it.each([
    ['bytes=10-19', 10, 19],
    ['bytes=990-', 990, 999],
    ['bytes=-5', 995, 999],
    ['bytes=995-5000', 995, 999],
  ])('answers Range %s with 206 and those bytes', async (range, start, end) => {
    const response = await fetch(new URL('clip.webm', base), { headers: { Range: range } });
    expect(response.status).toBe(206);
    expect(response.headers.get('content-range')).toBe(`bytes ${start}-${end}/1000`);
    expect(response.headers.get('content-length')).toBe(String(end - start + 1));
    expect(Buffer.from(await response.arrayBuffer()).equals(payload.subarray(start, end + 1))).toBe(true);
  });

  it('answers an unsatisfiable Range with 416 and the size', async () => {
    const response = await fetch(new URL('clip.webm', base), { headers: { Range: 'bytes=1000-' } });
    expect(response.status).toBe(416);
    expect(response.headers.get('content-range')).toBe('bytes */1000');
  });

  it('answers HEAD with the length and no body', async () => {
    const response = await fetch(new URL('a.wasm', base), { method: 'HEAD' });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-length')).toBe('1000');
    expect(await response.text()).toBe('');
  });

  it.each(['/../secret.txt', '/%2e%2e/secret.txt', '/..%2fsecret.txt', '/mediapipe/..%5c..%5csecret.txt', '/%00'])(
    'refuses the path traversal %s',
    async (path) => {
      const response = await rawGet(path);
      expect([400, 404]).toContain(response.status);
      expect(response.body).not.toContain('outside the root');
    },
  );

  it('answers 404 for missing files and directories, 405 for other methods, 200 on /healthz', async () => {
    expect((await fetch(new URL('missing.js', base))).status).toBe(404);
    expect((await fetch(new URL('mediapipe', base))).status).toBe(404);
    expect((await fetch(base, { method: 'POST', body: 'x' })).status).toBe(405);
    const health = await fetch(new URL('healthz', base));
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ status: 'ok' });
  });
});

describe('parseRange', () => {
  it('ignores what it need not honour and flags what cannot be satisfied', () => {
    expect(parseRange(undefined, 10)).toBeUndefined();
    expect(parseRange('items=0-1', 10)).toBeUndefined();
    expect(parseRange('bytes=0-1,4-5', 10)).toBeUndefined();
    expect(parseRange('bytes=5-2', 10)).toBeUndefined();
    expect(parseRange('bytes=0-0', 10)).toEqual({ start: 0, end: 0 });
    expect(parseRange('bytes=10-', 10)).toBe('unsatisfiable');
    expect(parseRange('bytes=-0', 10)).toBe('unsatisfiable');
    expect(parseRange('bytes=-20', 10)).toEqual({ start: 0, end: 9 });
  });
});

describe('resolveStaticPath', () => {
  it('maps URL paths inside the root and refuses the rest', () => {
    expect(resolveStaticPath('/srv/app', '/')).toBe('/srv/app/index.html');
    expect(resolveStaticPath('/srv/app', '/models/ttr%20lite.onnx')).toBe('/srv/app/models/ttr lite.onnx');
    expect(resolveStaticPath('/srv/app', '/a/../../etc/passwd')).toBeUndefined();
    expect(resolveStaticPath('/srv/app', '/%E0%A4%A')).toBeUndefined();
    expect(resolveStaticPath('/srv/app', 'relative')).toBeUndefined();
  });
});

describe('parseServeArgs', () => {
  it('defaults to 127.0.0.1, not a kiosk, no auth, and reads --port, --host, --root, --data, --kiosk, --station, --auth', () => {
    expect(parseServeArgs([])).toMatchObject({ host: '127.0.0.1', port: 8080, kiosk: false, station: false, auth: false });
    expect(parseServeArgs(['--station'])).toMatchObject({ kiosk: false, station: true });
    expect(parseServeArgs(['--port', '0', '--host=::1', '--root', '/srv/app', '--data', '/var/sentinel', '--kiosk'])).toEqual({
      port: 0,
      host: '::1',
      root: '/srv/app',
      dataFolder: '/var/sentinel',
      kiosk: true,
      station: false,
      auth: false,
    });
    expect(parseServeArgs(['--host', '0.0.0.0', '--auth'])).toMatchObject({ host: '0.0.0.0', auth: true });
  });

  it('refuses a non-loopback --host unless --auth also asks for the access key', () => {
    for (const host of ['0.0.0.0', '192.168.1.10', '::', '[::]']) {
      expect(() => parseServeArgs(['--host', host]), host).toThrow(/would let other machines use the app and its carer relay; add --auth/);
    }
    expect(() => parseServeArgs(['--host', 'localhost'])).not.toThrow();
    expect(() => parseServeArgs(['--host', '127.0.0.2'])).not.toThrow();
  });

  it('rejects bad values with a usage message', () => {
    expect(() => parseServeArgs(['--port', 'eighty'])).toThrow(/--port must be/);
    expect(() => parseServeArgs(['--port', '70000'])).toThrow(/--port must be/);
    expect(() => parseServeArgs(['--port'])).toThrow(/needs a value/);
    expect(() => parseServeArgs(['--verbose'])).toThrow(/unknown argument/);
  });
});
