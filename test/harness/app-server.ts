// Builds the renderer once (or reuses dist/ when it is newer than every source file) and serves it with the
// production static server on a random local port.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import type { Server } from 'node:http';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startStaticServer } from '../../scripts/serve';

export const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url));
const DIST = join(REPO_ROOT, 'dist');
const SOURCES = ['index.html', 'src', 'models', 'vite.config.ts'];

function newestMtime(path: string): number {
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return readdirSync(path).reduce((newest, name) => Math.max(newest, newestMtime(join(path, name))), stat.mtimeMs);
}

/** `npm run build` unless dist/ is already newer than the renderer's sources (set SENTINEL_REBUILD=1 to force). */
export function ensureBuilt(): void {
  const index = join(DIST, 'index.html');
  const fresh =
    existsSync(index) &&
    process.env.SENTINEL_REBUILD !== '1' &&
    statSync(index).mtimeMs >= Math.max(...SOURCES.map((p) => join(REPO_ROOT, p)).filter(existsSync).map(newestMtime));
  if (fresh) return;
  execFileSync('npm', ['run', 'build', '--silent'], { cwd: REPO_ROOT, stdio: ['ignore', 'ignore', 'inherit'] });
}

export interface ServedApp {
  url: string;
  close(): Promise<void>;
}

export async function serveApp(): Promise<ServedApp> {
  ensureBuilt();
  const { server, url } = await startStaticServer({ root: DIST, host: '127.0.0.1', port: 0 });
  return { url, close: () => closeServer(server) };
}

function closeServer(server: Server): Promise<void> {
  server.closeAllConnections();
  return new Promise((resolve) => server.close(() => resolve()));
}
