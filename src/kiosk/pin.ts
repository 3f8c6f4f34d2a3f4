/**
 * Exit PIN of the kiosk. Only a salted PBKDF2-SHA256 hash is stored (config kiosk.pinHash, made with
 * `npm run kiosk:pin -- 1234`); the PIN itself never is. WebCrypto exists in browsers, Electron and Node ≥ 20.
 */
const ALGORITHM = 'pbkdf2-sha256';
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
  return `${ALGORITHM}$${ITERATIONS}$${toBase64(salt)}$${toBase64(await derive(pin, salt, ITERATIONS))}`;
}

export async function verifyPin(pin: string, stored: string): Promise<boolean> {
  const [algorithm, iterations, salt, hash] = stored.split('$');
  if (algorithm !== ALGORITHM || !iterations || !salt || !hash || !/^\d+$/.test(iterations)) {
    throw new Error('kiosk.pinHash is not a PIN hash made by `npm run kiosk:pin` (pbkdf2-sha256$…)');
  }
  if (!PIN_PATTERN.test(pin)) return false;
  const expected = fromBase64(hash);
  const actual = await derive(pin, fromBase64(salt), Number(iterations));
  // Constant-time comparison: the time taken says nothing about how many bytes matched.
  let difference = expected.length ^ actual.length;
  for (let i = 0; i < expected.length; i += 1) difference |= expected[i]! ^ (actual[i] ?? 0);
  return difference === 0;
}

/**
 * Guards kiosk exit: wrong PINs lock the dialog for a time that doubles after every third failure, so a PIN
 * cannot be found by trying them all at the kiosk. Time comes from the caller.
 */
export class PinGate {
  private failures = 0;
  private lockedUntil = 0;

  constructor(private readonly storedHash: string) {}

  /** Ms until another try is allowed (0: allowed now). */
  waitMs(now: number): number {
    return Math.max(0, this.lockedUntil - now);
  }

  async tryPin(pin: string, now: number): Promise<'ok' | 'wrong' | 'locked'> {
    if (this.waitMs(now) > 0) return 'locked';
    // No PIN configured: exit is not protected (documented default for a fresh install).
    if (this.storedHash === '' || (await verifyPin(pin, this.storedHash))) {
      this.failures = 0;
      return 'ok';
    }
    this.failures += 1;
    if (this.failures % 3 === 0) this.lockedUntil = now + 30_000 * 2 ** (this.failures / 3 - 1);
    return 'wrong';
  }
}
