// Who may use the local server. Bound to loopback, it serves only requests whose Host names this machine and the
// port they arrived on (a DNS-rebound name is refused); its API takes only same-origin requests carrying the
// per-launch token that the page reads from its own origin. Bound elsewhere (`--host ADDR --auth`), every request
// also needs the access key (HTTP Basic).
import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { TOKEN_HEADER } from '../src/kiosk/host';

export const ACCESS_USER = 'sentinel';
const LOOPBACK_NAMES = ['127.0.0.1', 'localhost', '[::1]'];

export interface GuardOptions {
  /** Sent back by the page with every POST; new at every launch. */
  token: string;
  /** Set with --auth: HTTP Basic password of user ACCESS_USER, required for every request. */
  accessKey?: string;
}

export type Refusal = { status: 401 | 403 | 421; message: string; headers?: Record<string, string> };

export function newToken(): string {
  return randomBytes(24).toString('base64url');
}

export function isLoopbackHost(host: string): boolean {
  return ['127.0.0.1', '::1', 'localhost'].includes(host) || /^127\.\d+\.\d+\.\d+$/.test(host);
}

function sameSecret(given: string | undefined, expected: string): boolean {
  const a = Buffer.from(given ?? '');
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

function header(request: IncomingMessage, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/** Refuses a request for anything (page, file or API) that does not come from where the app is served. */
export function checkPageRequest(request: IncomingMessage, options: GuardOptions): Refusal | null {
  if (options.accessKey !== undefined) {
    const [scheme, encoded] = (header(request, 'authorization') ?? '').split(' ');
    const credentials = scheme === 'Basic' && encoded ? Buffer.from(encoded, 'base64').toString('utf8') : '';
    if (!sameSecret(credentials, `${ACCESS_USER}:${options.accessKey}`)) {
      return { status: 401, message: 'access key required', headers: { 'WWW-Authenticate': 'Basic realm="Skeleton Sentinel", charset="UTF-8"' } };
    }
    return null; // with credentials, any name of the machine will do
  }
  const host = header(request, 'host') ?? '';
  const port = request.socket.localPort;
  if (!LOOPBACK_NAMES.some((name) => host === `${name}:${port}`)) {
    return { status: 421, message: `wrong Host "${host}": this server answers only to 127.0.0.1:${port} or localhost:${port}` };
  }
  return null;
}

/**
 * Refuses an API call that is not a same-origin request of the app: Origin must be present and be this server, and
 * the token must match. `needsToken` is false only for the session route, which hands the token out.
 */
export function checkApiRequest(request: IncomingMessage, options: GuardOptions, needsToken: boolean): Refusal | null {
  const pageRefusal = checkPageRequest(request, options);
  if (pageRefusal) return pageRefusal;
  const fetchSite = header(request, 'sec-fetch-site');
  if (fetchSite !== undefined && fetchSite !== 'same-origin') return { status: 403, message: 'cross-site request refused' };
  const origin = header(request, 'origin');
  const ownOrigin = `http://${header(request, 'host')}`;
  // A browser sends Origin with every POST; a GET of the session may come without (same-origin).
  if (origin === undefined ? needsToken : origin !== ownOrigin) return { status: 403, message: 'request from another origin refused' };
  if (needsToken && !sameSecret(header(request, TOKEN_HEADER), options.token)) return { status: 403, message: 'missing or wrong token' };
  return null;
}
