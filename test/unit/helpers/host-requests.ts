// Requests to the local server as a page, or an attacker's browser, would send them (test/unit/platform).
import { request as httpRequest } from 'node:http';
import { HOST_ROUTES, TOKEN_HEADER } from '../../../src/kiosk/host';

export interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  json(): any;
}

/** A raw request, so that Host and Origin can be what an attacker's browser would send. */
export function send(base: string, path: string, options: { method?: string; headers?: Record<string, string>; body?: string } = {}): Promise<Reply> {
  const { hostname, port } = new URL(base);
  return new Promise((resolve, reject) => {
    const request = httpRequest({ hostname, port, path, method: options.method ?? 'GET', headers: { host: `127.0.0.1:${port}`, ...options.headers } }, (response) => {
      let text = '';
      response.on('data', (chunk) => (text += chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, headers: response.headers, text, json: () => JSON.parse(text) }));
    });
    request.on('error', reject);
    request.end(options.body);
  });
}

export const originOf = (base: string) => base.replace(/\/$/, '');

/** The page's own session call, then a POST as the page makes it (same origin, token). */
export async function pagePost(base: string, path: string, body: unknown, headers: Record<string, string> = {}): Promise<Reply> {
  const session = (await send(base, HOST_ROUTES.session, { headers: { 'sec-fetch-site': 'same-origin' } })).json();
  return send(base, path, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: originOf(base), 'sec-fetch-site': 'same-origin', [TOKEN_HEADER]: session.token, ...headers },
    body: JSON.stringify(body),
  });
}

