// Shared by the e2e tests, the benchmarks, the real-people check and the CLI's video path.
// Builds the renderer into its own folder (dist/ is shared with `npm run web` and Electron builds) unless that
// build is newer than every source file, and serves it with the production static server on a random local port.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { MonitoringOverrides } from '../../src/settings/config';
import { writeSettings } from '../../src/settings/settings-file';
import { startStaticServer } from '../serve';

export const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url));
const APP_DIST = join(REPO_ROOT, 'test-results', 'app-dist');
const SOURCES = ['index.html', 'video-poses.html', 'src', 'config', 'models', 'assets', 'vite.config.ts'];

function newestMtime(path: string): number {
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return readdirSync(path).reduce((newest, name) => Math.max(newest, newestMtime(join(path, name))), stat.mtimeMs);
}

/** Builds unless the last test build is newer than the renderer's sources (SENTINEL_REBUILD=1 forces it). */
export function ensureBuilt(): string {
  const index = join(APP_DIST, 'index.html');
  const fresh =
    existsSync(index) &&
    process.env.SENTINEL_REBUILD !== '1' &&
    statSync(index).mtimeMs >= Math.max(...SOURCES.map((p) => join(REPO_ROOT, p)).filter(existsSync).map(newestMtime));
  if (fresh) return APP_DIST;
  const run = (args: string[]): void => void execFileSync('npx', args, { cwd: REPO_ROOT, stdio: ['ignore', 'ignore', 'inherit'] });
  run(['tsx', 'scripts/models-index.ts']);
  run(['vite', 'build', '--logLevel', 'error', '--outDir', APP_DIST, '--emptyOutDir']);
  return APP_DIST;
}

export interface ServedApp {
  url: string;
  /** The served build folder. */
  root: string;
  /** A fresh data folder (settings, kiosk lockout), removed on close. */
  dataFolder: string;
  close(): Promise<void>;
}

/** `settings`: the settings file to serve with; `kiosk`: started as a kiosk (`--kiosk`); `station`: as a carer station. */
export async function serveApp(options: { settings?: MonitoringOverrides; kiosk?: boolean; station?: boolean; dataFolder?: string } = {}): Promise<ServedApp> {
  const root = ensureBuilt();
  const dataFolder = options.dataFolder ?? mkdtempSync(join(tmpdir(), 'sentinel-data-'));
  if (options.settings) await writeSettings(dataFolder, options.settings);
  const { server, url } = await startStaticServer({ root, host: '127.0.0.1', port: 0, dataFolder, kiosk: options.kiosk ?? false, station: options.station ?? false, auth: false });
  return {
    url,
    root,
    dataFolder,
    async close() {
      await closeServer(server);
      if (!options.dataFolder) rmSync(dataFolder, { recursive: true, force: true });
    },
  };
}

function closeServer(server: Server): Promise<void> {
  server.closeAllConnections();
  return new Promise((resolve) => server.close(() => resolve()));
}
