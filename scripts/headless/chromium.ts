// Shared by the e2e tests, the pipeline benchmark and the CLI's video path: the offline headless Chromium with a
// fake webcam, and the moving test clip it plays.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium, type BrowserContext } from 'playwright-core';

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Chromium refuses port 9 (discard) as unsafe (ERR_UNSAFE_PORT): a request sent there fails before any socket opens. */
const UNREACHABLE_URL = 'http://127.0.0.1:9/';

/**
 * Switches that keep Chromium from contacting any host but this machine, headless or not (the `npm start` fallback
 * window uses them too). test/e2e/offline-chromium.e2e.test.ts reads Chromium's net log to prove it.
 */
export const OFFLINE_CHROMIUM_FLAGS = [
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  // Left running by the switches above (Chromium 156): the Google-account check (ListAccounts) and on-demand
  // component installs (update_client, e.g. the optimisation-guide model manifest). Their servers are configurable.
  `--gaia-url=${UNREACHABLE_URL}`,
  `--component-updater=url-source=${UNREACHABLE_URL}`,
  // Push messaging (GCM) checks in with Google once a notification permission is in play.
  `--gcm-checkin-url=${UNREACHABLE_URL}`,
  `--gcm-registration-url=${UNREACHABLE_URL}`,
  `--gcm-mcs-endpoint=${UNREACHABLE_URL}`,
];

export interface LaunchedChromium {
  context: BrowserContext;
  /** The launch's own profile folder (its processes carry it on their command line). */
  userDataDir: string;
  close(): Promise<void>;
}

/**
 * A fresh persistent profile per launch, so no state leaks between runs. Camera permission is granted without a
 * prompt (refused with `denyCamera`); `fakeVideo`: a .y4m played as the webcam (without it, the machine's real
 * cameras, usually none); `extraArgs`: more Chromium switches (e.g. a net log).
 */
export async function launchChromium(
  options: { fakeVideo?: string; denyCamera?: boolean; extraArgs?: readonly string[] } = {},
): Promise<LaunchedChromium> {
  if (!existsSync(CHROMIUM_PATH)) {
    throw new Error(`Chromium not found at ${CHROMIUM_PATH}: install the Debian package "chromium" or set CHROMIUM_PATH`);
  }
  const userDataDir = mkdtempSync(join(tmpdir(), 'sentinel-chromium-'));
  const args = [
    '--headless=new',
    '--no-sandbox',
    ...OFFLINE_CHROMIUM_FLAGS,
    options.denyCamera ? '--deny-permission-prompts' : '--use-fake-ui-for-media-stream',
    ...(options.extraArgs ?? []),
  ];
  if (options.fakeVideo) {
    args.push(
      '--use-fake-device-for-media-stream',
      `--use-file-for-fake-video-capture=${resolve(options.fakeVideo)}`,
    );
  }
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM_PATH,
    headless: true,
    args,
    ignoreDefaultArgs: ['--headless'],
    viewport: { width: 1280, height: 800 },
  });
  return {
    context,
    userDataDir,
    async close() {
      await context.close();
      rmSync(userDataDir, { recursive: true, force: true });
    },
  };
}

const DARKNET_PERSON = '/usr/share/darknet/data/person.jpg';

/**
 * The full-body test photo from Debian's `darknet` package; when the package is not installed, its .deb is
 * downloaded with apt and unpacked into `cacheDir` (no install, no root needed).
 */
export function personImage(cacheDir: string): string {
  if (existsSync(DARKNET_PERSON)) return DARKNET_PERSON;
  const extracted = join(cacheDir, 'darknet', 'usr/share/darknet/data/person.jpg');
  if (existsSync(extracted)) return extracted;
  mkdirSync(cacheDir, { recursive: true });
  try {
    execFileSync('apt-get', ['download', 'darknet'], { cwd: cacheDir, stdio: 'pipe' });
    const deb = readdirSync(cacheDir).find((name) => name.startsWith('darknet_') && name.endsWith('.deb'));
    if (!deb) throw new Error('apt-get download produced no darknet .deb');
    execFileSync('dpkg-deb', ['-x', join(cacheDir, deb), join(cacheDir, 'darknet')], { stdio: 'pipe' });
  } catch (error) {
    throw new Error(`test photo ${DARKNET_PERSON} is missing and could not be fetched: install the Debian package "darknet" (${String(error)})`);
  }
  return extracted;
}

/**
 * A 640x480@30 clip of the person photo, rotating from -30° towards +30° around the image centre (a cheap
 * stand-in for motion and a fall): y4m for the fake webcam, webm (VP8) for the video-file source. Cached by name.
 */
export function makeTestClip(dir: string, seconds = 3, format: 'y4m' | 'webm' = 'y4m', people = 1): string {
  mkdirSync(dir, { recursive: true });
  const clip = join(dir, `person-rotating-${seconds}s${people > 1 ? `-${people}-people` : ''}.${format}`);
  if (existsSync(clip)) return clip;
  const image = personImage(join(dir, 'cache'));
  // `people` copies side by side, each in a 640/people wide column cropped to the person, all rocking from -30° to +30°.
  const width = 2 * Math.floor(640 / people / 2);
  const person =
    `${people > 1 ? 'crop=iw*0.4:ih:iw*0.1:0,' : ''}scale=${width}:-2,pad=${width}:480:(ow-iw)/2:(oh-ih)/2:color=gray,` +
    `rotate=a='(-30+${60 / seconds}*t)*PI/180':c=gray:ow=${width}:oh=480`;
  const filter = people === 1
    ? `${person},format=yuv420p`
    : `${person},split=${people}${Array.from({ length: people }, (_, i) => `[p${i}]`).join('')};` +
      `${Array.from({ length: people }, (_, i) => `[p${i}]`).join('')}hstack=inputs=${people},pad=640:480:(ow-iw)/2:0:color=gray,format=yuv420p`;
  const codec = format === 'webm' ? ['-c:v', 'libvpx', '-b:v', '1M'] : [];
  const partial = `${clip}.part.${format}`;
  execFileSync(
    'ffmpeg',
    ['-loglevel', 'error', '-y', '-loop', '1', '-framerate', '30', '-t', String(seconds), '-i', image, '-vf', filter, ...codec, '-r', '30', partial],
    { stdio: 'pipe' },
  );
  renameSync(partial, clip);
  return clip;
}
