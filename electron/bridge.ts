// The API the preload script exposes to the renderer as `window.sentinel` (contextBridge), and how main
// passes its values to the sandboxed preload (webPreferences.additionalArguments → process.argv).
// The renderer must treat `window.sentinel` as optional: in a plain browser it is undefined.

import type { RecordStore } from '../src/events/record-store';
import type { HostBridge } from '../src/kiosk/host';

export const BRIDGE_KEY = 'sentinel';

export interface SkeletonSentinelBridge {
  /** package.json version of the running app. */
  readonly version: string;
  /**
   * Durable storage of the alerts' event log and outbox: files under userData/events (electron/event-store.ts),
   * over IPC. Further durable storage goes the same way: methods here, channels + handlers in main.ts (through
   * appOnlyIpc), `ipcRenderer.invoke` wrappers in preload.ts.
   */
  readonly store: RecordStore;
  /** Main as the page's host (src/kiosk/host.ts): session, kiosk exit behind the PIN, carer relay. */
  readonly host: HostBridge;
}

/** IPC channels of `host` (main.ts handles them, preload.ts invokes them). */
export const HOST_CHANNELS = {
  session: 'host:session',
  leaveKiosk: 'host:leave-kiosk',
  notifyCarer: 'host:notify-carer',
  publishClip: 'host:publish-clip',
  carerState: 'host:carer-state',
  acknowledgeAtCarer: 'host:carer-ack',
  stationState: 'host:station-state',
  stationAcknowledge: 'host:station-ack',
  stationClip: 'host:station-clip',
} as const;

const ARG_PREFIX = '--skeleton-sentinel-';

export interface BridgeValues {
  version: string;
}

export function bridgeArguments(values: BridgeValues): string[] {
  return [`${ARG_PREFIX}version=${values.version}`];
}

/** Reads the values written by bridgeArguments back from the preload's process.argv. */
export function readBridgeArguments(argv: readonly string[]): BridgeValues {
  const value = (name: string): string | undefined =>
    argv.find((argument) => argument.startsWith(`${ARG_PREFIX}${name}=`))?.slice(`${ARG_PREFIX}${name}=`.length);
  return { version: value('version') ?? 'unknown' };
}
