// The API the preload script exposes to the renderer as `window.sentinel` (contextBridge), and how main
// passes its values to the sandboxed preload (webPreferences.additionalArguments → process.argv).
// The renderer must treat `window.sentinel` as optional: in a plain browser it is undefined.

import type { RelayRequest, RelayResult } from '../src/alerts/carer-relay';
import type { RecordStore } from '../src/alerts/record-store';

export const BRIDGE_KEY = 'sentinel';

export interface SkeletonSentinelBridge {
  /** package.json version of the running app. */
  readonly version: string;
  /** Launched with --kiosk: fullscreen, display kept awake. */
  readonly kiosk: boolean;
  /**
   * Durable storage of the alerts' event log and outbox: files under userData/events (electron/event-store.ts),
   * over IPC. Further durable storage goes the same way: methods here, channels + handlers in main.ts (through
   * appOnlyIpc), `ipcRenderer.invoke` wrappers in preload.ts.
   */
  readonly store: RecordStore;
  /** Sends a carer notification through the main process (relayToCarer: local-network targets only). */
  notifyCarer(request: RelayRequest): Promise<RelayResult>;
}

/** IPC channel of notifyCarer (main.ts handles it, preload.ts invokes it). */
export const NOTIFY_CARER_CHANNEL = 'carer:notify';

const ARG_PREFIX = '--skeleton-sentinel-';

export interface BridgeValues {
  version: string;
  kiosk: boolean;
}

export function bridgeArguments(values: BridgeValues): string[] {
  return [`${ARG_PREFIX}version=${values.version}`, `${ARG_PREFIX}kiosk=${values.kiosk ? '1' : '0'}`];
}

/** Reads the values written by bridgeArguments back from the preload's process.argv. */
export function readBridgeArguments(argv: readonly string[]): BridgeValues {
  const value = (name: string): string | undefined =>
    argv.find((argument) => argument.startsWith(`${ARG_PREFIX}${name}=`))?.slice(`${ARG_PREFIX}${name}=`.length);
  return { version: value('version') ?? 'unknown', kiosk: value('kiosk') === '1' };
}
