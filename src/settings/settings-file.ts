// The user's settings (overrides of config/monitoring.defaults.json) live in one file in the app's data folder,
// where the host that acts on them reads them: the local server (scripts/serve.ts) and Electron main. The carer
// target and the kiosk PIN hash are used only there; the page never chooses or sees them. Node only.
import { randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { resolveMonitoringConfig, type MonitoringOverrides } from './config';
import { checkPinHashFormat } from './pin-hash-format';

export const SETTINGS_FILE_NAME = 'settings.json';
/** One folder for the browser kiosk, Electron and the CLIs (Electron's userData is pointed at it). */
export const DATA_FOLDER_NAME = 'skeleton-sentinel';

export class SettingsFileError extends Error {
  override name = 'SettingsFileError';
}

/** $SENTINEL_DATA, else where Electron keeps per-user app data on this platform (appData) + DATA_FOLDER_NAME. */
export function defaultDataFolder(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform, home = homedir()): string {
  if (env.SENTINEL_DATA) return env.SENTINEL_DATA;
  const appData =
    platform === 'win32'
      ? (env.APPDATA ?? join(home, 'AppData', 'Roaming'))
      : platform === 'darwin'
        ? join(home, 'Library', 'Application Support')
        : (env.XDG_CONFIG_HOME ?? join(home, '.config'));
  return join(appData, DATA_FOLDER_NAME);
}

/** Parsed JSON of `path`, or undefined when there is no such file. */
export async function readJsonFile(path: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new SettingsFileError(`${path}: cannot be read (${(error as Error).message})`);
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new SettingsFileError(`${path}: not valid JSON (${(error as Error).message})`);
  }
}

/** Writes JSON readable by this user only, through a uniquely named temp file renamed over the target. */
export async function writeJsonFileAtomically(path: string, value: unknown): Promise<void> {
  await mkdir(dirname(path), { recursive: true, mode: 0o700 });
  const temp = `${path}.${randomBytes(6).toString('hex')}.tmp`;
  try {
    await writeFile(temp, `${JSON.stringify(value, null, 2)}\n`, { mode: 0o600 });
    await rename(temp, path);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
}

function validated(value: unknown, path: string): MonitoringOverrides {
  try {
    const { pinHash } = resolveMonitoringConfig(value).kiosk;
    if (pinHash !== '') checkPinHashFormat(pinHash);
  } catch (error) {
    throw new SettingsFileError(`${path}: ${(error as Error).message}`);
  }
  return value as MonitoringOverrides;
}

/** The settings in `folder` ({} when there is no file); a file that is not valid settings throws, naming it. */
export async function readSettings(folder: string): Promise<MonitoringOverrides> {
  const path = join(folder, SETTINGS_FILE_NAME);
  return validated((await readJsonFile(path)) ?? {}, path);
}

/** Validates `overrides` as a whole and only then replaces the settings file. */
export async function writeSettings(folder: string, overrides: MonitoringOverrides): Promise<void> {
  const path = join(folder, SETTINGS_FILE_NAME);
  await writeJsonFileAtomically(path, validated(overrides, path));
}

/** What the page gets: everything but the secrets, which only the host uses (PIN hash, broker password, webhook secret). */
export function pageSettings(overrides: MonitoringOverrides): MonitoringOverrides {
  const page = structuredClone(overrides);
  delete page.kiosk?.pinHash;
  delete page.alerts?.carer?.mqtt?.password;
  delete page.alerts?.carer?.webhook?.secret;
  return page;
}

/** `overrides` with the dotted `key` set to `value` (undefined removes it), e.g. "alerts.carer.url". */
export function withSetting(overrides: MonitoringOverrides, key: string, value: unknown): MonitoringOverrides {
  const names = key.split('.');
  if (names.some((name) => name === '' || name === '__proto__' || name === 'constructor' || name === 'prototype')) {
    throw new SettingsFileError(`"${key}" is not a setting name (dotted keys such as alerts.carer.url; see docs/monitoring.md)`);
  }
  const copy = structuredClone(overrides) as Record<string, unknown>;
  let node = copy;
  for (const name of names.slice(0, -1)) {
    const child = node[name];
    node = node[name] = typeof child === 'object' && child !== null && !Array.isArray(child) ? (child as Record<string, unknown>) : {};
  }
  const last = names.at(-1)!;
  if (value === undefined) delete node[last];
  else node[last] = value;
  return copy as MonitoringOverrides;
}
