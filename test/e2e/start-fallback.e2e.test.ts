// `npm start` on a machine without Electron's binary (as this one is; ELECTRON_OVERRIDE_DIST_PATH points at an
// empty folder so the test means the same elsewhere): one line, then the app in Chromium as an app window on a
// virtual X display (Xvfb), captured with ffmpeg's x11grab and compared with the same page rendered headless.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt, REPO_ROOT } from '../../scripts/headless/app-server';
import { launchChromium } from '../../scripts/headless/chromium';

const RESULTS = join(REPO_ROOT, 'test-results', 'start-fallback');
const SCREEN = { width: 1280, height: 800 };
// Without a window manager Chromium puts its window at (10, 10); the part of it on screen is compared.
const WINDOW = { x: 10, y: 10, width: SCREEN.width - 10, height: SCREEN.height - 10 };
const work = mkdtempSync(join(tmpdir(), 'sentinel-start-'));
let xvfb: ChildProcess;
let display: string;

/** Xvfb on the first free display (-displayfd writes its number). */
function startXvfb(): Promise<{ process: ChildProcess; display: string }> {
  const child = spawn('Xvfb', ['-displayfd', '3', '-screen', '0', `${SCREEN.width}x${SCREEN.height}x24`, '-nolisten', 'tcp'], {
    stdio: ['ignore', 'ignore', 'pipe', 'pipe'],
  });
  return new Promise((resolve, reject) => {
    child.stdio[3]!.on('data', (chunk: Buffer) => resolve({ process: child, display: `:${chunk.toString().trim()}` }));
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`Xvfb exited (${code})`)));
  });
}

/** A region of an image as 160×100 grey bytes (ffmpeg does the decoding and scaling). */
function grey(image: string, region = WINDOW): Buffer {
  return execFileSync('ffmpeg', [
    '-loglevel', 'error', '-i', image,
    '-vf', `crop=${region.width}:${region.height}:${region.x}:${region.y},scale=160:100,format=gray`,
    '-f', 'rawvideo', 'pipe:1',
  ]);
}

const meanDifference = (a: Buffer, b: Buffer) => a.reduce((sum, value, i) => sum + Math.abs(value - b[i]!), 0) / a.length;

/** The browser's main process: the first in /proc whose arguments include `argument` (its children come later). */
function browserProcess(argument: string): number {
  const pids = readdirSync('/proc').filter((name) => /^\d+$/.test(name)).map(Number).sort((a, b) => a - b);
  const pid = pids.find((id) => {
    try {
      return readFileSync(`/proc/${id}/cmdline`, 'utf8').split('\0').includes(argument);
    } catch {
      return false; // exited meanwhile
    }
  });
  if (pid === undefined) throw new Error(`no process with ${argument}`);
  return pid;
}

function grabScreen(path: string): void {
  execFileSync('ffmpeg', ['-loglevel', 'error', '-y', '-f', 'x11grab', '-video_size', `${SCREEN.width}x${SCREEN.height}`, '-i', display, '-frames:v', '1', path]);
}

beforeAll(async () => {
  mkdirSync(RESULTS, { recursive: true });
  ({ process: xvfb, display } = await startXvfb());
});

afterAll(() => {
  xvfb?.kill();
  rmSync(work, { recursive: true, force: true });
});

describe("npm start without Electron's binary", () => {
  it('says so in one line and opens the app (here as a kiosk) in a Chromium app window', async () => {
    const root = ensureBuilt();
    const emptyElectron = join(work, 'no-electron');
    mkdirSync(emptyElectron);
    const start = spawn(process.execPath, ['--import', 'tsx', 'scripts/start.ts', '--kiosk', '--root', root, '--data', join(work, 'data')], {
      cwd: REPO_ROOT,
      env: { ...process.env, DISPLAY: display, ELECTRON_OVERRIDE_DIST_PATH: emptyElectron },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    start.stdout!.on('data', (chunk) => (stdout += chunk));
    start.stderr!.on('data', (chunk) => (stderr += chunk));
    const exited = new Promise<number | null>((resolve) => start.once('exit', (code) => resolve(code)));
    try {
      await expect.poll(() => stdout, { timeout: 60_000 }).toMatch(/is open at (http:\/\/127\.0\.0\.1:\d+\/)/);
      const [first, second] = stdout.trim().split('\n');
      expect(first).toBe("Electron's binary is not installed (npm could not download it): opening Skeleton Sentinel in /usr/bin/chromium instead.");
      const url = /(http:\/\/127\.0\.0\.1:\d+\/)/.exec(second!)![1]!;
      expect((await (await fetch(new URL('api/session', url))).json()).kiosk).toBe(true);

      // The same page rendered headless, as the reference of what the window should show.
      const headless = await launchChromium();
      const reference = join(RESULTS, 'reference.png');
      try {
        const page = await headless.context.newPage();
        await page.goto(url);
        await page.waitForSelector('#kiosk-exit:not([hidden])');
        await page.waitForTimeout(3000);
        await page.screenshot({ path: reference });
      } finally {
        await headless.close();
      }
      const expected = grey(reference, { x: 0, y: 0, width: WINDOW.width, height: WINDOW.height });
      const screenshot = join(RESULTS, 'window.png');
      let difference = Infinity;
      for (let attempt = 0; attempt < 20 && difference > 6; attempt++) {
        await new Promise((resolve) => setTimeout(resolve, 1000));
        grabScreen(screenshot);
        difference = meanDifference(grey(screenshot), expected);
      }
      // An empty screen or a blank page are far from the app; the app window is close to its headless rendering.
      const black = join(work, 'black.png');
      const white = join(work, 'white.png');
      execFileSync('ffmpeg', ['-loglevel', 'error', '-f', 'lavfi', '-i', `color=black:s=${SCREEN.width}x${SCREEN.height}`, '-frames:v', '1', black]);
      execFileSync('ffmpeg', ['-loglevel', 'error', '-f', 'lavfi', '-i', `color=white:s=${SCREEN.width}x${SCREEN.height}`, '-frames:v', '1', white]);
      writeFileSync(join(RESULTS, 'difference.txt'), `mean grey difference window vs headless: ${difference.toFixed(2)}\n`);
      expect(meanDifference(grey(black), expected)).toBeGreaterThan(12);
      expect(meanDifference(grey(white), expected)).toBeGreaterThan(12);
      expect(difference).toBeLessThan(6);

      // A kiosk window that goes away without the PIN (closed with Chromium's own keys, or crashed) comes back.
      const profile = join(work, 'data', 'chromium-profile');
      process.kill(browserProcess(`--user-data-dir=${profile}`), 'SIGKILL');
      await expect.poll(() => stdout, { timeout: 60_000 }).toMatch(/opening it again\.\n.*is open at http:\/\/127\.0\.0\.1:\d+\/ as a kiosk/);
    } finally {
      start.kill('SIGTERM');
    }
    expect(await exited).toBe(0);
    expect(stderr).toBe('');
  });
});
