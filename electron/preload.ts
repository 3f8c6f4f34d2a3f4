// Sandboxed preload (bundled to CommonJS: sandboxed preloads cannot be ES modules). Exposes the small,
// typed bridge of bridge.ts; nothing from Node or Electron reaches the page.

import { contextBridge, ipcRenderer } from 'electron';
import type { RelayResult } from '../src/alerts/carer-relay';
import { BRIDGE_KEY, NOTIFY_CARER_CHANNEL, readBridgeArguments, type SkeletonSentinelBridge } from './bridge';
import { recordStoreBridge } from './event-store';

const values = readBridgeArguments(process.argv);
const bridge: SkeletonSentinelBridge = {
  version: values.version,
  kiosk: values.kiosk,
  store: recordStoreBridge(ipcRenderer),
  notifyCarer: (request) => ipcRenderer.invoke(NOTIFY_CARER_CHANNEL, request) as Promise<RelayResult>,
};
contextBridge.exposeInMainWorld(BRIDGE_KEY, bridge);
