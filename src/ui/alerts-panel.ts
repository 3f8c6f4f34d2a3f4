import type { Observable } from 'rxjs';
import type { PipelineEvent } from '../pipeline';
import type { HostApi } from '../kiosk/host';
import { keepScreenAwake } from '../kiosk/kiosk';
import { AlarmSound } from '../alerts/alarm-sound';
import { AlertCenter } from '../alerts/alert-center';
import { CarerOutbox } from '../alerts/carer-outbox';
import { resolveMonitoringConfig, type MonitoringOverrides } from '../settings/config';
import type { DegradedModes } from './degraded-banner';
import { DesktopNotifier } from '../alerts/desktop-notifier';
import { FallbackRecordStore } from '../events/fallback-store';
import { openRecordStore } from '../events/indexeddb-store';
import { EventLog } from '../events/event-log';
import type { MonitoringEvent } from '../monitoring/monitoring';
import { applyRetention, RETENTION_INTERVAL_MS } from '../events/retention';
import { mountReviewScreen } from './review-screen';
import { elementMaker } from './element-maker';
import { clipMessage } from '../alerts/carer-messages';
import { watchCarerLink } from './carer-link-view';

/** What src/ui/app.ts publishes for every run (SentinelApp.runs$). */
export interface AlertsRun {
  events$: Observable<PipelineEvent>;
  model: { labels: readonly string[]; trained: boolean } | null;
}

export interface AlertsPanelOptions {
  /** User settings over config/monitoring.defaults.json. */
  settings?: MonitoringOverrides;
  /** Saves an exported file (the UI's download helper). */
  save: (file: File) => void;
  /** The app's host: relays carer notifications to the target in its settings (src/kiosk/host.ts). */
  host: HostApi;
  /** A kiosk (the host's decision): the screen is kept awake. */
  kiosk: boolean;
  /** The banner of failing stages: storage and the model stage are reported there. */
  degraded: DegradedModes;
}

/** Storage that failed (or could not be opened) is tried again this often; meanwhile events are kept in memory. */
export const STORAGE_RETRY_MS = 10_000;

const TITLES: Record<MonitoringEvent['type'], string> = {
  fall: 'Fall', near_fall: 'Near fall', on_floor: 'Person on the floor', absence: 'Nobody seen', held_action: 'Call for help',
};

/**
 * The fall-monitoring panel in #alerts: active alerts with Acknowledge, status, and the review screen. One
 * AlertCenter per pipeline run; the event log, sound, notifications and carer outbox outlive runs.
 * State for tests: `data-active-alerts` (count) on the container, `data-event-type` and `data-event-id` on each active alert.
 */
