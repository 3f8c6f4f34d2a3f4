import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runSettings } from '../../../cli/settings';
import {
  defaultDataFolder,
  pageSettings,
  readSettings,
  SETTINGS_FILE_NAME,
  withSetting,
  writeSettings,
} from '../../../src/settings/settings-file';
import { fileLockout, LOCKOUT_FILE_NAME } from '../../../src/kiosk/lockout-file';
import { verifyPin } from '../../../src/kiosk/pin';

const workDir = mkdtempSync(join(tmpdir(), 'settings-test-'));
afterAll(() => rmSync(workDir, { recursive: true, force: true }));
const folder = (name: string) => join(workDir, name);

describe('settings file', () => {
  it('lives in the same per-user folder Electron uses, or in $SENTINEL_DATA', () => {
    expect(defaultDataFolder({}, 'linux', '/home/ann')).toBe('/home/ann/.config/skeleton-sentinel');
    expect(defaultDataFolder({ XDG_CONFIG_HOME: '/cfg' }, 'linux', '/home/ann')).toBe('/cfg/skeleton-sentinel');
    expect(defaultDataFolder({}, 'darwin', '/Users/ann')).toBe('/Users/ann/Library/Application Support/skeleton-sentinel');
    expect(defaultDataFolder({ APPDATA: 'C:\\Users\\ann\\AppData\\Roaming' }, 'win32', 'C:\\Users\\ann')).toMatch(/Roaming.skeleton-sentinel$/);
    expect(defaultDataFolder({ SENTINEL_DATA: '/srv/kiosk' }, 'linux', '/home/ann')).toBe('/srv/kiosk');
  });

  it('is {} until written; writes are validated as a whole, readable by the user only, and leave no temp file', async () => {
    const dir = folder('write');
    expect(await readSettings(dir)).toEqual({});
    await writeSettings(dir, { alerts: { carer: { enabled: true, url: 'http://192.168.1.20/alarm' } } });
    expect(await readSettings(dir)).toEqual({ alerts: { carer: { enabled: true, url: 'http://192.168.1.20/alarm' } } });
    expect(statSync(join(dir, SETTINGS_FILE_NAME)).mode & 0o777).toBe(0o600);
    await expect(writeSettings(dir, { alerts: { carer: { enabled: true, url: 'https://carer.example.com/alarm' } } })).rejects.toThrow(
      /settings.json: monitoring.alerts.carer.url must be an http\(s\), mqtt\(s\) or ws\(s\) address on the local network/,
    );
    await expect(writeSettings(dir, { kiosk: { pinHash: '1234' } })).rejects.toThrow(/kiosk.pinHash is not a PIN hash made by `npm run kiosk:pin`/);
    expect(await readSettings(dir)).toEqual({ alerts: { carer: { enabled: true, url: 'http://192.168.1.20/alarm' } } });
    expect(readdirSync(dir)).toEqual([SETTINGS_FILE_NAME]);
  });

  it('names the file and the problem when it is not valid settings', async () => {
    const dir = folder('bad');
    await writeSettings(dir, {});
    writeFileSync(join(dir, SETTINGS_FILE_NAME), '{"fall": {"confirmMS": 1}}');
    await expect(readSettings(dir)).rejects.toThrow(/bad\/settings.json: monitoring.fall.confirmMS is not a known setting/);
    writeFileSync(join(dir, SETTINGS_FILE_NAME), '{"fall": ');
    await expect(readSettings(dir)).rejects.toThrow(/bad\/settings.json: not valid JSON/);
  });

  it('gives the page everything but the secrets: PIN hash, broker password, webhook secret', () => {
    const settings = { kiosk: { pinHash: 'pbkdf2-sha256$1$c2FsdA==$aGFzaA==', privacyView: false }, fall: { confirmMs: 4000 } };
    expect(pageSettings(settings)).toEqual({ kiosk: { privacyView: false }, fall: { confirmMs: 4000 } });
    expect(pageSettings({ fall: { confirmMs: 4000 } })).toEqual({ fall: { confirmMs: 4000 } });
    const carer = { enabled: true, url: 'mqtt://broker.local', mqtt: { username: 'kiosk', password: 'p4ss' }, webhook: { secret: 's3cret' } };
    expect(pageSettings({ alerts: { carer } })).toEqual({ alerts: { carer: { enabled: true, url: 'mqtt://broker.local', mqtt: { username: 'kiosk' }, webhook: {} } } });
    expect(carer.mqtt.password).toBe('p4ss');
  });

  it('sets and removes dotted keys without touching the rest, refusing names that are not keys', () => {
    const base = { alerts: { sound: { volume: 0.2 } } };
    expect(withSetting(base, 'alerts.carer.url', 'http://10.0.0.2/')).toEqual({ alerts: { sound: { volume: 0.2 }, carer: { url: 'http://10.0.0.2/' } } });
    expect(withSetting(base, 'alerts.sound.volume', undefined)).toEqual({ alerts: { sound: {} } });
    expect(base).toEqual({ alerts: { sound: { volume: 0.2 } } });
    expect(() => withSetting(base, '__proto__.polluted', 1)).toThrow(/not a setting name/);
    expect(() => withSetting(base, 'alerts..x', 1)).toThrow(/not a setting name/);
  });
});

