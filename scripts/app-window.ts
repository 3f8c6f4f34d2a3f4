// `npm start` without Electron: the app in the system's Chromium or Chrome as an app window (--app, no address
// bar), with its own profile in the data folder and Electron's permission policy: camera and notifications for the
// app's origin, every other permission refused without a prompt. The offline switches of the headless runs apply.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type BrowserContext } from 'playwright-core';
import { OFFLINE_CHROMIUM_FLAGS } from './headless/chromium';

/** Chromium / Chrome executables tried in this order ($CHROMIUM_PATH first). */
export function browserCandidates(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): string[] {
  const fromEnv = env.CHROMIUM_PATH ? [env.CHROMIUM_PATH] : [];
  if (platform === 'darwin') {
    return [...fromEnv, '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome', '/Applications/Chromium.app/Contents/MacOS/Chromium'];
  }
  if (platform === 'win32') {
    const roots = [env.PROGRAMFILES, env['PROGRAMFILES(X86)'], env.LOCALAPPDATA].filter((root): root is string => !!root);
    return [...fromEnv, ...roots.map((root) => join(root, 'Google', 'Chrome', 'Application', 'chrome.exe'))];
  }
  return [...fromEnv, '/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome', '/usr/bin/google-chrome-stable'];
}

export function findBrowser(candidates: readonly string[] = browserCandidates()): string | null {
  return candidates.find((path) => existsSync(path)) ?? null;
}

export interface AppWindowOptions {
  url: string;
  browser: string;
  profileFolder: string;
  /** Chromium's --kiosk: fullscreen, no window controls. */
  kiosk: boolean;
}

/** Opens the window; the context closes when the user closes the window. */
export async function openAppWindow(options: AppWindowOptions): Promise<BrowserContext> {
  const args = [
    `--app=${options.url}`,
    ...OFFLINE_CHROMIUM_FLAGS,
    '--deny-permission-prompts',
    // An unattended kiosk's alarm must sound without anyone having clicked first.
    '--autoplay-policy=no-user-gesture-required',
    '--window-size=1280,800',
    ...(options.kiosk ? ['--kiosk'] : []),
    // Chromium refuses to start as root with its sandbox on (containers, some kiosk images); --test-type hides the
    // warning bar it then shows over the app.
    ...(process.getuid?.() === 0 ? ['--no-sandbox', '--test-type'] : []),
  ];
  const context = await chromium.launchPersistentContext(options.profileFolder, {
    executablePath: options.browser,
    headless: false,
    viewport: null,
    args,
    // Not an automated browser to its user: no "controlled by automated software" bar.
    ignoreDefaultArgs: ['--enable-automation'],
    chromiumSandbox: process.getuid?.() !== 0,
  });
  const origin = new URL(options.url).origin;
  await context.grantPermissions(['camera', 'notifications'], { origin });
  return context;
}
