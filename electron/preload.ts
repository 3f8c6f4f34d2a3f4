// Sandboxed preload (bundled to CommonJS: sandboxed preloads cannot be ES modules). Exposes the small,
// typed bridge of bridge.ts; nothing from Node or Electron reaches the page.

import { contextBridge, ipcRenderer } from 'electron';
import type { HostBridge } from '../src/kiosk/host';
import { BRIDGE_KEY, HOST_CHANNELS, readBridgeArguments, type SkeletonSentinelBridge } from './bridge';
import { recordStoreBridge } from './event-store';

const host: HostBridge = {
  session: () => ipcRenderer.invoke(HOST_CHANNELS.session),
  leaveKiosk: (pin) => ipcRenderer.invoke(HOST_CHANNELS.leaveKiosk, pin),
  notifyCarer: (notification) => ipcRenderer.invoke(HOST_CHANNELS.notifyCarer, notification),
  publishClip: (clip) => ipcRenderer.invoke(HOST_CHANNELS.publishClip, clip),
  carerState: (since) => ipcRenderer.invoke(HOST_CHANNELS.carerState, since),
  acknowledgeAtCarer: (eventId) => ipcRenderer.invoke(HOST_CHANNELS.acknowledgeAtCarer, { eventId }),
  stationState: () => ipcRenderer.invoke(HOST_CHANNELS.stationState),
  stationAcknowledge: (kioskId, eventId) => ipcRenderer.invoke(HOST_CHANNELS.stationAcknowledge, { kioskId, eventId }),
  stationClip: (kioskId, eventId) => ipcRenderer.invoke(HOST_CHANNELS.stationClip, kioskId, eventId),
};
const bridge: SkeletonSentinelBridge = {
  version: readBridgeArguments(process.argv).version,
  store: recordStoreBridge(ipcRenderer),
  host,
};
contextBridge.exposeInMainWorld(BRIDGE_KEY, bridge);
