// Command-line options of the Electron app. Chromium and Electron switches share argv, so unknown
// arguments are left alone rather than rejected.

export interface LaunchOptions {
  /** Fullscreen kiosk window that keeps the display awake (eldercare kiosks). */
  kiosk: boolean;
  /** The carer station screen (every kiosk on the broker) instead of the camera. */
  station: boolean;
}

const TRUE_VALUES = new Set(['', '1', 'true', 'yes', 'on']);
const FALSE_VALUES = new Set(['0', 'false', 'no', 'off']);

export class LaunchOptionsError extends Error {
  override name = 'LaunchOptionsError';
}

/** Reads `--kiosk` and `--station` (also `--kiosk=true|false|1|0`) from Electron's process.argv. */
export function parseLaunchOptions(argv: readonly string[]): LaunchOptions {
  const options: LaunchOptions = { kiosk: false, station: false };
  for (const argument of argv) {
    const match = /^--(kiosk|station)(?:=(.*))?$/.exec(argument);
    if (!match) continue;
    const name = match[1] as keyof LaunchOptions;
    const value = (match[2] ?? '').toLowerCase();
    if (TRUE_VALUES.has(value)) options[name] = true;
    else if (FALSE_VALUES.has(value)) options[name] = false;
    else throw new LaunchOptionsError(`--${name} takes true or false, got "${match[2]}"`);
  }
  return options;
}
