import { AlarmSound } from '../../alerts/alarm-sound';
import type { EventMessage } from '../../alerts/carer-messages';
import type { StationSnapshot } from '../../alerts/carer-station';
import type { KioskView } from '../../alerts/station-state';
import type { StationHost } from '../../kiosk/host';
import type { MonitoringConfig } from '../../settings/config';
import { elementMaker } from '../element-maker';
import { playClip } from './clip-player';

/** How often the station asks its host for the kiosks' state (the host holds the broker subscription). */
export const STATION_POLL_MS = 1000;

const TITLES: Record<string, string> = {
  fall: 'Fall', near_fall: 'Near fall', on_floor: 'Person on the floor', absence: 'Nobody seen', held_action: 'Call for help',
};
const title = (event: EventMessage) => TITLES[event.type] ?? event.type;
const clock = (iso: string) => new Date(iso).toLocaleTimeString();

/**
 * The carer station (`?station=1`, `npm start -- --station`): every kiosk on the broker with online/offline, its
 * last event and its active alarms with Acknowledge, and the replay of an event's skeleton clip. The host holds the
 * MQTT subscription; this screen polls it. State for tests: `data-link-state` on the header's status,
 * `data-kiosk-id`, `data-online` and `data-alarms` on each kiosk, `data-event-id` on each alarm.
 */
export function mountStationScreen(body: HTMLElement, host: StationHost, config: MonitoringConfig): () => void {
  const doc = body.ownerDocument;
  const node = elementMaker(doc);
  doc.title = 'Skeleton Sentinel · carer station';
  const header = node('header', '', 'toolbar');
  const linkLine = node('span', 'Connecting to the broker…', 'station-link');
  header.append(node('h1', 'Carer station'), linkLine);
  const problem = node('p', '', 'banner error');
  problem.hidden = true;
  const kiosks = node('ul', '', 'station-kiosks');
  const replay = node('section', '', 'station-replay');
  const canvas = node('canvas', '', 'station-clip');
  const caption = node('p', 'Replay: choose an event.', 'station-caption');
  replay.append(canvas, caption);
  const main = node('main', '', 'station');
  main.append(kiosks, replay);
  body.replaceChildren(header, problem, main);

  const sound = config.alerts.sound.enabled ? new AlarmSound(config.alerts.sound.volume) : null;
  let stopReplay = () => {};
  let shown = '';
  let timer: ReturnType<typeof setTimeout> | undefined;
  const say = (text: string) => {
    problem.textContent = text;
    problem.hidden = text === '';
  };

  const replayButton = (kiosk: KioskView, event: EventMessage) => {
    const button = node('button', 'Replay');
    button.disabled = !kiosk.clips.includes(event.id);
    button.addEventListener('click', async () => {
      const clip = await host.clip(kiosk.kioskId, event.id).catch((error: unknown) => (say(`Clip: ${(error as Error).message}`), null));
      if (!clip) return;
      stopReplay();
      stopReplay = playClip(canvas, caption, clip, title(event), config.fall.reference.minVisibility);
    });
    return button;
  };

  const alarmItem = (kiosk: KioskView, event: EventMessage) => {
    const item = node('li', '', 'station-alarm');
    item.dataset.eventId = event.id;
    item.dataset.eventType = event.type;
    item.append(node('strong', title(event)), node('span', ` ${clock(event.time)} · ${(100 * event.confidence).toFixed(0)} %`));
    const ack = node('button', 'Acknowledge');
    ack.addEventListener('click', () => {
      ack.disabled = true;
      host.acknowledge(kiosk.kioskId, event.id).catch((error: unknown) => {
        ack.disabled = false;
        say((error as Error).message);
      });
    });
    item.append(ack, replayButton(kiosk, event));
    return item;
  };

  const kioskCard = (kiosk: KioskView) => {
    const card = node('li', '', 'station-kiosk');
    card.dataset.kioskId = kiosk.kioskId;
    card.dataset.online = kiosk.online === null ? 'unknown' : String(kiosk.online);
    card.dataset.alarms = String(kiosk.alarms.length);
    card.classList.toggle('alarm', kiosk.alarms.length > 0);
    // A status's time is when that connection began: "since" only for online.
    const state = kiosk.online === null ? 'status unknown' : kiosk.online ? `online since ${clock(kiosk.since!)}` : 'offline';
    card.append(node('h2', kiosk.kioskId), node('p', state, 'kiosk-status'));
    const last = kiosk.lastEvent;
    const lastLine = node('p', last ? `Last: ${title(last)} ${clock(last.time)}` : 'No event yet.', 'kiosk-last');
    const ack = last && kiosk.acks.find((a) => a.eventId === last.id);
    if (ack) lastLine.append(` · acknowledged by ${ack.by} ${clock(ack.time)}`);
    if (last && !kiosk.alarms.some((event) => event.id === last.id)) lastLine.append(' ', replayButton(kiosk, last));
    const alarms = node('ul', '', 'kiosk-alarms');
    alarms.append(...kiosk.alarms.map((event) => alarmItem(kiosk, event)));
    card.append(lastLine, alarms);
    return card;
  };

  const render = (snapshot: StationSnapshot) => {
    // Drawn again only when something changed, so a button is not replaced under the pointer.
    const text = JSON.stringify(snapshot);
    if (text === shown) return;
    shown = text;
    const { link } = snapshot;
    linkLine.dataset.linkState = link.state;
    linkLine.textContent = link.state === 'connected' ? `Connected as ${snapshot.stationId} · ${snapshot.kiosks.length} kiosks` : `Broker: ${link.problem ?? link.state}`;
    linkLine.classList.toggle('error', link.state === 'failing' || link.state === 'off');
    kiosks.replaceChildren(...snapshot.kiosks.map(kioskCard));
    const alarming = snapshot.kiosks.some((kiosk) => kiosk.alarms.length > 0);
    if (alarming) sound?.start();
    else sound?.stop();
  };

  const poll = async () => {
    try {
      render(await host.state());
      say('');
    } catch (error) {
      say(`Station: ${(error as Error).message}`);
    }
    timer = setTimeout(() => void poll(), STATION_POLL_MS);
  };
  void poll();
  return () => {
    clearTimeout(timer);
    stopReplay();
    sound?.stop();
  };
}
