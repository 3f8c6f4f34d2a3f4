import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONTENT_SECURITY_POLICY } from '../../../scripts/csp';
import { parseServeArgs, startStaticServer } from '../../../scripts/serve';
import { isCrossSiteRequest, parseRange, resolveStaticPath } from '../../../scripts/static-files';

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
  ({ server, url: base } = await startStaticServer({ root, host: '127.0.0.1', port: 0 }));
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

describe('carer relay route', () => {
  const notification = { source: 'skeleton-sentinel', id: 'e1', type: 'fall', message: 'Fall detected' };

  it('forwards a same-origin POST /api/notify to a local carer system', async () => {
    const received: unknown[] = [];
    const carer = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        received.push(JSON.parse(Buffer.concat(chunks).toString()));
        response.writeHead(200).end();
      });
    });
    await new Promise<void>((resolve) => carer.listen(0, '127.0.0.1', resolve));
    try {
      const carerUrl = `http://127.0.0.1:${(carer.address() as AddressInfo).port}/alerts`;
      const response = await fetch(new URL('api/notify', base), {
        method: 'POST',
        headers: { 'content-type': 'application/json', origin: base.slice(0, -1) },
        body: JSON.stringify({ url: carerUrl, notification }),
      });
      expect(response.status).toBe(204);
      expect(received).toEqual([notification]);
    } finally {
      carer.close();
    }
  });

  it('refuses cross-site callers before relaying anything', async () => {
    const response = await fetch(new URL('api/notify', base), {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: 'https://evil.example' },
      body: JSON.stringify({ url: 'http://127.0.0.1:9/', notification }),
    });
    expect(response.status).toBe(403);
  });

  it('classifies callers by Sec-Fetch-Site, else by Origin against Host', () => {
    expect(isCrossSiteRequest({ 'sec-fetch-site': 'same-origin', host: 'a' })).toBe(false);
    expect(isCrossSiteRequest({ 'sec-fetch-site': 'cross-site', host: 'a' })).toBe(true);
    expect(isCrossSiteRequest({ 'sec-fetch-site': 'same-site', host: 'a' })).toBe(true);
    expect(isCrossSiteRequest({ origin: 'http://127.0.0.1:8080', host: '127.0.0.1:8080' })).toBe(false);
    expect(isCrossSiteRequest({ origin: 'http://localhost:8080', host: '127.0.0.1:8080' })).toBe(true);
    expect(isCrossSiteRequest({ origin: 'null', host: '127.0.0.1:8080' })).toBe(true);
    expect(isCrossSiteRequest({ host: '127.0.0.1:8080' })).toBe(false);
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
  it('defaults to 127.0.0.1 and reads --port, --host, --root', () => {
    expect(parseServeArgs([])).toMatchObject({ host: '127.0.0.1', port: 8080 });
    expect(parseServeArgs(['--port', '0', '--host=0.0.0.0', '--root', '/srv/app'])).toEqual({
      port: 0,
      host: '0.0.0.0',
      root: '/srv/app',
    });
  });

  it('rejects bad values with a usage message', () => {
    expect(() => parseServeArgs(['--port', 'eighty'])).toThrow(/--port must be/);
    expect(() => parseServeArgs(['--port', '70000'])).toThrow(/--port must be/);
    expect(() => parseServeArgs(['--port'])).toThrow(/needs a value/);
    expect(() => parseServeArgs(['--verbose'])).toThrow(/unknown argument/);
  });
});
