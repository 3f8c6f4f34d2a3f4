// npm run dist [-- ELECTRON-BUILDER ARGS]: desktop packages with electron-builder.yml, from the local Electron
// build (the `electron` package's download or ELECTRON_OVERRIDE_DIST_PATH) — electron-builder never downloads one.
// Without a local Electron it only validates the config, as `npm run dist:check` does (CI): electron-builder checks
// the file against its schema and packs app.asar before it needs Electron's binary; given an empty folder as the
// Electron build, getting that far means the config is valid.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { findElectron } from './electron-binary';

const REPO_ROOT = fileURLToPath(new URL('..', import.meta.url));
const CLI = join(REPO_ROOT, 'node_modules', 'electron-builder', 'cli.js');
export const BUILDER_CONFIG = join(REPO_ROOT, 'electron-builder.yml');

function electronBuilder(args: readonly string[], stdio: 'pipe' | 'inherit') {
  return spawnSync(process.execPath, [CLI, '--projectDir', REPO_ROOT, ...args], { encoding: 'utf8', stdio, env: { ...process.env, FORCE_COLOR: '0' } });
}

export interface ConfigCheck {
  valid: boolean;
  /** What electron-builder objected to, or how big the packed app.asar is. */
  message: string;
}

export function checkBuilderConfig(config: string = BUILDER_CONFIG): ConfigCheck {
  const work = mkdtempSync(join(tmpdir(), 'sentinel-dist-check-'));
  try {
    const emptyElectron = join(work, 'electron');
    mkdirSync(emptyElectron);
    const run = electronBuilder(
      ['--config', resolve(config), '--linux', 'dir', '--publish', 'never', `-c.electronDist=${emptyElectron}`, `-c.directories.output=${join(work, 'out')}`],
      'pipe',
    );
    const asar = join(work, 'out', 'linux-unpacked', 'resources', 'app.asar');
    if (existsSync(asar)) return { valid: true, message: `${config} is valid (app.asar packed, ${statSync(asar).size} bytes)` };
    const output = `${run.stdout}\n${run.stderr}`;
    const problem = /Invalid configuration object[\s\S]*?(?=\n\s*How to fix|\n\s*at |$)/.exec(output)?.[0] ?? output.trim().split('\n').slice(-5).join('\n');
    return { valid: false, message: `${config}: ${problem.replace(/\s+/g, ' ').trim()}` };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

function main(args: readonly string[]): number {
  const checkOnly = args[0] === '--check';
  const check = checkBuilderConfig();
  console.log(check.message);
  if (!check.valid) return 1;
  if (checkOnly) return 0;
  const electron = findElectron();
  if (!electron) {
    console.error("dist: no Electron binary on this machine (npm could not download it, or ELECTRON_SKIP_BINARY_DOWNLOAD was set), so no packages were made; set ELECTRON_OVERRIDE_DIST_PATH to an unpacked Electron 45 build.");
    return 1;
  }
  return electronBuilder(['--config', BUILDER_CONFIG, `-c.electronDist=${electron.distFolder}`, ...args], 'inherit').status ?? 1;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) process.exitCode = main(process.argv.slice(2));
