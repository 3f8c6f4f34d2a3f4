/**
 * Exit PIN of the kiosk. Only a salted PBKDF2-SHA256 hash is stored (config kiosk.pinHash, made with
 * `npm run kiosk:pin -- 1234`); the PIN itself never is. WebCrypto exists in browsers, Electron and Node ≥ 20.
 */
import { checkPinHashFormat, PIN_HASH_ALGORITHM } from '../settings/pin-hash-format';

const ITERATIONS = 150_000;
const PIN_PATTERN = /^\d{4,12}$/;

const toBase64 = (bytes: Uint8Array) => btoa(String.fromCharCode(...bytes));
const fromBase64 = (text: string) => Uint8Array.from(atob(text), (c) => c.charCodeAt(0));

async function derive(pin: string, salt: Uint8Array, iterations: number): Promise<Uint8Array> {
  const key = await crypto.subtle.importKey('raw', new TextEncoder().encode(pin), 'PBKDF2', false, ['deriveBits']);
  const bits = await crypto.subtle.deriveBits({ name: 'PBKDF2', hash: 'SHA-256', salt: salt as Uint8Array<ArrayBuffer>, iterations }, key, 256);
  return new Uint8Array(bits);
}

export function checkPinFormat(pin: string): void {
  if (!PIN_PATTERN.test(pin)) throw new Error('the kiosk PIN must be 4 to 12 digits');
}

/** "pbkdf2-sha256$ITERATIONS$SALT$HASH" (base64). */
export async function hashPin(pin: string, salt: Uint8Array = crypto.getRandomValues(new Uint8Array(16))): Promise<string> {
  checkPinFormat(pin);
  return `${PIN_HASH_ALGORITHM}$${ITERATIONS}$${toBase64(salt)}$${toBase64(await derive(pin, salt, ITERATIONS))}`;
}

export async function verifyPin(pin: string, stored: string): Promise<boolean> {
  checkPinHashFormat(stored);
  const [, iterations, salt, hash] = stored.split('$') as [string, string, string, string];
  if (!PIN_PATTERN.test(pin)) return false;
  const expected = fromBase64(hash);
  const actual = await derive(pin, fromBase64(salt), Number(iterations));
  // Constant-time comparison: the time taken says nothing about how many bytes matched.
  let difference = expected.length ^ actual.length;
  for (let i = 0; i < expected.length; i += 1) difference |= expected[i]! ^ (actual[i] ?? 0);
  return difference === 0;
}

/** Wrong PINs in a row and the wall-clock time (ms) until which every try is refused. */
export interface LockoutState {
  failures: number;
  lockedUntil: number;
}

/** Where the lockout is kept: a file in the host's data folder (src/kiosk/lockout-file.ts). */
export interface LockoutStore {
  load(): Promise<LockoutState>;
  save(state: LockoutState): Promise<void>;
}

export type PinResult = 'ok' | 'wrong' | 'locked';

/**
 * Guards kiosk exit on the host (local server or Electron main; the hash never reaches the page): wrong PINs lock
 * exit for a time that doubles after every third failure, and the lockout is stored before the answer is given, so
 * neither a reload nor a restart resets it. Tries run one at a time. Time comes from the caller.
 */
export class PinGate {
  private queue: Promise<unknown> = Promise.resolve();

  constructor(private readonly lockout: LockoutStore) {}

  /** Ms until another try is allowed (0: allowed now). */
  async waitMs(now: number): Promise<number> {
    return Math.max(0, (await this.lockout.load()).lockedUntil - now);
  }

  /** `storedHash`: kiosk.pinHash of the settings, read for each try. */
  tryPin(pin: string, storedHash: string, now: number): Promise<PinResult> {
    const attempt = this.queue.then(() => this.check(pin, storedHash, now));
    this.queue = attempt.catch(() => undefined);
    return attempt;
  }

  private async check(pin: string, storedHash: string, now: number): Promise<PinResult> {
    const state = await this.lockout.load();
    if (state.lockedUntil > now) return 'locked';
    // No PIN configured: exit is not protected (documented default for a fresh install).
    if (storedHash === '' || (await verifyPin(pin, storedHash))) {
      if (state.failures !== 0 || state.lockedUntil !== 0) await this.lockout.save({ failures: 0, lockedUntil: 0 });
      return 'ok';
    }
    const failures = state.failures + 1;
    const lockedUntil = failures % 3 === 0 ? now + 30_000 * 2 ** (failures / 3 - 1) : state.lockedUntil;
    await this.lockout.save({ failures, lockedUntil });
    return 'wrong';
  }
}
