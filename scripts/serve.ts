// Production static server for the built renderer (dist/): `npm run web`, kiosks and end-to-end tests.
// Node's http only: Range (for <video> seeking and tasks-vision), MIME types, COOP/COEP/CORP and the CSP.
//
//   tsx scripts/serve.ts [--root dist] [--host 127.0.0.1] [--port 8080]   (--port 0 picks a free port)

import { existsSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { handleNotifyRequest, NOTIFY_PATH } from '../src/alerts/carer-relay';
import { SECURITY_HEADERS } from './csp';
import { isCrossSiteRequest, resolveStaticRequest, sendStaticReply } from './static-files';

export const HEALTH_PATH = '/healthz';

export interface ServeOptions {
  root: string;
  host: string;
  port: number;
}

export class UsageError extends Error {
  override name = 'UsageError';
}

const DEFAULT_OPTIONS: ServeOptions = {
  root: join(fileURLToPath(new URL('..', import.meta.url)), 'dist'),
  host: '127.0.0.1',
  port: 8080,
};

export function parseServeArgs(args: readonly string[]): ServeOptions {
  const options = { ...DEFAULT_OPTIONS };
  for (let i = 0; i < args.length; i++) {
    const flag = args[i] as string;
    const [name, inlineValue] = flag.startsWith('--') && flag.includes('=') ? flag.split(/=(.*)/s, 2) : [flag, undefined];
    const value = (): string => {
      const next = inlineValue ?? args[++i];
      if (next === undefined || next === '') throw new UsageError(`${name} needs a value`);
      return next;
    };
    switch (name) {
      case '--port': {
        const text = value();
        const port = Number(text);
        if (!/^\d+$/.test(text) || port > 65535) throw new UsageError(`--port must be 0..65535, got "${text}"`);
        options.port = port;
        break;
      }
      case '--host':
        options.host = value();
        break;
      case '--root':
        options.root = resolve(value());
        break;
      default:
        throw new UsageError(`unknown argument "${flag}" (expected --port, --host, --root)`);
    }
  }
  return options;
}

/**
 * The routes that are not files: /healthz and the carer-notification relay (POST /api/notify,
 * src/alerts/carer-relay.ts). Returns false when `request` is for neither. Also mounted in the Vite servers.
 */
export function handleServiceRoute(request: IncomingMessage, response: ServerResponse): boolean {
  const pathname = (request.url ?? '/').split('?')[0];
  if (pathname === HEALTH_PATH) {
    response.writeHead(200, { ...SECURITY_HEADERS, 'Content-Type': 'application/json; charset=utf-8' });
    response.end(JSON.stringify({ status: 'ok' }));
    return true;
  }
  if (pathname === NOTIFY_PATH) {
    // Only the app itself may relay: another site open in the same browser must not reach the carer system.
    if (isCrossSiteRequest(request.headers)) {
      response.writeHead(403, { ...SECURITY_HEADERS, 'Content-Type': 'text/plain; charset=utf-8' });
      response.end('cross-site request refused\n');
    } else {
      handleNotifyRequest(request, response).catch(() => response.destroy());
    }
    return true;
  }
  return false;
}

export function createStaticServer(root: string): Server {
  return createServer((request, response) => {
    if (handleServiceRoute(request, response)) return;
    const path = request.url ?? '/';
    resolveStaticRequest(root, { method: request.method ?? 'GET', path, range: request.headers.range })
      .then((reply) => sendStaticReply(reply, request.method, response))
      .catch((error: unknown) => {
        if (!response.headersSent) response.writeHead(500, { ...SECURITY_HEADERS, 'Content-Type': 'text/plain' });
        response.end(`internal error: ${String(error)}\n`);
      });
  });
}

/** Starts the server; resolves with it and the URL it listens on. */
export async function startStaticServer(options: ServeOptions): Promise<{ server: Server; url: string }> {
  const server = createStaticServer(options.root);
  await new Promise<void>((resolveListen, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => resolveListen());
  });
  const { port } = server.address() as AddressInfo;
  const host = options.host.includes(':') ? `[${options.host}]` : options.host;
  return { server, url: `http://${host}:${port}/` };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === resolve(process.argv[1])) {
  try {
    const options = parseServeArgs(process.argv.slice(2));
    if (!existsSync(join(options.root, 'index.html'))) {
      throw new UsageError(`${options.root} has no index.html: run "npm run build" first`);
    }
    const { url } = await startStaticServer(options);
    console.log(`Skeleton Sentinel is served at ${url} (root ${options.root}); Ctrl+C stops it`);
  } catch (error) {
    console.error(`serve: ${(error as Error).message}`);
    process.exitCode = 1;
  }
}
