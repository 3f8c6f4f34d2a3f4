// The app:// protocol serves the built renderer (dist/) to Electron with the same headers, MIME types and
// Range support as the static server: file:// would block the wasm fetches and cross-origin isolation.

import { createReadStream } from 'node:fs';
import { Readable } from 'node:stream';
import { resolveStaticRequest } from '../scripts/static-files';
import { APP_HOST, APP_SCHEME } from './security';

/** Privileges the scheme must be registered with before the app is ready (protocol.registerSchemesAsPrivileged). */
export const APP_SCHEME_PRIVILEGES = {
  standard: true, // relative URLs and a real origin
  secure: true, // secure context: camera, WebGPU, SharedArrayBuffer with COOP/COEP
  supportFetchAPI: true,
  stream: true, // <video> range requests
  corsEnabled: true,
  codeCache: true,
} as const;

/** Answers one app:// request from the folder `root`; requests for another host get 404. */
export async function handleAppRequest(root: string, request: Request): Promise<Response> {
  const url = new URL(request.url);
  if (url.protocol !== `${APP_SCHEME}:` || url.host !== APP_HOST) {
    return new Response('not found\n', { status: 404, headers: { 'Content-Type': 'text/plain; charset=utf-8' } });
  }
  const reply = await resolveStaticRequest(root, {
    method: request.method,
    path: url.pathname,
    range: request.headers.get('range') ?? undefined,
  });
  const body = reply.file
    ? (Readable.toWeb(createReadStream(reply.file.path, { start: reply.file.start, end: reply.file.end })) as ReadableStream)
    : request.method === 'HEAD'
      ? null
      : (reply.body ?? null);
  return new Response(body, { status: reply.status, headers: reply.headers });
}
