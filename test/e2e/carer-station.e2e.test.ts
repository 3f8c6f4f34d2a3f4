// The carer station in Chromium against Debian's mosquitto: three simulated kiosks (each a kiosk host's CarerRelay),
// one falls; the station shows it, replays its skeleton clip and acknowledges it, and the acknowledgement reaches
// that kiosk. Then the real kiosk app: a fall in front of its fake camera reaches the station, whose acknowledgement
// clears the kiosk's alarm; and a kiosk whose broker password is wrong says so in its alerts panel.
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clipMessage } from '../../src/alerts/carer-messages';
import type { CarerNotification } from '../../src/alerts/carer-outbox';
import { CarerRelay, type CarerSettings } from '../../src/alerts/carer-relay';
import type { EventClip } from '../../src/events/event-log';
import { resolveMonitoringConfig, type MonitoringOverrides } from '../../src/settings/config';
import { serveApp, type ServedApp } from '../../scripts/headless/app-server';
import { launchChromium, type LaunchedChromium } from '../../scripts/headless/chromium';
import { startMosquitto, type Broker } from '../unit/helpers/mosquitto';
import { makeFallClip } from './helpers/fall-clip';

const retry = { initialMs: 200, maxMs: 1000, factor: 2 };
const carerOverrides = (url: string, kioskId: string, extra: MonitoringOverrides['alerts'] = {}): MonitoringOverrides => ({
  alerts: { sound: { enabled: false }, desktopNotification: false, ...extra, carer: { enabled: true, url, kioskId, retry, ...extra.carer } },
});
const settingsOf = (overrides: MonitoringOverrides): CarerSettings => resolveMonitoringConfig(overrides).alerts.carer;
const fall: CarerNotification = {
  source: 'skeleton-sentinel', id: 'room-2-fall-1', type: 'fall', message: 'Fall detected', time: new Date().toISOString(), confidence: 0.91, personId: 0, signals: {},
};
const fallClip: EventClip = {
  id: fall.id, fromT: 0, toT: 4000,
  frames: Array.from({ length: 41 }, (_, i) => ({
    t: i * 100, width: 640, height: 480,
    people: [{ landmarks: Array.from({ length: 33 }, (_, j) => [0.3 + (0.4 * j) / 33, 0.2 + (0.6 * i) / 41, 0, 1] as [number, number, number, number]), world: [] }],
  })),
};

let broker: Broker;
let station: ServedApp;
let browser: LaunchedChromium;
let stationPage: Page;
const served: ServedApp[] = [];
const kiosks: Array<{ relay: CarerRelay; settings: CarerSettings }> = [];
const kioskCard = (id: string) => stationPage.locator(`.station-kiosk[data-kiosk-id="${id}"]`);

beforeAll(async () => {
  broker = await startMosquitto({ users: { kiosk: 'right-password' } });
  station = await serveApp({ station: true, settings: { alerts: { carer: { url: broker.tcpUrl, kioskId: 'nurses', retry } } } });
  browser = await launchChromium({ fakeVideo: makeFallClip() });
  stationPage = await browser.context.newPage();
  await stationPage.goto(station.url);
});

afterAll(async () => {
  await Promise.all(kiosks.map(({ relay }) => relay.close()));
  await browser?.close();
  for (const app of [station, ...served]) await app?.close();
  await broker?.stop();
});

