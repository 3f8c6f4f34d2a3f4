import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer, type ViteDevServer } from 'vite';
import { CONTENT_SECURITY_POLICY } from '../../../scripts/csp';

// The dev server must behave like the production server: same headers, /healthz, models/ under /models/.
let server: ViteDevServer;
let base: string;

beforeAll(async () => {
  server = await createServer({
    configFile: new URL('../../../vite.config.ts', import.meta.url).pathname,
    logLevel: 'silent',
    server: { port: 0, strictPort: false, host: '127.0.0.1', hmr: false, watch: null },
    optimizeDeps: { noDiscovery: true, include: [] },
  });
  await server.listen();
  base = server.resolvedUrls?.local[0] ?? '';
});

afterAll(async () => {
  await server?.close();
});

describe('vite dev server (vite.config.ts)', () => {
  it('serves the renderer on 127.0.0.1 with COOP/COEP and the shared CSP', async () => {
    expect(base).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    const response = await fetch(base);
    expect(response.status).toBe(200);
    expect(response.headers.get('cross-origin-opener-policy')).toBe('same-origin');
    expect(response.headers.get('cross-origin-embedder-policy')).toBe('require-corp');
    expect(response.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);
  });

  it('answers /healthz and /models/ itself instead of falling back to index.html', async () => {
    const health = await fetch(new URL('healthz', base));
    expect(await health.json()).toEqual({ status: 'ok' });
    const missing = await fetch(new URL('models/no-such-model.onnx', base));
    expect(missing.status).toBe(404);
    expect(missing.headers.get('content-type')).not.toContain('text/html');
    // Only the models/ middleware (shared static-file rules) answers a traversal attempt with 400. A raw request:
    // fetch() would resolve the %2e%2e segment itself.
    const { hostname, port } = new URL(base);
    const status = await new Promise<number | undefined>((resolve, reject) => {
      request({ hostname, port, path: '/models/%2e%2e/package.json' }, (response) => {
        response.resume();
        resolve(response.statusCode);
      })
        .on('error', reject)
        .end();
    });
    expect(status).toBe(400);
  });
});
