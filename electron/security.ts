// Pure security decisions for the Electron shell (wired up in main.ts, unit-tested in Node).

export const APP_SCHEME = 'app';
export const APP_HOST = 'skeleton-sentinel';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
export const APP_ENTRY_URL = `${APP_ORIGIN}/index.html`;

// Data and blob URLs never leave the process (images, object URLs of recordings and camera frames).
const LOCAL_PROTOCOLS = new Set(['data:', 'blob:']);

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
 * Whether the session may send this request at all (session.webRequest.onBeforeRequest): only the app's own origin
 * and data/blob URLs. Not this machine's other ports (another local service is not the app) and not DevTools (off).
 * The carer relay runs in main with Node's http, outside this filter.
 */
export function isRequestAllowed(url: string): boolean {
  const parsed = parse(url);
  if (parsed === undefined) return false;
  return isAppUrl(url) || LOCAL_PROTOCOLS.has(parsed.protocol);
}

/** Media types a permission request or check refers to ('video', 'audio'; empty when unknown). */
export type MediaTypes = readonly string[];

/**
 * Permission requests and checks, for the app's own origin only: the camera (video, no microphone) and desktop
 * notifications (alerts). `requestingUrl` is the requesting frame's URL or origin.
 */
export function isPermissionGranted(permission: string, requestingUrl: string, mediaTypes: MediaTypes): boolean {
  // Compared by scheme and host: Node's URL gives custom schemes an opaque ("null") origin.
  if (!isAppUrl(requestingUrl)) return false;
  if (permission === 'notifications') return true;
  if (permission !== 'media') return false;
  return mediaTypes.length > 0 && mediaTypes.every((type) => type === 'video');
}

/** The window may only ever show the app itself: any navigation elsewhere (links, redirects) is blocked. */
export function isNavigationAllowed(url: string): boolean {
  return isAppUrl(url);
}
