// Static file resolution shared by the production server (scripts/serve.ts) and Electron's app:// protocol:
// safe path mapping, MIME types, HTTP Range. Returns a description of the reply; each caller sends it its own way.

import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { ServerResponse } from 'node:http';
import { extname, join, resolve, sep } from 'node:path';
import { SECURITY_HEADERS } from './csp';

export const MIME_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.md': 'text/markdown; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.wasm': 'application/wasm',
  '.task': 'application/octet-stream',
  '.tflite': 'application/octet-stream',
  '.onnx': 'application/octet-stream',
  '.bin': 'application/octet-stream',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.ico': 'image/x-icon',
  '.webp': 'image/webp',
  '.woff2': 'font/woff2',
  '.webm': 'video/webm',
  '.mp4': 'video/mp4',
};
const DEFAULT_MIME_TYPE = 'application/octet-stream';

export function mimeTypeFor(path: string): string {
  return MIME_TYPES[extname(path).toLowerCase()] ?? DEFAULT_MIME_TYPE;
}

/**
 * Maps a URL path onto a file under `root`, or undefined when it is malformed or would leave `root`
 * (`..`, encoded separators, NUL). A path ending in `/` means its index.html.
 */
export function resolveStaticPath(root: string, urlPath: string): string | undefined {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return undefined;
  }
  if (!decoded.startsWith('/') || decoded.includes('\0') || decoded.includes('\\')) return undefined;
  if (decoded.split('/').some((segment) => segment === '..')) return undefined;
  const absoluteRoot = resolve(root);
  const target = resolve(join(absoluteRoot, decoded.endsWith('/') ? `${decoded}index.html` : decoded));
  return target === absoluteRoot || target.startsWith(absoluteRoot + sep) ? target : undefined;
}

export type ByteRange = { start: number; end: number };

/**
 * Parses a `Range` header for a file of `size` bytes (RFC 9110). Returns the inclusive range, 'unsatisfiable'
 * (answer 416), or undefined to send the whole file (no header, another unit, several ranges or bad syntax —
 * ignoring Range is always allowed).
 */
export function parseRange(header: string | undefined, size: number): ByteRange | 'unsatisfiable' | undefined {
  if (header === undefined) return undefined;
  const match = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!match) return undefined;
  const [, first = '', last = ''] = match;
  if (first === '' && last === '') return undefined;
  if (first === '') {
    const suffix = Number(last);
    if (suffix === 0 || size === 0) return 'unsatisfiable';
    return { start: Math.max(0, size - suffix), end: size - 1 };
  }
  const start = Number(first);
  if (start >= size) return 'unsatisfiable';
  const end = last === '' ? size - 1 : Math.min(Number(last), size - 1);
  return end < start ? undefined : { start, end };
}

export interface StaticRequest {
  method: string;
  /** Path part of the URL, still percent-encoded; a query string is ignored. */
  path: string;
  range?: string;
}

export interface StaticReply {
  status: number;
  headers: Record<string, string>;
  /** Bytes [start, end] of `path` to send (omitted for HEAD and errors). */
  file?: { path: string; start: number; end: number };
  body?: string;
}

function textReply(status: number, body: string, extraHeaders: Record<string, string> = {}): StaticReply {
  return {
    status,
    headers: { ...SECURITY_HEADERS, 'Content-Type': 'text/plain; charset=utf-8', ...extraHeaders },
    body,
  };
}

/** What to answer for `request` when serving the folder `root`. */
export async function resolveStaticRequest(root: string, request: StaticRequest): Promise<StaticReply> {
  if (request.method !== 'GET' && request.method !== 'HEAD') {
    return textReply(405, 'method not allowed\n', { Allow: 'GET, HEAD' });
  }
  const path = request.path.split('?')[0] ?? '';
  const filePath = resolveStaticPath(root, path);
  if (filePath === undefined) return textReply(400, 'bad path\n');
  const stats = await stat(filePath).catch(() => undefined);
  if (!stats?.isFile()) return textReply(404, 'not found\n');

  const headers: Record<string, string> = {
    ...SECURITY_HEADERS,
    'Content-Type': mimeTypeFor(filePath),
    'Accept-Ranges': 'bytes',
    'Last-Modified': stats.mtime.toUTCString(),
    // HTML must be re-checked so a rebuilt app is picked up; hashed bundles and models are revalidated cheaply.
    'Cache-Control': 'no-cache',
  };
  const range = parseRange(request.range, stats.size);
  if (range === 'unsatisfiable') {
    return textReply(416, 'range not satisfiable\n', { 'Content-Range': `bytes */${stats.size}`, 'Accept-Ranges': 'bytes' });
  }
  const { start, end } = range ?? { start: 0, end: stats.size - 1 };
  if (range) headers['Content-Range'] = `bytes ${start}-${end}/${stats.size}`;
  headers['Content-Length'] = String(end - start + 1);
  const status = range ? 206 : 200;
  if (request.method === 'HEAD' || stats.size === 0) return { status, headers };
  return { status, headers, file: { path: filePath, start, end } };
}

/** Sends `reply` on a Node http response (the body is left out for HEAD). */
export function sendStaticReply(reply: StaticReply, method: string | undefined, response: ServerResponse): void {
  response.writeHead(reply.status, reply.headers);
  if (method === 'HEAD') {
    response.end();
  } else if (reply.file) {
    createReadStream(reply.file.path, { start: reply.file.start, end: reply.file.end })
      .on('error', () => response.destroy())
      .pipe(response);
  } else {
    response.end(reply.body);
  }
}
