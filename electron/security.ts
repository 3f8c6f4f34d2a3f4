// Pure security decisions for the Electron shell (wired up in main.ts, unit-tested in Node).

export const APP_SCHEME = 'app';
export const APP_HOST = 'skeleton-sentinel';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
export const APP_ENTRY_URL = `${APP_ORIGIN}/index.html`;

const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);
const LOOPBACK_PROTOCOLS = new Set(['http:', 'https:', 'ws:', 'wss:']);
// Data and blob URLs never leave the process; devtools:// is Chromium's own UI.
const LOCAL_PROTOCOLS = new Set(['data:', 'blob:', 'devtools:']);

function parse(url: string): URL | undefined {
  try {
    return new URL(url);
  } catch {
    return undefined;
  }
}

export function isAppUrl(url: string): boolean {
  const parsed = parse(url);
  return parsed !== undefined && parsed.protocol === `${APP_SCHEME}:` && parsed.host === APP_HOST;
}

/**
 * Whether the session may send this request at all (session.webRequest.onBeforeRequest). Only the app's own
 * protocol and this machine: the app works offline and must not phone home (e.g. a usage-metrics logger).
 */
export function isRequestAllowed(url: string): boolean {
  const parsed = parse(url);
  if (parsed === undefined) return false;
  if (isAppUrl(url) || LOCAL_PROTOCOLS.has(parsed.protocol)) return true;
  return LOOPBACK_PROTOCOLS.has(parsed.protocol) && LOOPBACK_HOSTS.has(parsed.hostname);
}

/** Media types a permission request or check refers to ('video', 'audio'; empty when unknown). */
export type MediaTypes = readonly string[];

/**
 * Permission requests and checks: only the camera (video, no microphone) and only for the app's own origin.
 * `requestingUrl` is the requesting frame's URL or origin.
 */
export function isPermissionGranted(permission: string, requestingUrl: string, mediaTypes: MediaTypes): boolean {
  if (permission !== 'media') return false;
  // Compared by scheme and host: Node's URL gives custom schemes an opaque ("null") origin.
  if (!isAppUrl(requestingUrl)) return false;
  return mediaTypes.length > 0 && mediaTypes.every((type) => type === 'video');
}

/** The window may only ever show the app itself: any navigation elsewhere (links, redirects) is blocked. */
export function isNavigationAllowed(url: string): boolean {
  return isAppUrl(url);
}
