// The local server as an attacker meets it: DNS rebinding (a foreign Host), requests from other origins or without
// one, a missing or wrong per-launch token, a page that picks the carer target, the PIN hash in what is served, a
// lockout that a restart should reset, and a LAN bind without the access key. Real servers on loopback ports only.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeSettings } from '../../../src/settings/settings-file';
import { HOST_ROUTES, TOKEN_HEADER } from '../../../src/kiosk/host';
import { hashPin } from '../../../src/kiosk/pin';
import { startStaticServer, type StartedServer } from '../../../scripts/serve';
import { originOf, pagePost, send } from '../helpers/host-requests';

const workDir = mkdtempSync(join(tmpdir(), 'host-server-test-'));
const root = join(workDir, 'dist');
const PIN = '2468';
let pinHash: string;
const carerHits: string[] = [];
const evilHits: string[] = [];
let carer: Server;
let evil: Server;
let carerPort: number;
let evilPort: number;
const started: StartedServer[] = [];

const notification = { source: 'skeleton-sentinel', id: 'e1', type: 'fall', message: 'Fall', time: '2026-01-01T00:00:00Z', confidence: 1, personId: 0, signals: {} };

async function listen(record: string[], status = 200): Promise<{ server: Server; port: number }> {
  const server = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk) => (body += chunk));
    request.on('end', () => {
      record.push(body);
      response.writeHead(status).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, port: (server.address() as AddressInfo).port };
}

async function startHost(dataFolder: string, options: { kiosk?: boolean; auth?: boolean } = {}): Promise<StartedServer> {
  const host = await startStaticServer({ root, host: '127.0.0.1', port: 0, dataFolder, kiosk: options.kiosk ?? true, auth: options.auth ?? false });
  started.push(host);
  return host;
}

async function dataFolderWith(settings: object): Promise<string> {
  const folder = mkdtempSync(join(workDir, 'data-'));
  await writeSettings(folder, settings);
  return folder;
}

let host: StartedServer;

beforeAll(async () => {
  mkdirSync(root, { recursive: true });
  writeFileSync(join(root, 'index.html'), '<!doctype html><title>app</title>');
  pinHash = await hashPin(PIN);
  ({ server: carer, port: carerPort } = await listen(carerHits));
  ({ server: evil, port: evilPort } = await listen(evilHits));
  host = await startHost(await dataFolderWith({ alerts: { carer: { enabled: true, url: `http://127.0.0.1:${carerPort}/alarm` } }, kiosk: { pinHash } }));
});

afterAll(async () => {
  for (const { server } of started) server.close();
  carer.close();
  evil.close();
  rmSync(workDir, { recursive: true, force: true });
});

describe('who the local server answers', () => {
  it('refuses a Host that is not this machine and port (DNS rebinding), for files and for the API', async () => {
    const port = new URL(host.url).port;
    for (const path of ['/', '/index.html', HOST_ROUTES.session, '/healthz']) {
      const rebound = await send(host.url, path, { headers: { host: `attacker.example:${port}` } });
      expect(rebound.status, path).toBe(421);
      expect(rebound.text).not.toContain('<title>');
      expect((await send(host.url, path, { headers: { host: `127.0.0.1:${Number(port) + 1}` } })).status).toBe(421);
    }
    const post = await send(host.url, HOST_ROUTES.notifyCarer, { method: 'POST', headers: { host: `attacker.example:${port}`, origin: `http://attacker.example:${port}` }, body: JSON.stringify(notification) });
    expect(post.status).toBe(421);
    expect((await send(host.url, '/index.html')).status).toBe(200);
    expect((await send(host.url, '/index.html', { headers: { host: `localhost:${port}` } })).status).toBe(200);
    expect(carerHits).toEqual([]);
  });

  it('gives the page its session (kiosk mode, settings) without the PIN hash', async () => {
    const reply = await send(host.url, HOST_ROUTES.session, { headers: { 'sec-fetch-site': 'same-origin' } });
    expect(reply.status).toBe(200);
    expect(reply.headers['cache-control']).toBe('no-store');
    const session = reply.json();
    expect(session).toMatchObject({ kiosk: true, exitNeedsPin: true, settingsProblem: null });
    expect(session.token).toMatch(/^[\w-]{32}$/);
    expect(session.settings.alerts.carer.enabled).toBe(true);
    expect(reply.text).not.toContain(pinHash);
    expect(reply.text).not.toContain(pinHash.split('$')[3]!);
    expect(reply.text).not.toMatch(/pinHash/);
  });

  it('hands the session to no other origin', async () => {
    expect((await send(host.url, HOST_ROUTES.session, { headers: { 'sec-fetch-site': 'cross-site' } })).status).toBe(403);
    expect((await send(host.url, HOST_ROUTES.session, { headers: { origin: 'https://attacker.example' } })).status).toBe(403);
  });
});

