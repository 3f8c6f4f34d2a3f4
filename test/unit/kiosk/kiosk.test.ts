import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { resolveMonitoringConfig } from '../../../src/settings/config';
import { keepScreenAwake, kioskSettings } from '../../../src/kiosk/kiosk';
import { hashPin, PinGate, verifyPin, type LockoutState, type LockoutStore } from '../../../src/kiosk/pin';
import { checkPinHashFormat } from '../../../src/settings/pin-hash-format';

/** The lockout kept in memory (the host keeps it in a file: settings-file.test.ts, host-server.test.ts). */
function memoryLockout(): LockoutStore {
  let state: LockoutState = { failures: 0, lockedUntil: 0 };
  return { load: async () => ({ ...state }), save: async (next) => void (state = { ...next }) };
}

describe('kiosk exit PIN', () => {
  it('stores a salted hash, never the PIN, and verifies it', async () => {
    const stored = await hashPin('4821');
    expect(stored).toMatch(/^pbkdf2-sha256\$150000\$[A-Za-z0-9+/=]+\$[A-Za-z0-9+/=]+$/);
    expect(stored).not.toContain('4821');
    expect(await hashPin('4821')).not.toBe(stored); // fresh salt each time
    expect(await verifyPin('4821', stored)).toBe(true);
    expect(await verifyPin('4822', stored)).toBe(false);
    expect(await verifyPin('48210', stored)).toBe(false);
    expect(await verifyPin('abcd', stored)).toBe(false);
  });

  it('rejects PINs of the wrong form and hashes that are not ours, with clear messages', async () => {
    await expect(hashPin('12')).rejects.toThrow('4 to 12 digits');
    await expect(hashPin('12ab')).rejects.toThrow('4 to 12 digits');
    await expect(verifyPin('1234', 'sha1$abc')).rejects.toThrow(/npm run kiosk:pin/);
    expect(() => checkPinHashFormat('pbkdf2-sha256$150000$c2FsdA==$aGFzaA==')).not.toThrow();
    for (const bad of ['pbkdf2-sha256$x$c2FsdA==$aGFzaA==', 'pbkdf2-sha256$1$$aGFzaA==', 'pbkdf2-sha256$1$a$b$c', '1234']) {
      expect(() => checkPinHashFormat(bad), bad).toThrow(/npm run kiosk:pin/);
    }
  });

  it('locks exit after every third wrong PIN, doubling the wait, and keeps the count in its lockout store', async () => {
    const hash = await hashPin('2468');
    const lockout = memoryLockout();
    const gate = new PinGate(lockout);
    expect(await gate.tryPin('0000', hash, 0)).toBe('wrong');
    expect(await gate.tryPin('0000', hash, 1)).toBe('wrong');
    expect(await gate.tryPin('0000', hash, 2)).toBe('wrong');
    expect(await gate.waitMs(2)).toBe(30_000);
    expect(await lockout.load()).toEqual({ failures: 3, lockedUntil: 30_002 });
    // Another gate on the same store (a reloaded page, a restarted host) is just as locked.
    expect(await new PinGate(lockout).tryPin('2468', hash, 10_000)).toBe('locked');
    for (const t of [30_002, 30_003, 30_004]) expect(await gate.tryPin('1111', hash, t)).toBe('wrong');
    expect(await gate.waitMs(30_004)).toBe(60_000);
    expect(await gate.tryPin('2468', hash, 90_004)).toBe('ok');
    expect(await gate.tryPin('1111', hash, 90_005)).toBe('wrong');
    expect(await gate.waitMs(90_005)).toBe(0);
  });

  it('takes concurrent tries one at a time, so a burst cannot slip past the lockout', async () => {
    const hash = await hashPin('2468');
    const gate = new PinGate(memoryLockout());
    const results = await Promise.all(['1', '2', '3', '4', '5'].map((digit) => gate.tryPin(digit.repeat(4), hash, 0)));
    expect(results).toEqual(['wrong', 'wrong', 'wrong', 'locked', 'locked']);
  });

  it('npm run kiosk:pin prints a hash that verifies', async () => {
    const output = execFileSync(process.execPath, ['--import', 'tsx', 'cli/kiosk-pin.ts', '975310'], { encoding: 'utf8' }).trim();
    expect(await verifyPin('975310', output)).toBe(true);
  });
});

describe('kiosk mode and settings', () => {
  const kiosk = resolveMonitoringConfig().kiosk;

  it("kiosk mode (the host's decision) defaults to the privacy view and camera auto-start; the host says whether exit needs the PIN", () => {
    expect(kioskSettings({ kiosk: true, exitNeedsPin: false }, kiosk)).toEqual({ kiosk: true, privacyView: true, autoStartCamera: true, exitNeedsPin: false });
    expect(kioskSettings({ kiosk: false, exitNeedsPin: true }, kiosk)).toEqual({ kiosk: false, privacyView: false, autoStartCamera: false, exitNeedsPin: false });
    expect(kioskSettings({ kiosk: true, exitNeedsPin: true }, { ...kiosk, privacyView: false })).toMatchObject({ privacyView: false, exitNeedsPin: true });
  });
});

describe('screen wake lock', () => {
  /** navigator.wakeLock and document visibility do not exist in Node: a minimal stand-in with the same behaviour. */
  function page() {
    const listeners = new Set<() => void>();
    const state = { visibilityState: 'visible' as DocumentVisibilityState, requests: 0, held: false };
    const releaseListeners: Array<() => void> = [];
    const doc = {
      get visibilityState() {
        return state.visibilityState;
      },
      addEventListener: (_: string, listener: () => void) => void listeners.add(listener),
      removeEventListener: (_: string, listener: () => void) => void listeners.delete(listener),
    } as unknown as Document;
    const nav = {
      wakeLock: {
        request: async () => {
          state.requests += 1;
          state.held = true;
          return {
            release: async () => {
              state.held = false;
              releaseListeners.splice(0).forEach((listener) => listener());
            },
            addEventListener: (_: 'release', listener: () => void) => void releaseListeners.push(listener),
          };
        },
      },
    };
    const hide = () => {
      state.visibilityState = 'hidden';
      state.held = false;
      releaseListeners.splice(0).forEach((listener) => listener());
      listeners.forEach((listener) => listener());
    };
    const show = () => {
      state.visibilityState = 'visible';
      listeners.forEach((listener) => listener());
    };
    return { doc, nav, state, hide, show, listeners };
  }

  it('holds the lock, takes it again when the page becomes visible, and lets go when stopped', async () => {
    const { doc, nav, state, hide, show, listeners } = page();
    const stop = keepScreenAwake(nav, doc, () => {});
    await Promise.resolve();
    expect(state).toMatchObject({ requests: 1, held: true });
    hide();
    show();
    await Promise.resolve();
    expect(state).toMatchObject({ requests: 2, held: true });
    stop();
    await Promise.resolve();
    expect(state.held).toBe(false);
    expect(listeners.size).toBe(0);
  });

  it('explains when the browser cannot keep the screen awake', () => {
    const problems: string[] = [];
    keepScreenAwake({}, page().doc, (message) => problems.push(message));
    expect(problems[0]).toMatch(/cannot keep the screen awake/);
  });
});
