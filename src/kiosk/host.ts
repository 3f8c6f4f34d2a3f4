// The page's view of its host — the local server (browser build) or Electron main — which owns the settings file,
// decides kiosk mode, checks the exit PIN and relays carer notifications. Renderer-safe: no Node imports.
import type { CarerNotification } from '../alerts/carer-outbox';
import type { ClipMessage } from '../alerts/carer-messages';
import type { CarerLinkState } from '../alerts/carer-relay';
import type { StationSnapshot } from '../alerts/carer-station';
import type { MonitoringOverrides } from '../settings/config';

/** HTTP routes of the local server (scripts/host-routes.ts serves them; httpHost calls them). */
export const HOST_ROUTES = {
  session: '/api/session',
  notifyCarer: '/api/notify',
  publishClip: '/api/carer/clip',
  acknowledgeAtCarer: '/api/carer/ack',
  carerState: '/api/carer/state',
  stationState: '/api/station/state',
  stationAck: '/api/station/ack',
  stationClip: '/api/station/clip',
  leaveKiosk: '/api/kiosk/exit',
} as const;
/** The per-launch token the page gets from /api/session and sends back with every POST. */
export const TOKEN_HEADER = 'x-sentinel-token';

export interface HostSession {
  /** Decided by the host (`--kiosk`), not by the URL: a kiosk stays one until the PIN is given. */
  kiosk: boolean;
  /** Launched as a carer station (`--station`); `?station=1` asks for one too. */
  station: boolean;
  exitNeedsPin: boolean;
  /** The settings file, without the PIN hash. */
  settings: MonitoringOverrides;
  /** What is wrong with the settings file, if anything (the host then uses the defaults and keeps exit locked). */
  settingsProblem: string | null;
}

export type KioskExitResult = { result: 'ok' } | { result: 'wrong' } | { result: 'locked'; waitMs: number };

export interface HostApi {
  session(): Promise<HostSession>;
  /** After 'ok' the host is out of kiosk mode; the page reloads to show it. */
  leaveKiosk(pin: string): Promise<KioskExitResult>;
  /** Resolves when the carer system took it; throws otherwise (the outbox retries). */
  notifyCarer(notification: CarerNotification): Promise<void>;
  /** An event's skeleton clip for the carer broker (kioskId is the host's to fill in). */
  publishClip(clip: Omit<ClipMessage, 'kioskId'>): Promise<void>;
  /** The carer channel's state and the stations' acknowledgements numbered after `since`. */
  carerState(since: number): Promise<CarerLinkState>;
  /** An alert acknowledged at the kiosk: tells the carer stations (MQTT only). */
  acknowledgeAtCarer(eventId: string): Promise<void>;
  /** The carer station: every kiosk's state, acknowledging an alarm, an event's clip (null: not held). */
  station: StationHost;
}

export interface StationHost {
  state(): Promise<StationSnapshot>;
  acknowledge(kioskId: string, eventId: string): Promise<void>;
  clip(kioskId: string, eventId: string): Promise<ClipMessage | null>;
}

/** The preload's `window.sentinel.host` (electron/bridge.ts): the same calls over IPC. */
export interface HostBridge {
  session(): Promise<HostSession>;
  leaveKiosk(pin: string): Promise<KioskExitResult>;
  notifyCarer(notification: CarerNotification): Promise<{ status: number; message: string }>;
  publishClip(clip: Omit<ClipMessage, 'kioskId'>): Promise<{ status: number; message: string }>;
  carerState(since: number): Promise<CarerLinkState>;
  acknowledgeAtCarer(eventId: string): Promise<{ status: number; message: string }>;
  stationState(): Promise<StationSnapshot>;
  stationAcknowledge(kioskId: string, eventId: string): Promise<{ status: number; message: string }>;
  stationClip(kioskId: string, eventId: string): Promise<ClipMessage | null>;
}

