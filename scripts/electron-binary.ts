// Where the Electron executable is, without the `electron` package's own lookup (requiring it starts a download
// when the binary is missing). Used by `npm start` and `npm run dist`.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ELECTRON_PACKAGE = fileURLToPath(new URL('../node_modules/electron/', import.meta.url));
const EXECUTABLE: Partial<Record<NodeJS.Platform, string>> = {
  darwin: 'Electron.app/Contents/MacOS/Electron',
  win32: 'electron.exe',
};

export interface ElectronBinary {
  /** The unpacked Electron build (electron-builder's electronDist). */
  distFolder: string;
  executable: string;
}

/** ELECTRON_OVERRIDE_DIST_PATH, else the binary the `electron` package downloaded; null when there is none. */
export function findElectron(env: NodeJS.ProcessEnv = process.env, packageFolder = ELECTRON_PACKAGE): ElectronBinary | null {
  const pathFile = join(packageFolder, 'path.txt');
  const name = existsSync(pathFile) ? readFileSync(pathFile, 'utf8').trim() : (EXECUTABLE[process.platform] ?? 'electron');
  const distFolder = env.ELECTRON_OVERRIDE_DIST_PATH || join(packageFolder, 'dist');
  const executable = join(distFolder, name);
  return existsSync(executable) ? { distFolder, executable } : null;
}
