import type { EventClip, EventLog, LoggedEvent } from '../events/event-log';
import { clipDurationMs, clipToRecording, eventsToCsv, eventsToJson } from '../events/review';
import { replayClip } from './clip-replay';
import { elementMaker } from './element-maker';

export interface ReviewScreenOptions {
  /** Saves a file for the user (the UI's download helper). */
  save: (file: File) => void;
  /** Acknowledges an event; resolves once stored (AlertCenter.acknowledge, then AlertCenter.settled). */
  acknowledge: (id: string) => Promise<void>;
  minVisibility: number;
}

/**
 * The list shows this many events, newest first, and grows by as many on "Show older": a kiosk that runs for weeks
 * must not build DOM for every event it ever logged (exports still take them all).
 */
export const REVIEW_PAGE_SIZE = 20;

const TYPE_TEXT: Record<LoggedEvent['type'], string> = {
  fall: 'Fall', near_fall: 'Near fall', on_floor: 'On the floor', absence: 'Nobody seen', held_action: 'Action held',
};

/**
 * Review screen: the event list (newest first), replay of an event's skeleton clip on a plain background (no
 * camera image is ever stored), CSV / JSON export. DOM only; the logic is in review.ts and event-log.ts.
 */
export function mountReviewScreen(container: HTMLElement, log: EventLog, options: ReviewScreenOptions): { refresh(): Promise<void>; destroy(): void } {
  const doc = container.ownerDocument;
  const element = elementMaker(doc);
  container.replaceChildren();
  const toolbar = element('div', '', 'review-toolbar');
  const csvButton = element('button', 'Export CSV');
  const jsonButton = element('button', 'Export JSON');
  toolbar.append(csvButton, jsonButton);
  const list = element('ol', '', 'review-events');
  const canvas = element('canvas', '', 'review-replay');
  canvas.width = 640;
  canvas.height = 480;
  const caption = element('p', '', 'review-caption');
  container.append(toolbar, list, canvas, caption);

  let events: LoggedEvent[] = [];
  let shown = REVIEW_PAGE_SIZE;
  let stopReplay = () => {};

  const replay = (event: LoggedEvent, clip: EventClip) => {
    stopReplay();
    stopReplay = replayClip(canvas, caption, clip, event.t, TYPE_TEXT[event.type], options.minVisibility);
  };

  const render = () => {
    list.replaceChildren(
      ...events.slice(0, shown).map((event) => {
        const item = element('li', '', `review-event review-${event.type}`);
        item.dataset.eventId = event.id;
        const when = new Date(event.wallTime).toLocaleString();
        const state = event.recoveredAt !== null ? 'got up' : event.acknowledgedAt !== null ? 'acknowledged' : event.alert ? 'open' : '';
        item.append(element('span', `${when} · ${TYPE_TEXT[event.type]} · ${(100 * event.confidence).toFixed(0)} % ${state && `· ${state}`}`));
        const play = element('button', 'Replay');
        play.disabled = event.clip !== 'stored';
        play.addEventListener('click', async () => {
          const clip = await log.clip(event.id);
          if (clip) replay(event, clip);
        });
        const download = element('button', 'Clip (JSONL)');
        download.disabled = event.clip !== 'stored';
        download.addEventListener('click', async () => {
          const clip = await log.clip(event.id);
          const fps = clip && clip.frames.length > 1 ? Math.round((1000 * (clip.frames.length - 1)) / clipDurationMs(clip)) : 30;
          if (clip) options.save(new File([clipToRecording(clip, fps)], `${event.id}.jsonl`, { type: 'application/jsonl' }));
        });
        item.append(play, download);
        if (event.alert && event.acknowledgedAt === null) {
          const ack = element('button', 'Acknowledge');
          ack.addEventListener('click', () => void options.acknowledge(event.id).then(refresh));
          item.append(ack);
        }
        return item;
      }),
    );
    if (events.length === 0) list.append(element('li', 'No events recorded.', 'review-empty'));
    if (events.length > shown) {
      const more = element('button', `Show older (${events.length - shown} more)`, 'review-more');
      more.addEventListener('click', () => {
        shown += REVIEW_PAGE_SIZE;
        render();
      });
      list.append(element('li', '', 'review-older'));
      list.lastElementChild!.append(more);
    }
  };

  async function refresh(): Promise<void> {
    events = await log.list();
    render();
  }

  const stamp = () => new Date().toISOString().slice(0, 19).replace(/[:T]/g, '-');
  csvButton.addEventListener('click', () => options.save(new File([eventsToCsv(events)], `events-${stamp()}.csv`, { type: 'text/csv' })));
  jsonButton.addEventListener('click', () => options.save(new File([eventsToJson(events)], `events-${stamp()}.json`, { type: 'application/json' })));
  void refresh();
  return {
    refresh,
    destroy() {
      stopReplay();
      container.replaceChildren();
    },
  };
}
