// The local server's carer and station routes (src/kiosk/host.ts): behind the same guard as the rest of the API,
// validated bodies, and a station that says it needs an MQTT broker when the settings name a webhook.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HOST_ROUTES } from '../../../src/kiosk/host';
import { writeSettings } from '../../../src/settings/settings-file';
import { startStaticServer, type StartedServer } from '../../../scripts/serve';
import { originOf, pagePost, send } from '../helpers/host-requests';

const workDir = mkdtempSync(join(tmpdir(), 'host-carer-routes-'));
let host: StartedServer;

beforeAll(async () => {
  writeFileSync(join(workDir, 'index.html'), '<!doctype html><title>app</title>');
  // A webhook nobody answers: nothing here delivers to it.
  await writeSettings(workDir, { alerts: { carer: { enabled: true, url: 'http://192.168.9.9:8080/hook', webhook: { secret: 'not for the page' } } } });
  host = await startStaticServer({ root: workDir, host: '127.0.0.1', port: 0, dataFolder: workDir, kiosk: false, auth: false });
});

afterAll(() => {
  host?.server.close();
  rmSync(workDir, { recursive: true, force: true });
});

describe('carer and station routes', () => {
  it('serves the carer and station routes behind the same guard; the station needs an MQTT broker', async () => {
    const state = await send(host.url, HOST_ROUTES.carerState, { headers: { 'sec-fetch-site': 'same-origin' } });
    expect(state.json()).toMatchObject({ channel: 'webhook', acks: [] });
    expect(state.text).not.toContain('not for the page');
    expect((await send(host.url, HOST_ROUTES.carerState, { headers: { origin: 'https://attacker.example' } })).status).toBe(403);
    const station = await send(host.url, HOST_ROUTES.stationState, { headers: { 'sec-fetch-site': 'same-origin' } });
    expect(station.json()).toMatchObject({ link: { state: 'off', problem: expect.stringMatching(/must name the MQTT broker/) }, kiosks: [] });
    const ack = JSON.stringify({ kioskId: 'room-1', eventId: 'e1' });
    expect((await send(host.url, HOST_ROUTES.stationAck, { method: 'POST', headers: { origin: originOf(host.url) }, body: ack })).status).toBe(403);
    expect((await pagePost(host.url, HOST_ROUTES.stationAck, { kioskId: 'room-1', eventId: 'e1' })).status).toBe(502);
    expect((await pagePost(host.url, HOST_ROUTES.stationAck, { kioskId: '#', eventId: 'e1' })).status).toBe(400);
    expect((await send(host.url, `${HOST_ROUTES.stationClip}?kiosk=room-1&event=e1`, { headers: { 'sec-fetch-site': 'same-origin' } })).status).toBe(404);
    // A webhook gets no clips; a body that is not a clip is refused.
    expect((await pagePost(host.url, HOST_ROUTES.publishClip, { eventId: 'e1', eventT: 0, frames: [] })).status).toBe(400);
    const clip = { schema: 'skeleton-sentinel/clip', version: 1, eventId: 'e1', eventT: 0, layout: 'blazepose33', width: 640, height: 480, frames: [] };
    expect((await pagePost(host.url, HOST_ROUTES.publishClip, clip)).status).toBe(204);
  });


  it('never gives the page the webhook secret', async () => {
    const session = await send(host.url, HOST_ROUTES.session, { headers: { 'sec-fetch-site': 'same-origin' } });
    expect(session.json().settings.alerts.carer).toMatchObject({ enabled: true, webhook: {} });
    expect(session.text).not.toContain('not for the page');
  });
});
