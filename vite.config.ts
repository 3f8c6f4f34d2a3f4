// Renderer build (index.html + src/ui/main.ts) for `npm run build`, `npm run web` and the dev server, plus the
// headless page video-poses.html that `npm run poses` drives (it shares the pose worker chunk with the app).
// assets/ (wasm runtimes, pose bundles: see scripts/setup-assets.ts) is served at / and copied into dist/;
// models/ (ONNX + manifests) is served at /models/ and copied to dist/models/.

import { cpSync, existsSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defaultClientConditions, defineConfig, type Plugin } from 'vite';
import { defaultDataFolder } from './src/settings/settings-file';
import { HostService } from './src/kiosk/host-service';
import { SECURITY_HEADERS } from './scripts/csp';
import { handleHostRoute } from './scripts/host-routes';
import { newToken } from './scripts/request-guard';
import { resolveStaticRequest, sendStaticReply } from './scripts/static-files';

const REPO_ROOT = fileURLToPath(new URL('.', import.meta.url));
const MODELS_DIR = join(REPO_ROOT, 'models');
const MODELS_URL_PREFIX = '/models';

type Next = (error?: unknown) => void;

/**
 * Makes the dev and preview servers answer like the production server (scripts/serve.ts): models/ under /models/
 * (with Range), /healthz and the host API (settings from the default data folder; never a kiosk).
 * Copies models/ into the build.
 */
function productionRoutes(): Plugin {
  let outDir = join(REPO_ROOT, 'dist');
  let host: HostService | undefined;
  const guard = { token: newToken() };
  const middleware = (request: IncomingMessage, response: ServerResponse, next: Next): void => {
    host ??= new HostService({ dataFolder: defaultDataFolder(), kiosk: false });
    if (handleHostRoute(request, response, host, guard)) return;
    const url = request.url ?? '/';
    if (!url.startsWith(`${MODELS_URL_PREFIX}/`)) return next();
    resolveStaticRequest(MODELS_DIR, {
      method: request.method ?? 'GET',
      path: url.slice(MODELS_URL_PREFIX.length),
      range: request.headers.range,
    })
      .then((reply) => sendStaticReply(reply, request.method, response))
      .catch(next);
  };
  return {
    name: 'skeleton-sentinel-production-routes',
    configResolved(config) {
      outDir = resolve(config.root, config.build.outDir);
    },
    configureServer(server) {
      server.middlewares.use(middleware);
    },
    configurePreviewServer(server) {
      server.middlewares.use(middleware);
    },
    writeBundle() {
      if (existsSync(MODELS_DIR)) cpSync(MODELS_DIR, join(outDir, 'models'), { recursive: true, filter: (path) => !path.endsWith('.parity.json') }); // parity files: for the tests only
    },
  };
}

export default defineConfig({
  root: REPO_ROOT,
  base: './', // relative URLs: the same build works from http://127.0.0.1 and from Electron's app:// origin
  publicDir: 'assets',
  plugins: [productionRoutes()],
  server: { host: '127.0.0.1', headers: { ...SECURITY_HEADERS } },
  preview: { host: '127.0.0.1', headers: { ...SECURITY_HEADERS } },
  // The pose worker is created with { type: 'module' } (src/pose/pose-estimator.ts), so workers build as ES modules.
  worker: { format: 'es' },
  resolve: {
    // onnxruntime-web's build without embedded wasm glue: it loads glue and wasm from ort.env.wasm.wasmPaths
    // (the app sets <base>/ort/, filled by npm run setup) instead of Vite emitting a second 28 MB copy.
    conditions: ['onnxruntime-web-use-extern-wasm', ...defaultClientConditions],
  },
  // Pre-bundling would move onnxruntime-web away from the files it resolves at run time.
  optimizeDeps: { exclude: ['onnxruntime-web'] },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: true,
    // Keep wasm runtimes and models as files; they are large and loaded by URL.
    assetsInlineLimit: 0,
    rolldownOptions: { input: { main: join(REPO_ROOT, 'index.html'), 'video-poses': join(REPO_ROOT, 'video-poses.html') } },
  },
});
