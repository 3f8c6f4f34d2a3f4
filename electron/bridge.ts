// The API the preload script exposes to the renderer as `window.skeletonSentinel` (contextBridge), and how
// main passes its values to the sandboxed preload (webPreferences.additionalArguments → process.argv).
// The renderer must treat `window.skeletonSentinel` as optional: in a plain browser it is undefined.

export const BRIDGE_KEY = 'skeletonSentinel';

export interface SkeletonSentinelBridge {
  /** package.json version of the running app. */
  readonly version: string;
  /** Launched with --kiosk: fullscreen, display kept awake. */
  readonly kiosk: boolean;
  /**
   * Durable file storage (e.g. the alerts log) goes here when needed: its methods on this interface, its IPC
   * channel names as constants in this module (shared by main and preload), an `ipcMain.handle` per channel in
   * main.ts (writing under app.getPath('userData'), validating every argument), and `ipcRenderer.invoke`
   * wrappers in preload.ts.
   */
}

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
