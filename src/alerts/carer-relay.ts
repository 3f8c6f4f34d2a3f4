import type { IncomingMessage, ServerResponse } from 'node:http';
import type { CarerNotification, CarerTransport } from './carer-outbox';
import { isLocalNetworkUrl } from './local-network';
import { mqttPublish } from './mqtt';

/**
 * Carer notifications leave the app only through a relay: the renderer's CSP is `connect-src 'self'`, so it POSTs
 * to its own origin (`/api/notify`, served by the local server) or, in Electron, invokes the main process over IPC.
 * The relay, not the renderer, checks that the target is on the local network and talks to it.
 */
export const NOTIFY_PATH = '/api/notify';
const MAX_BODY_BYTES = 64 * 1024;

export interface RelayRequest {
  url: string;
  notification: CarerNotification;
}

export interface RelayResult {
  /** 204 delivered, 400 bad request, 403 target not on the local network, 502 target down or refused. */
  status: 204 | 400 | 403 | 502;
  message: string;
}

export const DEFAULT_MQTT_TOPIC = 'skeleton-sentinel/alerts';

/**
 * Forwards one notification to the carer system: HTTP POST (JSON) for http(s) URLs, MQTT 3.1.1 PUBLISH (QoS 1)
 * over WebSocket for ws(s) URLs. Usable from Node and Electron main.
 */
export async function relayToCarer(
  request: unknown,
  fetchImpl: typeof fetch = fetch,
  timeoutMs = 5000,
  webSocketImpl: (new (url: string, protocols?: string | string[]) => WebSocket) | undefined = globalThis.WebSocket,
): Promise<RelayResult> {
  if (typeof request !== 'object' || request === null) return { status: 400, message: 'body must be {url, notification}' };
  const { url, notification } = request as Partial<RelayRequest>;
  if (typeof url !== 'string' || typeof notification !== 'object' || notification === null) {
    return { status: 400, message: 'body must be {url, notification}' };
  }
  if (!isLocalNetworkUrl(url)) {
    return { status: 403, message: `refused: ${url} is not an http(s) or ws(s) address on the local network` };
  }
  if (/^wss?:/.test(url)) {
    // MQTT over WebSocket; the topic is the URL's fragment (ws://broker.local:9001/mqtt#care/alarms).
    const { hash } = new URL(url);
    const topic = hash ? decodeURIComponent(hash.slice(1)) : DEFAULT_MQTT_TOPIC;
    try {
      await mqttPublish(url.replace(/#.*$/, ''), topic, JSON.stringify(notification), webSocketImpl, timeoutMs);
      return { status: 204, message: 'delivered' };
    } catch (error) {
      return { status: 502, message: `carer system unreachable: ${(error as Error).message}` };
    }
  }
  try {
    const response = await fetchImpl(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(notification),
      signal: AbortSignal.timeout(timeoutMs),
    });
    return response.ok
      ? { status: 204, message: 'delivered' }
      : { status: 502, message: `carer system answered ${response.status}` };
  } catch (error) {
    return { status: 502, message: `carer system unreachable: ${(error as Error).message}` };
  }
}

/** node:http handler for POST /api/notify (mount it in the local server; it answers only that path). */
export async function handleNotifyRequest(req: IncomingMessage, res: ServerResponse): Promise<void> {
  const reply = (status: number, message: string) => {
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ message }));
  };
  if (req.method !== 'POST') return reply(405, 'POST only');
  let size = 0;
  const chunks: Buffer[] = [];
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) return reply(413, 'notification too large');
    chunks.push(chunk as Buffer);
  }
  let body: unknown;
  try {
    body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch {
    return reply(400, 'body is not JSON');
  }
  const result = await relayToCarer(body);
  reply(result.status, result.message);
}

/** Renderer side, browser build: POST to the app's own relay. */
export function httpRelayTransport(carerUrl: string, fetchImpl: typeof fetch = fetch, relayPath = NOTIFY_PATH): CarerTransport {
  return async (notification) => {
    const response = await fetchImpl(relayPath, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ url: carerUrl, notification } satisfies RelayRequest),
    });
    if (!response.ok) {
      const text = await response.text();
      throw new Error(`relay answered ${response.status}: ${text}`);
    }
  };
}

/** Renderer side, Electron: the preload's `window.sentinel.notifyCarer(request)` (main runs relayToCarer). */
export function ipcRelayTransport(carerUrl: string, notifyCarer: (request: RelayRequest) => Promise<RelayResult>): CarerTransport {
  return async (notification) => {
    const result = await notifyCarer({ url: carerUrl, notification });
    if (result.status !== 204) throw new Error(result.message);
  };
}
