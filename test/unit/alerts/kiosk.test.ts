import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { resolveMonitoringConfig } from '../../../src/alerts/config';
import { isKioskMode, keepScreenAwake, kioskSettings } from '../../../src/kiosk/kiosk';
import { hashPin, PinGate, verifyPin } from '../../../src/kiosk/pin';

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
  });

  it('locks the exit dialog after every third wrong PIN, doubling the wait', async () => {
    const gate = new PinGate(await hashPin('2468'));
    expect(await gate.tryPin('0000', 0)).toBe('wrong');
    expect(await gate.tryPin('0000', 1)).toBe('wrong');
    expect(await gate.tryPin('0000', 2)).toBe('wrong');
    expect(gate.waitMs(2)).toBe(30_000);
    expect(await gate.tryPin('2468', 10_000)).toBe('locked');
    for (const t of [30_002, 30_003, 30_004]) expect(await gate.tryPin('1111', t)).toBe('wrong');
    expect(gate.waitMs(30_004)).toBe(60_000);
    expect(await gate.tryPin('2468', 90_004)).toBe('ok');
    expect(await gate.tryPin('1111', 90_005)).toBe('wrong');
    expect(gate.waitMs(90_005)).toBe(0);
  });

  it('npm run kiosk:pin prints a hash that verifies', async () => {
    const output = execFileSync(process.execPath, ['--import', 'tsx', 'cli/kiosk-pin.ts', '975310'], { encoding: 'utf8' }).trim();
    expect(await verifyPin('975310', output)).toBe(true);
  });
});

describe('kiosk mode and settings', () => {
  const kiosk = resolveMonitoringConfig().kiosk;

  it('is on with ?kiosk=1 in the browser or --kiosk through the Electron bridge', () => {
    expect(isKioskMode('?kiosk=1', undefined)).toBe(true);
    expect(isKioskMode('?model=x&kiosk=true', undefined)).toBe(true);
    expect(isKioskMode('?kiosk=0', undefined)).toBe(false);
    expect(isKioskMode('', { kiosk: true })).toBe(true);
    expect(isKioskMode('', { kiosk: false })).toBe(false);
  });

  it('kiosk mode defaults to the privacy view and camera auto-start; the PIN guards exit once a hash is set', () => {
    expect(kioskSettings(true, kiosk)).toEqual({ kiosk: true, privacyView: true, autoStartCamera: true, exitNeedsPin: false });
    expect(kioskSettings(false, kiosk)).toEqual({ kiosk: false, privacyView: false, autoStartCamera: false, exitNeedsPin: false });
    expect(kioskSettings(true, { ...kiosk, privacyView: false, pinHash: 'pbkdf2-sha256$1$a$b' }).exitNeedsPin).toBe(true);
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
