// A carer station and 20 simulated kiosks (each the kiosk host's own CarerRelay, one MQTT.js client each) against
// Debian's mosquitto, all publishing at once: statuses, alarms, clips; acknowledgements back to one kiosk.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clipMessage } from '../../../src/alerts/carer-messages';
import type { CarerNotification } from '../../../src/alerts/carer-outbox';
import { CarerRelay, type CarerSettings } from '../../../src/alerts/carer-relay';
import { CarerStation } from '../../../src/alerts/carer-station';
import type { EventClip } from '../../../src/events/event-log';
import { resolveMonitoringConfig } from '../../../src/settings/config';
import { startMosquitto, type Broker } from '../helpers/mosquitto';

const KIOSKS = 20;
const EVENTS_PER_KIOSK = 3;
const retry = { initialMs: 100, maxMs: 400, factor: 2 };
const carer = (url: string, kioskId: string): CarerSettings =>
  resolveMonitoringConfig({ alerts: { carer: { enabled: true, url, kioskId, retry, mqtt: { topicPrefix: 'care-home/west' } } } }).alerts.carer;
const notification = (kiosk: number, n: number): CarerNotification => ({
  source: 'skeleton-sentinel', id: `room-${kiosk}-fall-${n}`, type: n === 0 ? 'fall' : 'on_floor', message: 'Fall detected',
  time: new Date(Date.UTC(2026, 0, 1, 8, kiosk, n)).toISOString(), confidence: 0.9, personId: 0, signals: {},
});
const clip = (id: string): EventClip => ({
  id, fromT: 0, toT: 2000,
  frames: Array.from({ length: 21 }, (_, i) => ({ t: i * 100, width: 640, height: 480, people: [{ landmarks: Array.from({ length: 33 }, () => [0.5, 0.5, 0, 1] as [number, number, number, number]), world: [] }] })),
});

let broker: Broker;
const kiosks: Array<{ relay: CarerRelay; settings: CarerSettings }> = [];
const stations: CarerStation[] = [];
const newStation = () => {
  const station = new CarerStation({ log: () => {} });
  stations.push(station);
  return station;
};

beforeAll(async () => {
  broker = await startMosquitto();
});
afterAll(async () => {
  await Promise.all([...kiosks.map(({ relay }) => relay.close()), ...stations.map((station) => station.close())]);
  await broker?.stop();
});

describe('carer station with 20 kiosks on one broker', () => {
  it('shows every kiosk online with its alarms and clips, acknowledges one back to its kiosk, hears a kiosk acknowledge, and sees kiosks leave', async () => {
    const station = newStation();
    const stationSettings = carer(broker.tcpUrl, 'nurses');
    station.sync(stationSettings);
    for (let i = 0; i < KIOSKS; i++) kiosks.push({ relay: new CarerRelay({ log: () => {} }), settings: carer(broker.tcpUrl, `room-${String(i).padStart(2, '0')}`) });
    for (const { relay, settings } of kiosks) relay.sync(settings);
    const snapshot = () => station.snapshot(stationSettings);
    // Every kiosk's status has reached the station: its subscription is live.
    await expect.poll(() => snapshot().kiosks.filter((kiosk) => kiosk.online).length, { timeout: 30_000 }).toBe(KIOSKS);

    // All at once: every kiosk sends its alarms and their clips.
    const results = await Promise.all(kiosks.flatMap(({ relay, settings }, k) =>
      Array.from({ length: EVENTS_PER_KIOSK }, async (_, n) => {
        const sent = notification(k, n);
        const delivered = await relay.relay(settings, sent);
        const clipped = await relay.relayClip(settings, clipMessage('', 1000, clip(sent.id)));
        return [delivered.status, clipped.status];
      })));
    expect(results.flat().every((status) => status === 204)).toBe(true);
    await expect.poll(() => snapshot().kiosks.reduce((sum, kiosk) => sum + kiosk.alarms.length, 0), { timeout: 30_000 }).toBe(KIOSKS * EVENTS_PER_KIOSK);
    const views = snapshot().kiosks;
    expect(views.map((kiosk) => kiosk.kioskId)).toEqual(kiosks.map(({ settings }) => settings.kioskId));
    for (const [k, view] of views.entries()) {
      expect(view.alarms.map((event) => event.id)).toEqual([2, 1, 0].map((n) => `room-${k}-fall-${n}`));
      expect(view.lastEvent?.id).toBe(`room-${k}-fall-2`);
    }
    // The clip topic is retained per kiosk: the station held each as it came.
    await expect.poll(() => station.clip('room-07', 'room-7-fall-1')?.frames.length ?? 0, { timeout: 10_000 }).toBe(21);

    // Acknowledge one alarm: the station and that kiosk (only that one) hear of it.
    expect(await station.acknowledge(stationSettings, { kioskId: 'room-07', eventId: 'room-7-fall-1' })).toEqual({ status: 204, message: 'acknowledged' });
    const room7 = kiosks[7]!;
    await expect.poll(() => room7.relay.state(room7.settings, 0).acks.map(({ ack }) => ack), { timeout: 10_000 }).toEqual([
      expect.objectContaining({ schema: 'skeleton-sentinel/ack', version: 1, kioskId: 'room-07', eventId: 'room-7-fall-1', by: 'nurses' }),
    ]);
    await expect.poll(() => snapshot().kiosks[7]!.alarms.map((event) => event.id), { timeout: 10_000 }).toEqual(['room-7-fall-2', 'room-7-fall-0']);
    expect(kiosks[8]!.relay.state(kiosks[8]!.settings, 0).acks).toEqual([]);
    // Acknowledged at the kiosk: the station clears it too; the kiosk does not take its own ack for a station's.
    const room8 = kiosks[8]!;
    expect(await room8.relay.relayAck(room8.settings, { eventId: 'room-8-fall-2' })).toEqual({ status: 204, message: 'delivered' });
    await expect.poll(() => snapshot().kiosks[8]!.alarms.map((event) => event.id), { timeout: 10_000 }).toEqual(['room-8-fall-1', 'room-8-fall-0']);
    expect(snapshot().kiosks[8]!.acks).toEqual([expect.objectContaining({ eventId: 'room-8-fall-2', by: 'room-08' })]);
    expect(room8.relay.state(room8.settings, 0).acks).toEqual([]);
    expect(await station.acknowledge(stationSettings, { kioskId: 'room/#', eventId: 'x' })).toMatchObject({ status: 400 });

    // A station started now learns every kiosk's status and last clip from retained messages.
    const late = newStation();
    await expect.poll(() => late.snapshot(stationSettings).kiosks.filter((kiosk) => kiosk.online && kiosk.clips.length === 1).length, { timeout: 30_000 }).toBe(KIOSKS);

    // Five kiosks shut down: their retained status turns offline.
    await Promise.all(kiosks.slice(0, 5).map(({ relay }) => relay.close()));
    await expect.poll(() => snapshot().kiosks.filter((kiosk) => kiosk.online === false).map((kiosk) => kiosk.kioskId), { timeout: 10_000 }).toEqual(['room-00', 'room-01', 'room-02', 'room-03', 'room-04']);
  });
});
