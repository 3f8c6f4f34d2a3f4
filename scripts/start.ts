// npm start [-- --kiosk | --station]: the desktop app (--station: the carer station, docs/carer-station.md). With
// Electron's binary installed, Electron; without it (a machine that could not download it), one line saying so,
// then the same app served on loopback and opened in the system's Chromium or Chrome as an app window
// (scripts/app-window.ts). Closing the window ends it — except in a kiosk that has not been left with the PIN:
// Chromium's own close keys cannot be blocked, so the window opens again.
//
//   tsx scripts/start.ts [--kiosk | --station] [--data DIR] [--root dist]      (after npm run build)

import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { defaultDataFolder } from '../src/settings/settings-file';
import { findBrowser, openAppWindow } from './app-window';
import { findElectron } from './electron-binary';
import { startStaticServer } from './serve';

const REPO_ROOT = fileURLToPath(new URL('..', import.meta.url));

async function main(argv: readonly string[]): Promise<number> {
  const { values } = parseArgs({
    args: [...argv],
    options: { kiosk: { type: 'boolean', default: false }, station: { type: 'boolean', default: false }, data: { type: 'string' }, root: { type: 'string' } },
  });
  const electron = findElectron();
  if (electron) {
    const child = spawn(electron.executable, [REPO_ROOT, ...(values.kiosk ? ['--kiosk'] : []), ...(values.station ? ['--station'] : [])], { stdio: 'inherit' });
    return new Promise((done) => child.on('exit', (code) => done(code ?? 1)));
  }
  const browser = findBrowser();
  if (!browser) {
    console.error("Skeleton Sentinel: neither Electron's binary nor Chromium/Chrome is installed; install one (Debian: apt install chromium), or run `npm run web` and open the URL it prints.");
    return 1;
  }
  console.log(`Electron's binary is not installed (npm could not download it): opening Skeleton Sentinel in ${browser} instead.`);
  const root = resolve(values.root ?? join(REPO_ROOT, 'dist'));
  if (!existsSync(join(root, 'index.html'))) {
    console.error(`Skeleton Sentinel: ${root} has no index.html: run "npm run build" first.`);
    return 1;
  }
  const dataFolder = resolve(values.data ?? defaultDataFolder());
  const { server, url, service } = await startStaticServer({ root, host: '127.0.0.1', port: 0, dataFolder, kiosk: values.kiosk, station: values.station, auth: false });
  let stopping = false;
  let window: Awaited<ReturnType<typeof openAppWindow>> | null = null;
  const stop = () => {
    stopping = true;
    void window?.close().catch(() => {});
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  for (;;) {
    const current = await openAppWindow({ url, browser, profileFolder: join(dataFolder, 'chromium-profile'), kiosk: service.kiosk });
    window = current;
    const closed = new Promise<void>((done) => current.once('close', () => done()));
    if (stopping) await current.close();
    console.log(`Skeleton Sentinel is open at ${url}${service.kiosk ? ' as a kiosk: only the exit PIN ends it' : '; closing the window ends it'}.`);
    await closed;
    if (stopping || !service.kiosk) break;
    console.log('The kiosk window was closed without the exit PIN: opening it again.');
  }
  server.closeAllConnections();
  await new Promise((done) => server.close(done));
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(`Skeleton Sentinel: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  },
);
