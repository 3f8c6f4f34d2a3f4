// The carer relay, run by the host (local server or Electron main), never by the page: the renderer's CSP is
// `connect-src 'self'`, so notifications leave only through here. The target is the one in the settings file
// (validated when saved); a request never chooses it. A webhook gets one signed POST per notification; an MQTT
// broker gets them over one long-lived connection (broker-link.ts) that also carries the kiosk's retained status
// and brings back the stations' acknowledgements. Every resolved address must be on the local network; failures
// reach the page as one generic message, except setting problems the user can fix (wrong password, untrusted
// certificate), which are named. Node only.
import { hostname } from 'node:os';
import type { MonitoringConfig } from '../settings/config';
import { isLocalNetworkUrl } from '../settings/local-network';
import { BrokerLink, CarerSetupError, isMqttUrl, LinkSlot, type LinkState } from './broker-link';
import { ackMessage, eventMessage, kioskTopic, parseKioskMessage, parseKioskTopic, statusMessage, type AckMessage, type ClipMessage } from './carer-messages';
import type { CarerNotification } from './carer-outbox';
import { localOnlyLookup, type LookupFunction } from './local-lookup';
import { postWebhook } from './webhook';

/** What the caller learns of a network failure: nothing that tells a closed port from a refused redirect. */
export const NOT_DELIVERED = 'not delivered';
export const MAX_NOTIFICATION_BYTES = 64 * 1024;
/** A ±10 s skeleton clip at CLIP_FPS. */
export const MAX_CLIP_BYTES = 2 * 1024 * 1024;
const KEPT_ACKS = 100;

export type CarerSettings = MonitoringConfig['alerts']['carer'];

export interface RelayResult {
  /** 204 delivered, 400 not a notification, 502 not delivered (any reason). */
  status: 204 | 400 | 502;
  message: string;
}

/** What the kiosk page shows of its carer channel, and the acknowledgements stations sent since `since`. */
export interface CarerLinkState {
  channel: 'off' | 'webhook' | 'mqtt';
  state: LinkState['state'] | null;
  problem: string | null;
  kioskId: string;
  acks: Array<{ seq: number; ack: AckMessage }>;
}

export interface RelayOptions {
  timeoutMs?: number;
  /** Name resolution (dns.lookup); tests inject one to play a DNS rebinding. */
  lookup?: LookupFunction;
  /** Why a notification was not delivered, for the host's log. */
  log?: (message: string) => void;
}

/** The body must look like what carerNotification() makes; anything else is not relayed. */
export function isCarerNotification(value: unknown): value is CarerNotification {
  const n = value as Partial<CarerNotification> | null;
  return (
    typeof n === 'object' && n !== null && n.source === 'skeleton-sentinel' &&
    typeof n.id === 'string' && typeof n.type === 'string' && typeof n.message === 'string' && typeof n.time === 'string'
  );
}

