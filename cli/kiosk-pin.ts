/**
 * npm run kiosk:pin -- PIN [--save] [--data DIR]
 *
 * Prints the kiosk.pinHash value for the PIN (the PIN itself is never stored); with --save, also writes it into the
 * settings file that the local server and the Electron app check kiosk exit against.
 */
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { defaultDataFolder, readSettings, SETTINGS_FILE_NAME, withSetting, writeSettings } from '../src/settings/settings-file';
import { hashPin } from '../src/kiosk/pin';

const USAGE = `usage: npm run kiosk:pin -- PIN [--save] [--data DIR]   (PIN: 4 to 12 digits; data folder default ${defaultDataFolder()})`;

async function main(): Promise<void> {
  const { values, positionals } = parseArgs({ options: { save: { type: 'boolean' }, data: { type: 'string' } }, allowPositionals: true });
  const [pin, ...rest] = positionals;
  if (pin === undefined || rest.length > 0) throw new Error(USAGE);
  const hash = await hashPin(pin);
  console.log(hash);
  if (values.save) {
    const folder = values.data ?? defaultDataFolder();
    await writeSettings(folder, withSetting(await readSettings(folder), 'kiosk.pinHash', hash));
    console.error(`saved as kiosk.pinHash in ${join(folder, SETTINGS_FILE_NAME)}`);
  }
}

main().catch((error: unknown) => {
  console.error(`kiosk:pin: ${(error as Error).message}`);
  process.exit(2);
});
