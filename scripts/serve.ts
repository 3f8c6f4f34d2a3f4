// Production server for the built renderer (dist/): `npm run web`, browser kiosks, `npm start`'s Chromium window
// and the end-to-end tests. Node's http only: the files (Range, MIME types, COOP/COEP/CORP and the CSP) and the host
// API (scripts/host-routes.ts), both behind the request guard. Loopback only, unless --auth.
//
//   tsx scripts/serve.ts [--root dist] [--port 8080] [--kiosk | --station] [--data DIR] [--host 127.0.0.1 | --host ADDR --auth]

import { existsSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defaultDataFolder } from '../src/settings/settings-file';
import { HostService } from '../src/kiosk/host-service';
import { readAccessKey } from './access-key';
import { SECURITY_HEADERS } from './csp';
import { handleHostRoute, sendRefusal } from './host-routes';
import { ACCESS_USER, checkPageRequest, isLoopbackHost, newToken, type GuardOptions } from './request-guard';
import { resolveStaticRequest, sendStaticReply } from './static-files';

export interface ServeOptions {
  root: string;
  host: string;
  port: number;
  /** Settings, kiosk lockout, access key (defaultDataFolder()). */
  dataFolder: string;
  kiosk: boolean;
  /** The carer station screen (docs/carer-station.md) instead of the camera. */
  station?: boolean;
  /** Require the access key (HTTP Basic) for every request: the only way to bind to a non-loopback address. */
  auth: boolean;
}

export class UsageError extends Error {
  override name = 'UsageError';
}

const USAGE = 'expected --root DIR, --port N, --kiosk, --station, --data DIR, --host ADDR, --auth';

export function parseServeArgs(args: readonly string[]): ServeOptions {
  const options: ServeOptions = {
    root: join(fileURLToPath(new URL('..', import.meta.url)), 'dist'),
    host: '127.0.0.1',
    port: 8080,
    dataFolder: defaultDataFolder(),
    kiosk: false,
    station: false,
    auth: false,
  };
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
      case '--data':
        options.dataFolder = resolve(value());
        break;
      case '--kiosk':
        options.kiosk = true;
        break;
      case '--station':
        options.station = true;
        break;
      case '--auth':
        options.auth = true;
        break;
      default:
        throw new UsageError(`unknown argument "${flag}" (${USAGE})`);
    }
  }
  if (!isLoopbackHost(options.host.replace(/^\[|\]$/g, '')) && !options.auth) {
    throw new UsageError(
      `--host ${options.host} would let other machines use the app and its carer relay; ` +
        'add --auth to require the access key, or leave --host out (127.0.0.1)',
    );
  }
  return options;
}

export function createStaticServer(root: string, service: HostService, guard: GuardOptions): Server {
  return createServer((request, response) => {
    if (handleHostRoute(request, response, service, guard)) return;
    const refusal = checkPageRequest(request, guard);
    if (refusal) return sendRefusal(response, refusal);
    resolveStaticRequest(root, { method: request.method ?? 'GET', path: request.url ?? '/', range: request.headers.range })
      .then((reply) => sendStaticReply(reply, request.method, response))
      .catch((error: unknown) => {
        console.error(`Skeleton Sentinel: ${request.url}: ${(error as Error).message}`);
        if (!response.headersSent) response.writeHead(500, { ...SECURITY_HEADERS, 'Content-Type': 'text/plain' });
        response.end('internal error\n');
      });
  });
}

export interface StartedServer {
  server: Server;
  url: string;
  service: HostService;
  /** Set with --auth: the HTTP Basic password of user ACCESS_USER, and where it is kept. */
  access?: { user: string; key: string; file: string };
}

/** Starts the server; resolves with it and the URL it listens on. */
export async function startStaticServer(options: ServeOptions): Promise<StartedServer> {
  const service = new HostService({ dataFolder: options.dataFolder, kiosk: options.kiosk, station: options.station });
  const access = options.auth ? { user: ACCESS_USER, ...(await readAccessKey(options.dataFolder)) } : undefined;
  const server = createStaticServer(options.root, service, { token: newToken(), accessKey: access?.key });
  server.once('close', () => void service.close());
  await service.connectCarer();
  await new Promise<void>((resolveListen, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => resolveListen());
  });
  const { port } = server.address() as AddressInfo;
  const host = options.host.includes(':') ? `[${options.host}]` : options.host;
  return { server, url: `http://${host}:${port}/`, service, access };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === resolve(process.argv[1])) {
  try {
    const options = parseServeArgs(process.argv.slice(2));
    if (!existsSync(join(options.root, 'index.html'))) {
      throw new UsageError(`${options.root} has no index.html: run "npm run build" first`);
    }
    const { url, access } = await startStaticServer(options);
    console.log(`Skeleton Sentinel is served at ${url} (root ${options.root}, data ${options.dataFolder}${options.kiosk ? ', kiosk' : ''}${options.station ? ', carer station' : ''}); Ctrl+C stops it`);
    if (access) console.log(`Every request needs user "${access.user}" and the access key in ${access.file}`);
  } catch (error) {
    console.error(`serve: ${(error as Error).message}`);
    process.exitCode = 1;
  }
}