/** The browser build's host: same-origin fetches, the token from /api/session on every POST. */
export function httpHost(fetchImpl: typeof fetch = (input, init) => fetch(input, init)): HostApi {
  let token: Promise<string> | null = null;
  const session = async (): Promise<HostSession & { token: string }> => {
    const response = await fetchImpl(HOST_ROUTES.session, { cache: 'no-store' });
    if (!response.ok) throw new Error(`the app's server answered ${response.status} for its session: ${await response.text()}`);
    return (await response.json()) as HostSession & { token: string };
  };
  const getJson = async <T>(path: string, what: string): Promise<T> => {
    const response = await fetchImpl(path, { cache: 'no-store' });
    if (!response.ok) throw new Error(`the app's server answered ${response.status} for ${what}`);
    return (await response.json()) as T;
  };
  const post = async (path: string, body: unknown, retried = false): Promise<Response> => {
    token ??= session().then((s) => s.token);
    const response = await fetchImpl(path, {
      method: 'POST',
      headers: { 'content-type': 'application/json', [TOKEN_HEADER]: await token },
      body: JSON.stringify(body),
    });
    // A restarted server has a new token: fetch it once and try again.
    if (response.status === 403 && !retried) {
      token = null;
      return post(path, body, true);
    }
    return response;
  };
  return {
    async session() {
      const { token: fresh, ...rest } = await session();
      token = Promise.resolve(fresh);
      return rest;
    },
    async leaveKiosk(pin) {
      const response = await post(HOST_ROUTES.leaveKiosk, { pin });
      if (!response.ok) throw new Error(`the app's server answered ${response.status}: ${await response.text()}`);
      return (await response.json()) as KioskExitResult;
    },
    async notifyCarer(notification) {
      const response = await post(HOST_ROUTES.notifyCarer, notification);
      if (!response.ok) throw new Error(`carer relay answered ${response.status}: ${(await response.json().catch(() => ({}))).message ?? ''}`);
    },
    async publishClip(clip) {
      const response = await post(HOST_ROUTES.publishClip, clip);
      if (!response.ok) throw new Error(`carer relay answered ${response.status}: ${(await response.json().catch(() => ({}))).message ?? ''}`);
    },
    carerState: (since) => getJson<CarerLinkState>(`${HOST_ROUTES.carerState}?since=${since}`, 'the carer state'),
    async acknowledgeAtCarer(eventId) {
      const response = await post(HOST_ROUTES.acknowledgeAtCarer, { eventId });
      if (!response.ok) throw new Error(`carer relay answered ${response.status}: ${(await response.json().catch(() => ({}))).message ?? ''}`);
    },
    station: {
      state: () => getJson<StationSnapshot>(HOST_ROUTES.stationState, 'the station state'),
      async acknowledge(kioskId, eventId) {
        const response = await post(HOST_ROUTES.stationAck, { kioskId, eventId });
        if (!response.ok) throw new Error(`acknowledgement not sent: ${(await response.json().catch(() => ({}))).message ?? response.status}`);
      },
      async clip(kioskId, eventId) {
        const query = new URLSearchParams({ kiosk: kioskId, event: eventId });
        const response = await fetchImpl(`${HOST_ROUTES.stationClip}?${query}`, { cache: 'no-store' });
        if (response.status === 404) return null;
        if (!response.ok) throw new Error(`the app's server answered ${response.status} for the clip`);
        return (await response.json()) as ClipMessage;
      },
    },
  };
}

/** Electron's host, through the preload bridge. */
export function bridgeHost(bridge: HostBridge): HostApi {
  return {
    session: () => bridge.session(),
    leaveKiosk: (pin) => bridge.leaveKiosk(pin),
    async notifyCarer(notification) {
      const result = await bridge.notifyCarer(notification);
      if (result.status !== 204) throw new Error(`carer relay: ${result.message}`);
    },
    async publishClip(clip) {
      const result = await bridge.publishClip(clip);
      if (result.status !== 204) throw new Error(`carer relay: ${result.message}`);
    },
    carerState: (since) => bridge.carerState(since),
    async acknowledgeAtCarer(eventId) {
      const result = await bridge.acknowledgeAtCarer(eventId);
      if (result.status !== 204) throw new Error(`carer relay: ${result.message}`);
    },
    station: {
      state: () => bridge.stationState(),
      async acknowledge(kioskId, eventId) {
        const result = await bridge.stationAcknowledge(kioskId, eventId);
        if (result.status !== 204) throw new Error(`acknowledgement not sent: ${result.message}`);
      },
      clip: (kioskId, eventId) => bridge.stationClip(kioskId, eventId),
    },
  };
}

/** The host of this page: Electron's bridge when there is one, else the server the page came from. */
export function appHost(sentinel: { host?: HostBridge } | undefined = (globalThis as { sentinel?: { host?: HostBridge } }).sentinel): HostApi {
  return sentinel?.host ? bridgeHost(sentinel.host) : httpHost();
}
