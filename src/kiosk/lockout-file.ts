// The kiosk-exit lockout as a file in the host's data folder, so a restart does not reset it. Node only.
import { join } from 'node:path';
import { readJsonFile, writeJsonFileAtomically } from '../settings/settings-file';
import type { LockoutState, LockoutStore } from './pin';

export const LOCKOUT_FILE_NAME = 'kiosk-lockout.json';
/** A lockout file that cannot be read counts as a fresh lockout of this long: failing closed, yet not for ever. */
const UNREADABLE_LOCKOUT_MS = 30_000;

function isLockoutState(value: unknown): value is LockoutState {
  const state = value as Partial<LockoutState> | null;
  return (
    typeof state === 'object' && state !== null &&
    Number.isSafeInteger(state.failures) && state.failures! >= 0 &&
    typeof state.lockedUntil === 'number' && Number.isFinite(state.lockedUntil)
  );
}

export function fileLockout(folder: string, onProblem: (message: string) => void, now: () => number = Date.now): LockoutStore {
  const path = join(folder, LOCKOUT_FILE_NAME);
  return {
    async load() {
      let value: unknown;
      try {
        value = await readJsonFile(path);
      } catch (error) {
        value = error;
      }
      if (value === undefined) return { failures: 0, lockedUntil: 0 };
      if (isLockoutState(value)) return value;
      onProblem(`${path} is not a kiosk lockout (${value instanceof Error ? value.message : 'unexpected content'}); exit is locked for ${UNREADABLE_LOCKOUT_MS / 1000} s`);
      const locked = { failures: 3, lockedUntil: now() + UNREADABLE_LOCKOUT_MS };
      await writeJsonFileAtomically(path, locked);
      return locked;
    },
    save: (state) => writeJsonFileAtomically(path, state),
  };
}
