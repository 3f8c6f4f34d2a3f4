// `npm run dist:check` (and `npm run dist` on a machine without Electron's binary): electron-builder validates
// electron-builder.yml and packs app.asar; a broken config fails the check with electron-builder's reason.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { BUILDER_CONFIG, checkBuilderConfig } from '../../../scripts/dist';

const work = mkdtempSync(join(tmpdir(), 'dist-check-test-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));
const configText = readFileSync(BUILDER_CONFIG, 'utf8');

describe('packaging config (electron-builder.yml)', () => {
  it('passes electron-builder\'s own validation and packs app.asar', () => {
    const check = checkBuilderConfig();
    expect(check.message).toMatch(/electron-builder.yml is valid \(app.asar packed, \d+ bytes\)/);
    expect(check.valid).toBe(true);
  });

  it('fails the check when electron-builder rejects the config', () => {
    const broken = join(work, 'broken.yml');
    writeFileSync(broken, configText.replace('  runAsNode: false', '  runAsNodee: false'));
    const check = checkBuilderConfig(broken);
    expect(check.valid).toBe(false);
    expect(check.message).toMatch(/broken.yml: Invalid configuration object.*configuration.electronFuses/);
  });

  it('sets the fuses: no running as Node, no NODE_OPTIONS or --inspect, app only from an integrity-checked asar, encrypted cookies', () => {
    const block = /^electronFuses:\n((?: {2}\w+: \w+\n)+)/m.exec(configText)?.[1] ?? '';
    const fuses = Object.fromEntries(block.trim().split('\n').map((line) => line.trim().split(': ')));
    expect(fuses).toEqual({
      runAsNode: 'false',
      enableCookieEncryption: 'true',
      enableNodeOptionsEnvironmentVariable: 'false',
      enableNodeCliInspectArguments: 'false',
      enableEmbeddedAsarIntegrityValidation: 'true',
      onlyLoadAppFromAsar: 'true',
      grantFileProtocolExtraPrivileges: 'false',
    });
  });
});