export async function mountAlertsPanel(container: HTMLElement, runs$: Observable<AlertsRun>, options: AlertsPanelOptions): Promise<void> {
  const doc = container.ownerDocument;
  const config = resolveMonitoringConfig(options.settings ?? {});
  const node = elementMaker(doc);
  container.replaceChildren();
  const heading = node('h2', 'Fall monitoring');
  const status = node('p', 'Waiting for the camera.', 'alerts-status');
  const carerLine = node('p', '', 'alerts-carer');
  const activeList = node('ul', '', 'alerts-active');
  const review = node('details', '', 'alerts-review');
  review.append(node('summary', 'Event log'));
  const reviewBody = node('div');
  review.append(reviewBody);
  container.append(heading, status, carerLine, activeList, review);
  container.dataset.activeAlerts = '0';

  const problem = (message: string) => {
    status.textContent = message;
    status.classList.add('error');
  };
  const { degraded } = options;
  // Never "monitoring off": without storage the alarms, notifications and carer messages still go out.
  const store = await FallbackRecordStore.open(openRecordStore, {
    retryMs: STORAGE_RETRY_MS,
    onProblem: (reason) => (reason ? degraded.report('storage', reason) : degraded.clear('storage')),
  });
  const sound = config.alerts.sound.enabled ? new AlarmSound(config.alerts.sound.volume) : null;
  const notifier = config.alerts.desktopNotification ? new DesktopNotifier() : null;
  let outbox: CarerOutbox | null = null;
  if (config.alerts.carer.enabled) {
    outbox = new CarerOutbox(store, (notification) => options.host.notifyCarer(notification), config.alerts.carer.retry, problem);
    outbox.start();
  }
  // The skeleton clip of an alert, for carer stations to replay (best effort: the alert itself went through the outbox).
  const shareClip = outbox
    ? (clip: Parameters<typeof clipMessage>[2], eventT: number) => void options.host.publishClip(clipMessage('', eventT, clip)).catch((error: unknown) => problem(`carer clip: ${(error as Error).message}`))
    : undefined;

  let center: AlertCenter | null = null;
  const log = new EventLog(store);
  // Storage stays bounded: the retention policy runs at start and then hourly.
  const retain = () => void applyRetention(log, config.eventLog.retention, Date.now()).catch((error: unknown) => problem(`event log retention: ${(error as Error).message}`));
  retain();
  setInterval(retain, RETENTION_INTERVAL_MS);
  // Clips are stored postMs after their event: opening the log shows the current state.
  review.addEventListener('toggle', () => {
    if (review.open) void reviewScreen.refresh();
  });
  // Acknowledged here: carer stations are told too, so their alarm clears (best effort, like the clip).
  const tellStations = (id: string) => {
    if (outbox) options.host.acknowledgeAtCarer(id).catch((error: unknown) => problem(`carer acknowledgement: ${(error as Error).message}`));
  };
  const reviewScreen = mountReviewScreen(reviewBody, log, {
    save: options.save,
    acknowledge: async (id) => {
      tellStations(id);
      if (!center) return log.apply({ id, change: 'acknowledged', wallTime: Date.now() });
      center.acknowledge(id);
      await center.settled();
    },
    minVisibility: config.fall.reference.minVisibility,
  });

  /** Active alerts per AlertCenter: a stopped run's alerts stay until acknowledged. */
  const activeByCenter = new Map<AlertCenter, readonly MonitoringEvent[]>();
  // A carer station's acknowledgement acknowledges the alert here too (it stops the alarm).
  if (outbox) {
    watchCarerLink(options.host, carerLine, (ack) => {
      for (const [owner, events] of activeByCenter) if (events.some((event) => event.id === ack.eventId)) owner.acknowledge(ack.eventId);
    });
  }
  const showActive = () => {
    const entries = [...activeByCenter].flatMap(([owner, events]) => events.map((event) => ({ owner, event })));
    container.dataset.activeAlerts = String(entries.length);
    container.classList.toggle('alarm', entries.length > 0);
    activeList.replaceChildren(
      ...entries.map(({ owner, event }) => {
        const item = node('li', '', 'alert');
        item.dataset.eventType = event.type;
        item.dataset.eventId = event.id;
        item.append(node('strong', TITLES[event.type]), node('span', ` ${new Date(event.wallTime).toLocaleTimeString()} · ${(100 * event.confidence).toFixed(0)} %`));
        const ack = node('button', 'Acknowledge');
        ack.addEventListener('click', () => {
          owner.acknowledge(event.id);
          tellStations(event.id);
          void owner.settled().then(() => reviewScreen.refresh());
        });
        item.append(ack);
        return item;
      }),
    );
  };

  runs$.subscribe((run) => {
    void notifier?.prepare();
    const current = new AlertCenter({ config, store, model: run.model, sound, notifier, outbox, onError: problem, shareClip });
    center = current;
    status.classList.remove('error');
    status.textContent = run.model?.trained ? 'Watching (kinematics and model).' : 'Watching (body movement; the model is untrained).';
    let ended = false;
    const forgetWhenDone = () => {
      if (ended && (activeByCenter.get(current)?.length ?? 0) === 0) {
        activeByCenter.delete(current);
        activeSubscription?.unsubscribe();
      }
    };
    // active$ is a BehaviorSubject: its first value arrives before subscribe returns.
    let activeSubscription: { unsubscribe(): void } | undefined;
    activeSubscription = current.active$.subscribe((events) => {
      activeByCenter.set(current, events);
      forgetWhenDone();
      showActive();
      // The new event's log write is queued behind this emission: list it once it is stored.
      void current.settled().then(() => reviewScreen.refresh());
    });
    const stopAwake = options.kiosk ? keepScreenAwake(navigator, doc, problem) : () => {};
    // Alerts still shown after a stop can be acknowledged; the sound stops with the run.
    const end = () => {
      ended = true;
      stopAwake();
      forgetWhenDone();
      void current.close().then(() => reviewScreen.refresh());
      status.textContent = 'Stopped.';
    };
    let modelErrors = 0;
    run.events$.subscribe({
      next: (event) => {
        // A failing model stage: falls from body movement only, said on screen, until a batch classifies cleanly.
        if (event.stats.modelErrors > modelErrors) {
          modelErrors = event.stats.modelErrors;
          current.modelFailing();
          degraded.report('model', event.stats.lastError ?? 'the model stage fails');
        } else if (event.kind === 'predictions') degraded.clear('model');
        if (event.kind === 'frame') current.frame(event.frame, event.tracked);
        else for (const prediction of event.predictions) current.prediction(prediction);
      },
      complete: end,
      error: end,
    });
  });
}
