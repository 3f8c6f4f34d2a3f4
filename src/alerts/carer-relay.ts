// The carer relay, run by the host (local server or Electron main), never by the page: the renderer's CSP is
// `connect-src 'self'`, so notifications leave only through here. The target is the one in the settings file
// (validated when saved); a request never chooses it. Redirects are not followed, every resolved address must be on
// the local network, and every failure gives the caller the same message (details go to the host's log). Node only.
import { lookup as dnsLookup, type LookupAddress, type LookupAllOptions, type LookupOneOptions } from 'node:dns';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import mqtt from 'mqtt';
import type { CarerNotification } from './carer-outbox';
import { isLocalHost, isLocalNetworkUrl } from '../settings/local-network';

export const DEFAULT_MQTT_TOPIC = 'skeleton-sentinel/alerts';
/** What the caller learns of any failure: nothing that tells a closed port from a refused redirect. */
export const NOT_DELIVERED = 'not delivered';
export const MAX_NOTIFICATION_BYTES = 64 * 1024;

export interface RelayResult {
  /** 204 delivered, 400 not a notification, 502 not delivered (any reason). */
  status: 204 | 400 | 502;
  message: string;
}

type LookupCallback = (error: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void;
/** dns.lookup's shape: what http.request and ws call to resolve a host name. */
export type LookupFunction = (hostname: string, options: LookupOneOptions | LookupAllOptions, callback: LookupCallback) => void;

export interface RelayOptions {
  timeoutMs?: number;
  /** Name resolution (dns.lookup); tests inject one to play a DNS rebinding. */
  lookup?: LookupFunction;
  /** Why a notification was not delivered, for the host's log. */
  log?: (message: string) => void;
}

/**
 * Resolves like `base` but fails unless every address is on the local network: a carer name (carer.local) that
 * validated when saved cannot be made to point at the internet (or at 0.0.0.0) later.
 */
export function localOnlyLookup(base: LookupFunction = dnsLookup as LookupFunction): LookupFunction {
  return (hostname, options, callback) => {
    base(hostname, { ...options, all: true }, (error, addresses) => {
      if (error) return callback(error, '');
      const list = addresses as LookupAddress[];
      const outside = list.find(({ address }) => !isLocalHost(address));
      if (outside || list.length === 0) {
        const refusal: NodeJS.ErrnoException = new Error(`${hostname} resolves to ${outside?.address ?? 'nothing'}, which is not on the local network`);
        refusal.code = 'ENOTLOCAL';
        return callback(refusal, '');
      }
      if ((options as LookupAllOptions).all) return callback(null, list);
      callback(null, list[0]!.address, list[0]!.family);
    });
  };
}

/** The body must look like what carerNotification() makes; anything else is not relayed. */
export function isCarerNotification(value: unknown): value is CarerNotification {
  const n = value as Partial<CarerNotification> | null;
  return (
    typeof n === 'object' && n !== null && n.source === 'skeleton-sentinel' &&
    typeof n.id === 'string' && typeof n.type === 'string' && typeof n.message === 'string' && typeof n.time === 'string'
  );
}

/** POSTs JSON and resolves with the status; a redirect is an answer like any other, never followed. */
function postJson(url: URL, body: string, lookup: LookupFunction, timeoutMs: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
    const request = send(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
      lookup,
      agent: false,
      timeout: timeoutMs,
    });
    request.on('timeout', () => request.destroy(new Error(`no answer within ${timeoutMs} ms`)));
    request.on('error', reject);
    request.on('response', (response) => {
      response.resume();
      resolve(response.statusCode ?? 0);
    });
    request.end(body);
  });
}

/** MQTT 3.1.1 over WebSocket: connect, PUBLISH with QoS 1 (waits for the broker's PUBACK), disconnect. */
async function publishMqtt(url: URL, payload: string, lookup: LookupFunction, timeoutMs: number): Promise<void> {
  // The topic is the URL's fragment (ws://broker.local:9001/mqtt#care/alarms).
  const topic = url.hash ? decodeURIComponent(url.hash.slice(1)) : DEFAULT_MQTT_TOPIC;
  if (topic === '' || /[#+]/.test(topic)) throw new Error(`"${topic}" is not a topic to publish to`);
  const broker = new URL(url);
  broker.hash = '';
  const client = await mqtt.connectAsync(broker.href, {
    protocolVersion: 4,
    clean: true,
    reconnectPeriod: 0,
    connectTimeout: timeoutMs,
    clientId: `skeleton-sentinel-${Math.random().toString(36).slice(2, 10)}`,
    // Passed on to ws and http.request: no redirects, local addresses only.
    wsOptions: { lookup, followRedirects: false } as object,
  });
  try {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no PUBACK within ${timeoutMs} ms`)), timeoutMs);
    });
    await Promise.race([client.publishAsync(topic, payload, { qos: 1 }), timeout]).finally(() => clearTimeout(timer));
  } finally {
    await client.endAsync(true);
  }
}

/** Sends one notification to `target` (http(s) POST or ws(s) MQTT); throws with the reason when it was not taken. */
export async function sendToCarer(target: string, notification: CarerNotification, options: RelayOptions = {}): Promise<void> {
  if (!isLocalNetworkUrl(target)) throw new Error(`${target} is not an http(s) or ws(s) address on the local network`);
  const url = new URL(target);
  const lookup = localOnlyLookup(options.lookup);
  const timeoutMs = options.timeoutMs ?? 5000;
  const body = JSON.stringify(notification);
  if (url.protocol === 'ws:' || url.protocol === 'wss:') return publishMqtt(url, body, lookup, timeoutMs);
  const status = await postJson(url, body, lookup, timeoutMs);
  if (status >= 300 && status < 400) throw new Error(`answered ${status}; redirects are not followed`);
  if (status < 200 || status >= 300) throw new Error(`answered ${status}`);
}

/**
 * The relay's answer to one request: `body` is what the page sent (only the notification), `target` the carer URL
 * from the settings (null: carer notifications are off). Failures are logged in detail and answered generically.
 */
export async function relayToCarer(target: string | null, body: unknown, options: RelayOptions = {}): Promise<RelayResult> {
  if (!isCarerNotification(body)) return { status: 400, message: 'the body must be one carer notification' };
  const log = options.log ?? ((message: string) => console.warn(message));
  if (target === null) {
    log(`carer notification ${body.id} not delivered: carer notifications are off in the settings`);
    return { status: 502, message: NOT_DELIVERED };
  }
  try {
    await sendToCarer(target, body, options);
    return { status: 204, message: 'delivered' };
  } catch (error) {
    log(`carer notification ${body.id} not delivered to ${target}: ${(error as Error).message}`);
    return { status: 502, message: NOT_DELIVERED };
  }
}
