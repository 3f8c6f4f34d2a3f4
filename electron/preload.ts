// Sandboxed preload (bundled to CommonJS: sandboxed preloads cannot be ES modules). Exposes the small,
// typed bridge of bridge.ts; nothing from Node or Electron reaches the page.

import { contextBridge } from 'electron';
import { BRIDGE_KEY, readBridgeArguments, type SkeletonSentinelBridge } from './bridge';

const values = readBridgeArguments(process.argv);
const bridge: SkeletonSentinelBridge = { version: values.version, kiosk: values.kiosk };
contextBridge.exposeInMainWorld(BRIDGE_KEY, bridge);
