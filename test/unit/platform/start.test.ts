import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { browserCandidates, findBrowser } from '../../../scripts/app-window';
import { findElectron } from '../../../scripts/electron-binary';

const work = mkdtempSync(join(tmpdir(), 'start-test-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('npm start: which browser shell', () => {
  it('finds Electron from ELECTRON_OVERRIDE_DIST_PATH or the electron package download, and nothing when neither has it', () => {
    const packageFolder = join(work, 'electron');
    mkdirSync(join(packageFolder, 'dist'), { recursive: true });
    expect(findElectron({}, packageFolder)).toBeNull();
    writeFileSync(join(packageFolder, 'path.txt'), 'electron');
    expect(findElectron({}, packageFolder)).toBeNull(); // path.txt without the binary: a failed download
    writeFileSync(join(packageFolder, 'dist', 'electron'), '');
    expect(findElectron({}, packageFolder)).toEqual({ distFolder: join(packageFolder, 'dist'), executable: join(packageFolder, 'dist', 'electron') });
    const override = join(work, 'override');
    mkdirSync(override);
    expect(findElectron({ ELECTRON_OVERRIDE_DIST_PATH: override }, packageFolder)).toBeNull();
    writeFileSync(join(override, 'electron'), '');
    expect(findElectron({ ELECTRON_OVERRIDE_DIST_PATH: override }, packageFolder)?.executable).toBe(join(override, 'electron'));
  });

  it('looks for Chromium or Chrome where each platform installs it, $CHROMIUM_PATH first', () => {
    expect(browserCandidates({}, 'linux')).toEqual(['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome', '/usr/bin/google-chrome-stable']);
    expect(browserCandidates({ CHROMIUM_PATH: '/opt/chrome/chrome' }, 'linux')[0]).toBe('/opt/chrome/chrome');
    expect(browserCandidates({}, 'darwin')[0]).toMatch(/Google Chrome\.app/);
    expect(browserCandidates({ PROGRAMFILES: 'C:\\Program Files' }, 'win32')[0]).toMatch(/Google.Chrome.Application.chrome\.exe$/);
    expect(findBrowser([join(work, 'missing'), join(work, 'override', 'electron')])).toBe(join(work, 'override', 'electron'));
    expect(findBrowser([join(work, 'missing')])).toBeNull();
  });
});