describe('carer station', () => {
  it('shows three kiosks; one falls: the station shows it, replays its clip, acknowledges it; that kiosk gets the ack', async () => {
    for (const id of ['room-1', 'room-2', 'room-3']) {
      const settings = settingsOf(carerOverrides(broker.tcpUrl, id));
      const relay = new CarerRelay({ log: () => {} });
      relay.sync(settings);
      kiosks.push({ relay, settings });
    }
    await expect.poll(() => stationPage.locator('.station-kiosk[data-online="true"]').count(), { timeout: 30_000 }).toBe(3);
    expect(await stationPage.getAttribute('.station-link', 'data-link-state')).toBe('connected');

    const room2 = kiosks[1]!;
    expect(await room2.relay.relay(room2.settings, fall)).toMatchObject({ status: 204 });
    expect(await room2.relay.relayClip(room2.settings, clipMessage('', 2000, fallClip))).toMatchObject({ status: 204 });
    const alarm = kioskCard('room-2').locator(`.station-alarm[data-event-id="${fall.id}"]`);
    await expect.poll(() => alarm.count(), { timeout: 20_000 }).toBe(1);
    expect(await alarm.getAttribute('data-event-type')).toBe('fall');
    expect(await kioskCard('room-2').getAttribute('data-alarms')).toBe('1');
    expect(await kioskCard('room-1').getAttribute('data-alarms')).toBe('0');

    await expect.poll(() => alarm.locator('button', { hasText: 'Replay' }).isEnabled(), { timeout: 20_000 }).toBe(true);
    await alarm.locator('button', { hasText: 'Replay' }).click();
    await expect.poll(() => stationPage.getAttribute('canvas.station-clip', 'data-replaying')).toBe(fall.id);
    await expect.poll(() => stationPage.textContent('.station-caption')).toMatch(/^room-2 · Fall · [+−]\d+\.\d s$/);

    await alarm.locator('button', { hasText: 'Acknowledge' }).click();
    await expect.poll(() => room2.relay.state(room2.settings, 0).acks.map(({ ack }) => [ack.eventId, ack.by]), { timeout: 20_000 }).toEqual([[fall.id, 'nurses']]);
    await expect.poll(() => kioskCard('room-2').getAttribute('data-alarms'), { timeout: 20_000 }).toBe('0');
    expect(await kioskCard('room-2').locator('.kiosk-last').textContent()).toMatch(/acknowledged by nurses/);
    for (const other of [kiosks[0]!, kiosks[2]!]) expect(other.relay.state(other.settings, 0).acks).toEqual([]);

    await kiosks[2]!.relay.close();
    await expect.poll(() => kioskCard('room-3').getAttribute('data-online'), { timeout: 20_000 }).toBe('false');
  });

  it('a fall in front of a real kiosk reaches the station; the station acknowledges it and the kiosk alarm stops', async () => {
    const kiosk = await serveApp({ settings: carerOverrides(broker.tcpUrl, 'room-real') });
    served.push(kiosk);
    const page = await browser.context.newPage();
    await page.goto(`${kiosk.url}?autostart&pose=lite`);
    await expect.poll(() => page.getAttribute('#alerts .alerts-carer', 'data-carer-state'), { timeout: 30_000 }).toBe('connected');
    await expect.poll(() => page.getAttribute('#alerts', 'data-active-alerts'), { timeout: 90_000, interval: 500 }).toBe('1');
    const alarm = kioskCard('room-real').locator('.station-alarm[data-event-type="fall"]');
    await expect.poll(() => alarm.count(), { timeout: 30_000 }).toBe(1);
    await alarm.locator('button', { hasText: 'Acknowledge' }).click();
    await expect.poll(() => page.getAttribute('#alerts', 'data-active-alerts'), { timeout: 30_000 }).toBe('0');
    expect(await page.textContent('#alerts .alerts-carer')).toMatch(/acknowledged at the carer station \(nurses\)/);
    await page.close();
  });

  it('a kiosk whose broker password is wrong says so in its alerts panel', async () => {
    const overrides = carerOverrides(broker.authUrl!, 'room-locked', { carer: { mqtt: { username: 'kiosk', password: 'wrong' } } });
    const kiosk = await serveApp({ settings: overrides });
    served.push(kiosk);
    const page = await browser.context.newPage();
    await page.goto(`${kiosk.url}?pose=lite&model=none`);
    await expect.poll(() => page.getAttribute('#alerts .alerts-carer', 'data-carer-state'), { timeout: 30_000 }).toBe('failing');
    expect(await page.textContent('#alerts .alerts-carer')).toMatch(/^Carer broker: the broker at mqtt:\/\/127\.0\.0\.1:\d+ refused the login \(not authorised\): check alerts\.carer\.mqtt\.username and password\.$/);
    await page.close();
  });
});
