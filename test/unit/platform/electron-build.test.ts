import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { buildElectron } from '../../../electron/build';

describe('Electron build', () => {
  const outDir = mkdtempSync(join(tmpdir(), 'electron-build-'));
  afterAll(() => rmSync(outDir, { recursive: true, force: true }));
  const built = buildElectron(outDir);

  it('bundles a self-contained CommonJS preload that requires nothing but electron (sandbox)', async () => {
    const { preload } = await built;
    const source = readFileSync(preload, 'utf8');
    const required = [...source.matchAll(/require\(\s*["']([^"']+)["']\s*\)/g)].map((match) => match[1]);
    expect(required).toEqual(['electron']);
    expect(source).not.toMatch(/^\s*(import|export)\s/m);
    expect(source).toContain('exposeInMainWorld');
    execFileSync(process.execPath, ['--check', preload]);
  });

  it('bundles main (with mqtt) as an ES module importing only electron and Node builtins', async () => {
    const { main } = await built;
    const source = readFileSync(main, 'utf8');
    const imported = [...source.matchAll(/^import .* from "([^"]+)";$/gm)].map((match) => match[1] as string);
    expect(imported).toContain('electron');
    for (const specifier of imported) expect(specifier === 'electron' || specifier.startsWith('node:'), specifier).toBe(true);
    // Bundled packages (mqtt, ws) may require only Node builtins: the packaged app has no node_modules.
    const required = new Set([...source.matchAll(/require\("([^"]+)"\)/g)].map((match) => match[1] as string));
    expect(required.size).toBeGreaterThan(0);
    for (const specifier of required) expect(builtinModules.includes(specifier.replace(/^node:/, '')), specifier).toBe(true);
    execFileSync(process.execPath, ['--check', main]);
  });

  it('main wires the kiosk hardening that cannot run here: no menu, no DevTools, kiosk keys and close refused', async () => {
    const source = readFileSync((await built).main, 'utf8');
    expect(source).toContain('Menu.setApplicationMenu(null)');
    expect(source).toMatch(/devTools: false/);
    expect(source).toMatch(/on\("before-input-event", \(event, input\) => \{\s*if \(isBlockedInKiosk\(input, host\.kiosk\)\) event\.preventDefault\(\);/);
    expect(source).toMatch(/on\("close", \(event\) => \{\s*if \(host\.kiosk\) event\.preventDefault\(\);/);
  });
});