describe('the carer relay route', () => {
  it('relays a same-origin POST with the token to the target in the settings', async () => {
    const before = carerHits.length;
    const reply = await pagePost(host.url, HOST_ROUTES.notifyCarer, notification);
    expect(reply.status).toBe(204);
    const { source: _source, ...fields } = notification;
    expect(carerHits.slice(before).map((body) => JSON.parse(body))).toEqual([{ schema: 'skeleton-sentinel/event', version: 1, kioskId: expect.any(String), ...fields }]);
  });

  it('refuses a POST without Origin, from another origin or site, and without or with a wrong token', async () => {
    const before = carerHits.length;
    const token = (await send(host.url, HOST_ROUTES.session)).json().token as string;
    const body = JSON.stringify(notification);
    const own = originOf(host.url);
    const attempts: Array<[string, Record<string, string>]> = [
      ['no Origin', { [TOKEN_HEADER]: token }],
      ['foreign Origin', { origin: 'https://attacker.example', [TOKEN_HEADER]: token }],
      ['null Origin', { origin: 'null', [TOKEN_HEADER]: token }],
      ['cross-site', { origin: own, 'sec-fetch-site': 'cross-site', [TOKEN_HEADER]: token }],
      ['no token', { origin: own }],
      ['wrong token', { origin: own, [TOKEN_HEADER]: `${token.slice(0, -1)}x` }],
    ];
    for (const [what, headers] of attempts) {
      const reply = await send(host.url, HOST_ROUTES.notifyCarer, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });
      expect(reply.status, what).toBe(403);
    }
    expect(carerHits.length).toBe(before);
  });

  it('never sends where the page says: a target in the request is ignored or refused', async () => {
    const before = carerHits.length;
    const chosen = `http://127.0.0.1:${evilPort}/stolen`;
    expect((await pagePost(host.url, HOST_ROUTES.notifyCarer, { url: chosen, notification })).status).toBe(400);
    expect((await pagePost(host.url, HOST_ROUTES.notifyCarer, { ...notification, url: chosen })).status).toBe(204);
    expect(evilHits).toEqual([]);
    expect(carerHits.length).toBe(before + 1);
  });

  it('answers every failure with one message, whatever the carer system did', async () => {
    const failing = await listen([], 500);
    const down = await listen([]);
    await new Promise((resolve) => down.server.close(resolve));
    const replies: string[] = [];
    for (const target of [`http://127.0.0.1:${failing.port}/`, `http://127.0.0.1:${down.port}/`]) {
      const server = await startHost(await dataFolderWith({ alerts: { carer: { enabled: true, url: target } } }));
      const reply = await pagePost(server.url, HOST_ROUTES.notifyCarer, notification);
      expect(reply.status).toBe(502);
      replies.push(reply.text);
    }
    failing.server.close();
    expect(replies).toEqual(['{"message":"not delivered"}', '{"message":"not delivered"}']);
  });

  it('refuses an oversized or non-JSON body', async () => {
    expect((await pagePost(host.url, HOST_ROUTES.notifyCarer, { ...notification, message: 'x'.repeat(70_000) })).status).toBe(413);
    const token = (await send(host.url, HOST_ROUTES.session)).json().token as string;
    const reply = await send(host.url, HOST_ROUTES.notifyCarer, { method: 'POST', headers: { origin: originOf(host.url), [TOKEN_HEADER]: token }, body: '{' });
    expect(reply.status).toBe(400);
  });
});