describe('npm run settings and npm run kiosk:pin -- --save', () => {
  it('sets, shows (the PIN hash only as set) and unsets; refuses what is not valid', async () => {
    const dir = folder('cli');
    const lines: string[] = [];
    const run = (...args: string[]) => runSettings(['--data', dir, ...args], (line) => lines.push(line));
    await run('set', 'alerts.carer.url', 'ws://broker.local:9001/mqtt');
    await run('set', 'alerts.carer.enabled', 'true');
    expect(await readSettings(dir)).toEqual({ alerts: { carer: { url: 'ws://broker.local:9001/mqtt', enabled: true } } });
    await expect(run('set', 'alerts.carer.url', 'http://8.8.8.8/')).rejects.toThrow(/local network/);
    await expect(run('set', 'fall.confirmMs', 'soon')).rejects.toThrow(/fall.confirmMs must be a number, got string "soon"/);
    await expect(run('frobnicate')).rejects.toThrow(/usage: npm run settings/);

    const hash = execFileSync(process.execPath, ['--import', 'tsx', 'cli/kiosk-pin.ts', '4826', '--save', '--data', dir], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();
    expect(await verifyPin('4826', hash)).toBe(true);
    expect((await readSettings(dir)).kiosk?.pinHash).toBe(hash);
    await run('show');
    expect(lines.at(-1)).toContain('"pinHash": "(set)"');
    expect(lines.at(-1)).not.toContain(hash);
    await run('unset', 'alerts.carer');
    expect(await readSettings(dir)).toEqual({ alerts: {}, kiosk: { pinHash: hash } });
  });
});

describe('kiosk lockout file', () => {
  it('round-trips the lockout, and a damaged file locks exit for 30 s instead of unlocking it', async () => {
    const dir = folder('lockout');
    const problems: string[] = [];
    const lockout = fileLockout(dir, (message) => problems.push(message), () => 1_000);
    expect(await lockout.load()).toEqual({ failures: 0, lockedUntil: 0 });
    await lockout.save({ failures: 2, lockedUntil: 0 });
    expect(await fileLockout(dir, () => {}).load()).toEqual({ failures: 2, lockedUntil: 0 });
    for (const damage of ['{"failures": -1, "lockedUntil": 0}', 'not json', '[]']) {
      writeFileSync(join(dir, LOCKOUT_FILE_NAME), damage);
      expect(await lockout.load(), damage).toEqual({ failures: 3, lockedUntil: 31_000 });
      expect(JSON.parse(readFileSync(join(dir, LOCKOUT_FILE_NAME), 'utf8'))).toEqual({ failures: 3, lockedUntil: 31_000 });
    }
    expect(problems[0]).toMatch(/kiosk-lockout.json is not a kiosk lockout.*exit is locked for 30 s/);
  });
});
