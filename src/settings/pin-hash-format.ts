// The stored form of the kiosk exit PIN's hash (setting kiosk.pinHash), "pbkdf2-sha256$ITERATIONS$SALT$HASH"
// (base64): checked here whenever the settings file is read or written; src/kiosk/pin.ts makes and verifies hashes.
export const PIN_HASH_ALGORITHM = 'pbkdf2-sha256';

/** Throws unless `stored` has the form of a hash made by hashPin ("" — no PIN — is checked by the caller). */
export function checkPinHashFormat(stored: string): void {
  const [algorithm, iterations, salt, hash, ...rest] = stored.split('$');
  const base64 = /^[A-Za-z0-9+/]+={0,2}$/;
  if (algorithm !== PIN_HASH_ALGORITHM || !/^\d+$/.test(iterations ?? '') || !base64.test(salt ?? '') || !base64.test(hash ?? '') || rest.length > 0) {
    throw new Error('kiosk.pinHash is not a PIN hash made by `npm run kiosk:pin` (pbkdf2-sha256$…)');
  }
}
