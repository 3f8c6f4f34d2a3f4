/**
 * npm run settings -- [--data DIR] show | set KEY VALUE | unset KEY
 *
 * Reads and writes the settings file (settings.json in the data folder) that the local server and the Electron app
 * act on: the carer target, the kiosk PIN hash and every key of docs/monitoring.md. A change is validated as a
 * whole before the file is replaced, and is used from the next notification or page load on.
 */
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { defaultDataFolder, readSettings, SETTINGS_FILE_NAME, withSetting, writeSettings } from '../src/settings/settings-file';

const USAGE = `usage: npm run settings -- [--data DIR] show | set KEY VALUE | unset KEY
  show       the settings file (kiosk.pinHash shown as set/not set)
  set        e.g. set alerts.carer.url http://192.168.1.20:8080/alarm ; set alerts.carer.enabled true
             VALUE is read as JSON when it is JSON (true, 5000, "text"), else as text
  unset      back to the default
  --data     data folder (default ${defaultDataFolder()}; $SENTINEL_DATA overrides it)`;

function parseValue(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

export async function runSettings(argv: readonly string[], out: (line: string) => void): Promise<void> {
  const { values, positionals } = parseArgs({ args: [...argv], options: { data: { type: 'string' } }, allowPositionals: true });
  const folder = values.data ?? defaultDataFolder();
  const [command, key, value, ...extra] = positionals;
  const current = await readSettings(folder);
  if (command === 'show' && key === undefined) {
    const pinHash = current.kiosk?.pinHash;
    const shown = pinHash ? withSetting(current, 'kiosk.pinHash', '(set)') : current;
    out(`${join(folder, SETTINGS_FILE_NAME)}:\n${JSON.stringify(shown, null, 2)}`);
  } else if (command === 'set' && key !== undefined && value !== undefined && extra.length === 0) {
    await writeSettings(folder, withSetting(current, key, parseValue(value)));
    out(`${key} saved in ${join(folder, SETTINGS_FILE_NAME)}`);
  } else if (command === 'unset' && key !== undefined && value === undefined) {
    await writeSettings(folder, withSetting(current, key, undefined));
    out(`${key} removed from ${join(folder, SETTINGS_FILE_NAME)}`);
  } else {
    throw new Error(USAGE);
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  runSettings(process.argv.slice(2), (line) => console.log(line)).catch((error: unknown) => {
    console.error(`settings: ${(error as Error).message}`);
    process.exitCode = 2;
  });
}
