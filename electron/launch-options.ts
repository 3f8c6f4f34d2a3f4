// Command-line options of the Electron app. Chromium and Electron switches share argv, so unknown
// arguments are left alone rather than rejected.

export interface LaunchOptions {
  /** Fullscreen kiosk window that keeps the display awake (eldercare kiosks). */
  kiosk: boolean;
}

const TRUE_VALUES = new Set(['', '1', 'true', 'yes', 'on']);
const FALSE_VALUES = new Set(['0', 'false', 'no', 'off']);

export class LaunchOptionsError extends Error {
  override name = 'LaunchOptionsError';
}

/** Reads `--kiosk` (also `--kiosk=true|false|1|0`) from Electron's process.argv. */
export function parseLaunchOptions(argv: readonly string[]): LaunchOptions {
  let kiosk = false;
  for (const argument of argv) {
    const match = /^--kiosk(?:=(.*))?$/.exec(argument);
    if (!match) continue;
    const value = (match[1] ?? '').toLowerCase();
    if (TRUE_VALUES.has(value)) kiosk = true;
    else if (FALSE_VALUES.has(value)) kiosk = false;
    else throw new LaunchOptionsError(`--kiosk takes true or false, got "${match[1]}"`);
  }
  return { kiosk };
}
