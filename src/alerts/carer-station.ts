// The carer station's side of the broker, held by the host of a station page (`--station` or `?station=1`): one
// subscription to every kiosk under the topic prefix, folded into StationState; acknowledgements published back to
// the kiosk's ack topic; the skeleton clips kiosks retain, kept for replay. The page asks its host for all of it
// (its CSP allows nothing else). Node only.
import { BrokerLink, isMqttUrl, LinkSlot, type LinkState } from './broker-link';
import { ackMessage, kioskTopic, parseKioskMessage, parseKioskTopic, stationSubscription, type ClipMessage } from './carer-messages';
import { resolvedKioskId, type CarerSettings, type RelayOptions } from './carer-relay';
import { emptyStation, kioskList, reduceStation, type KioskView, type StationState } from './station-state';
import { isLocalNetworkUrl } from '../settings/local-network';

/** Clips kept for replay (each at most a ±10 s skeleton clip at CLIP_FPS). */
export const KEPT_CLIPS = 100;

export interface StationSnapshot {
  /** off: no MQTT broker in the settings; otherwise the broker link's state. */
  link: LinkState | { state: 'off'; problem: string };
  stationId: string;
  kiosks: KioskView[];
}

const isTopicLevel = (text: unknown): text is string => typeof text === 'string' && text !== '' && !/[/#+]/.test(text);

export class CarerStation {
  private readonly slot = new LinkSlot();
  private state: StationState = emptyStation();
  private readonly clips = new Map<string, ClipMessage>();

  constructor(private readonly options: RelayOptions = {}) {}

  /** Opens (or re-opens after a settings change) the subscription; null without an MQTT broker in the settings. */
  sync(carer: CarerSettings | null): BrokerLink | null {
    const wanted = carer && isMqttUrl(carer.url) && isLocalNetworkUrl(carer.url) ? carer : null;
    const stationId = wanted ? resolvedKioskId(wanted) : '';
    const { link, fresh } = this.slot.sync(wanted, `skeleton-sentinel-station-${stationId}`, (config, previous) => {
      const prefix = wanted!.mqtt.topicPrefix;
      return new BrokerLink(
        { ...config, subscriptions: [stationSubscription(prefix)] },
        { ...this.options, after: previous, onMessage: (topic, payload) => this.received(prefix, topic, payload) },
      );
    });
    // What the old broker said does not describe the new one's kiosks.
    if (fresh) {
      this.state = emptyStation();
      this.clips.clear();
    }
    return link;
  }

  snapshot(carer: CarerSettings | null): StationSnapshot {
    const link = this.sync(carer);
    const stationId = carer ? resolvedKioskId(carer) : '';
    if (!link) return { link: { state: 'off', problem: 'alerts.carer.url must name the MQTT broker (mqtt://, mqtts://, ws:// or wss://) for a station' }, stationId, kiosks: [] };
    return { link: link.state, stationId, kiosks: kioskList(this.state) };
  }

  /** Publishes the acknowledgement to the kiosk (QoS 1); it comes back on the subscription and clears the alarm. */
  async acknowledge(carer: CarerSettings | null, body: unknown): Promise<{ status: 204 | 400 | 502; message: string }> {
    const { kioskId, eventId } = (body ?? {}) as { kioskId?: unknown; eventId?: unknown };
    if (!isTopicLevel(kioskId) || typeof eventId !== 'string' || eventId === '') return { status: 400, message: 'the body must be { kioskId, eventId }' };
    const link = this.sync(carer);
    if (!link || !carer) return { status: 502, message: 'no MQTT broker in the settings' };
    try {
      const ack = ackMessage(kioskId, eventId, resolvedKioskId(carer), new Date());
      await link.publish(kioskTopic(carer.mqtt.topicPrefix, kioskId, 'ack'), JSON.stringify(ack));
      return { status: 204, message: 'acknowledged' };
    } catch (error) {
      this.options.log?.(`acknowledgement of ${kioskId}/${eventId} not sent: ${(error as Error).message}`);
      return { status: 502, message: `not sent: ${(error as Error).message}` };
    }
  }

  clip(kioskId: string, eventId: string): ClipMessage | null {
    return this.clips.get(`${kioskId}/${eventId}`) ?? null;
  }

  close(): Promise<void> {
    return this.slot.close();
  }

  private received(prefix: string, topic: string, payload: Buffer): void {
    const where = parseKioskTopic(prefix, topic);
    if (!where) return;
    const message = parseKioskMessage(where.kind, where.kioskId, payload.toString('utf8'));
    if (!message) return;
    if (message.schema === 'skeleton-sentinel/clip') {
      this.clips.set(`${message.kioskId}/${message.eventId}`, message);
      if (this.clips.size > KEPT_CLIPS) this.clips.delete(this.clips.keys().next().value!);
    }
    this.state = reduceStation(this.state, message);
  }
}