/** The settings' kiosk id, or this machine's name made into one topic level. */
export function resolvedKioskId(carer: Pick<CarerSettings, 'kioskId'>, machine = hostname()): string {
  return carer.kioskId || machine.replace(/[/#+\s]/g, '-') || 'kiosk';
}

export class CarerRelay {
  private readonly slot = new LinkSlot();
  private readonly inFlight = new Map<string, Promise<void>>();
  private readonly acks: Array<{ seq: number; ack: AckMessage }> = [];
  private seq = 0;

  constructor(private readonly options: RelayOptions = {}) {}

  private get log(): (message: string) => void {
    return this.options.log ?? ((message) => console.warn(message));
  }

  /** The broker link for these settings: opened, kept, or replaced after a settings change; null without MQTT. */
  sync(carer: CarerSettings | null): BrokerLink | null {
    const wanted = carer?.enabled && isMqttUrl(carer.url) && isLocalNetworkUrl(carer.url) ? carer : null;
    const kioskId = wanted ? resolvedKioskId(wanted) : '';
    return this.slot.sync(wanted, `skeleton-sentinel-kiosk-${kioskId}`, (config, previous) => {
      const prefix = wanted!.mqtt.topicPrefix;
      const status = kioskTopic(prefix, kioskId, 'status');
      // The will's time is when this connection started: the broker sends it unchanged, whenever the kiosk is lost.
      const now = new Date();
      return new BrokerLink(
        {
          ...config, subscriptions: [kioskTopic(prefix, kioskId, 'ack')],
          will: { topic: status, payload: JSON.stringify(statusMessage(kioskId, 'offline', now)) },
          online: { topic: status, payload: JSON.stringify(statusMessage(kioskId, 'online', now)) },
        },
        { lookup: this.options.lookup, log: this.log, timeoutMs: this.options.timeoutMs, after: previous, onMessage: (topic, payload) => this.received(prefix, kioskId, topic, payload) },
      );
    }).link;
  }

  /** Delivers one notification; `carer` null: carer notifications are off. Failures are logged in detail. */
  async relay(carer: CarerSettings | null, body: unknown): Promise<RelayResult> {
    if (!isCarerNotification(body)) return { status: 400, message: 'the body must be one carer notification' };
    return this.deliver(carer, body.id, async (settings, kioskId) => {
      const message = JSON.stringify(eventMessage(kioskId, body));
      if (!isMqttUrl(settings.url)) return this.post(settings, message);
      const link = this.sync(settings)!;
      // A retry of a notification still waiting for its PUBACK waits for that one instead of publishing it twice.
      const pending = this.inFlight.get(body.id) ?? link.publish(kioskTopic(settings.mqtt.topicPrefix, kioskId, 'event'), message).finally(() => this.inFlight.delete(body.id));
      this.inFlight.set(body.id, pending);
      await pending;
    });
  }

  /** Publishes an event's skeleton clip, retained on the kiosk's clip topic (MQTT only; a webhook gets none). */
  async relayClip(carer: CarerSettings | null, body: unknown): Promise<RelayResult> {
    const kioskId = carer ? resolvedKioskId(carer) : '';
    const clip = parseKioskMessage('clip', kioskId, JSON.stringify({ ...(body as object), kioskId })) as ClipMessage | null;
    if (!clip || typeof body !== 'object') return { status: 400, message: 'the body must be one clip message' };
    if (carer && carer.enabled && !isMqttUrl(carer.url)) return { status: 204, message: 'clips go to MQTT brokers only' };
    return this.deliver(carer, clip.eventId, async (settings) => {
      await this.sync(settings)!.publish(kioskTopic(settings.mqtt.topicPrefix, kioskId, 'clip'), JSON.stringify(clip), true);
    });
  }

  /** An alert acknowledged at the kiosk, published on its own ack topic so stations clear it (MQTT only). */
  async relayAck(carer: CarerSettings | null, body: unknown): Promise<RelayResult> {
    const eventId = (body as { eventId?: unknown } | null)?.eventId;
    if (typeof eventId !== 'string' || eventId === '') return { status: 400, message: 'the body must be { eventId }' };
    if (carer?.enabled && !isMqttUrl(carer.url)) return { status: 204, message: 'acknowledgements go to MQTT brokers only' };
    return this.deliver(carer, eventId, async (settings, kioskId) => {
      const ack = ackMessage(kioskId, eventId, kioskId, new Date());
      await this.sync(settings)!.publish(kioskTopic(settings.mqtt.topicPrefix, kioskId, 'ack'), JSON.stringify(ack));
    });
  }

  /** The channel's state for the page, with the acknowledgements numbered after `since`. */
  state(carer: CarerSettings | null, since: number): CarerLinkState {
    const link = this.sync(carer);
    const channel = !carer?.enabled ? 'off' : link ? 'mqtt' : 'webhook';
    return {
      channel, state: link?.state.state ?? null, problem: link?.state.problem ?? null, kioskId: carer ? resolvedKioskId(carer) : '',
      acks: this.acks.filter(({ seq }) => seq > since),
    };
  }

  close(): Promise<void> {
    return this.slot.close();
  }

  private async deliver(carer: CarerSettings | null, id: string, send: (carer: CarerSettings, kioskId: string) => Promise<void>): Promise<RelayResult> {
    if (!carer?.enabled) {
      this.log(`carer message ${id} not delivered: carer notifications are off in the settings`);
      return { status: 502, message: NOT_DELIVERED };
    }
    try {
      if (!isLocalNetworkUrl(carer.url)) throw new Error(`${carer.url} is not an http(s), mqtt(s) or ws(s) address on the local network`);
      await send(carer, resolvedKioskId(carer));
      return { status: 204, message: 'delivered' };
    } catch (error) {
      this.log(`carer message ${id} not delivered to ${carer.url}: ${(error as Error).message}`);
      return { status: 502, message: error instanceof CarerSetupError ? `${NOT_DELIVERED}: ${error.message}` : NOT_DELIVERED };
    }
  }

  private async post(carer: CarerSettings, body: string): Promise<void> {
    const lookup = localOnlyLookup(this.options.lookup);
    const status = await postWebhook(new URL(carer.url), body, { secret: carer.webhook.secret, lookup, timeoutMs: this.options.timeoutMs ?? 5000 });
    if (status >= 300 && status < 400) throw new Error(`answered ${status}; redirects are not followed`);
    if (status < 200 || status >= 300) throw new Error(`answered ${status}`);
  }

  private received(prefix: string, kioskId: string, topic: string, payload: Buffer): void {
    const where = parseKioskTopic(prefix, topic);
    const ack = where?.kind === 'ack' && where.kioskId === kioskId ? (parseKioskMessage('ack', kioskId, payload.toString('utf8')) as AckMessage | null) : null;
    // Its own acknowledgements (made at the kiosk) come back too: only the stations' are news here.
    if (!ack || ack.by === kioskId) return;
    this.acks.push({ seq: ++this.seq, ack });
    if (this.acks.length > KEPT_ACKS) this.acks.shift();
  }
}