describe('kiosk exit through the server', () => {
  it('leaves kiosk mode only with the PIN; afterwards the session says so', async () => {
    const server = await startHost(await dataFolderWith({ kiosk: { pinHash } }));
    expect((await pagePost(server.url, HOST_ROUTES.leaveKiosk, { pin: '1111' })).json()).toEqual({ result: 'wrong' });
    expect((await send(server.url, HOST_ROUTES.session)).json().kiosk).toBe(true);
    expect((await pagePost(server.url, HOST_ROUTES.leaveKiosk, { pin: PIN })).json()).toEqual({ result: 'ok' });
    expect((await send(server.url, HOST_ROUTES.session)).json().kiosk).toBe(false);
  });

  it('keeps the lockout across a restart of the server on the same data folder', async () => {
    const folder = await dataFolderWith({ kiosk: { pinHash } });
    const first = await startHost(folder);
    for (const pin of ['0000', '1111', '2222']) await pagePost(first.url, HOST_ROUTES.leaveKiosk, { pin });
    const locked = (await pagePost(first.url, HOST_ROUTES.leaveKiosk, { pin: PIN })).json();
    expect(locked).toMatchObject({ result: 'locked' });
    expect(locked.waitMs).toBeGreaterThan(25_000);
    first.server.close();
    const restarted = await startHost(folder);
    expect((await pagePost(restarted.url, HOST_ROUTES.leaveKiosk, { pin: PIN })).json()).toMatchObject({ result: 'locked' });
    expect((await send(restarted.url, HOST_ROUTES.session)).json().kiosk).toBe(true);
  });

  it('keeps exit closed when the settings file is broken (the PIN is then unknown)', async () => {
    const folder = mkdtempSync(join(workDir, 'data-'));
    writeFileSync(join(folder, 'settings.json'), '{"kiosk": {"pinHash": 42}}');
    const server = await startHost(folder);
    const session = (await send(server.url, HOST_ROUTES.session)).json();
    expect(session).toMatchObject({ kiosk: true, exitNeedsPin: true, settings: {} });
    expect(session.settingsProblem).toMatch(/settings.json: monitoring.kiosk.pinHash must be a string, got number 42; using the defaults/);
    expect((await pagePost(server.url, HOST_ROUTES.leaveKiosk, { pin: '' })).json()).toEqual({ result: 'wrong' });
    expect((await send(server.url, HOST_ROUTES.session)).json().kiosk).toBe(true);
  });
});

describe('--auth (the only way to listen beyond loopback)', () => {
  it('asks every request for the access key, then accepts any Host', async () => {
    const folder = mkdtempSync(join(workDir, 'data-'));
    const server = await startHost(folder, { auth: true, kiosk: false });
    expect(server.access?.file).toBe(join(folder, 'access-key.json'));
    const port = new URL(server.url).port;
    const anonymous = await send(server.url, '/index.html', { headers: { host: `kiosk.lan:${port}` } });
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers['www-authenticate']).toMatch(/^Basic realm="Skeleton Sentinel"/);
    const basic = (key: string) => `Basic ${Buffer.from(`sentinel:${key}`).toString('base64')}`;
    expect((await send(server.url, HOST_ROUTES.session, { headers: { authorization: basic('guess') } })).status).toBe(401);
    const authorised = await send(server.url, '/index.html', { headers: { host: `kiosk.lan:${port}`, authorization: basic(server.access!.key) } });
    expect(authorised.status).toBe(200);
    // The key stays the same across restarts (it is in the data folder).
    const again = await startHost(folder, { auth: true, kiosk: false });
    expect(again.access?.key).toBe(server.access?.key);
  });
});
