// Electron main process: a thin shell around the web renderer. Its decisions live in tested modules
// (security.ts, kiosk-window.ts, app-protocol.ts, launch-options.ts, crash-restart.ts, bridge.ts, and the page's
// host in src/kiosk/host-service.ts).

import { app, BrowserWindow, dialog, ipcMain, type IpcMainInvokeEvent, Menu, powerSaveBlocker, protocol, session } from 'electron';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defaultDataFolder } from '../src/settings/settings-file';
import { HostService } from '../src/kiosk/host-service';
import { APP_SCHEME_PRIVILEGES, handleAppRequest } from './app-protocol';
import { bridgeArguments, HOST_CHANNELS } from './bridge';
import { RestartBackoff, shouldRestartAfter } from './crash-restart';
import { FileRecordStore, registerRecordStoreIpc } from './event-store';
import { isBlockedInKiosk } from './kiosk-window';
import { parseLaunchOptions } from './launch-options';
import {
  APP_ENTRY_URL,
  APP_SCHEME,
  isAppUrl,
  isNavigationAllowed,
  isPermissionGranted,
  isRequestAllowed,
} from './security';

const OUTPUT_DIR = fileURLToPath(new URL('.', import.meta.url)); // dist-electron/
const RENDERER_DIR = join(app.getAppPath(), 'dist');

// Must happen before the app is ready. One data folder for Electron, the browser kiosk and the CLIs
// (`npm run settings`, `npm run kiosk:pin -- PIN --save`): settings, kiosk lockout, event log.
protocol.registerSchemesAsPrivileged([{ scheme: APP_SCHEME, privileges: APP_SCHEME_PRIVILEGES }]);
app.setPath('userData', defaultDataFolder());

function exitWithError(message: string): void {
  console.error(`Skeleton Sentinel: ${message}`);
  if (app.isReady()) dialog.showErrorBox('Skeleton Sentinel', message);
  app.exit(1);
}

function secureSession(): void {
  const appSession = session.defaultSession;
  appSession.protocol.handle(APP_SCHEME, (request) => handleAppRequest(RENDERER_DIR, request));
  appSession.webRequest.onBeforeRequest((details, callback) => {
    const cancel = !isRequestAllowed(details.url);
    if (cancel) console.warn(`blocked request to ${details.url}`);
    callback({ cancel });
  });
  appSession.setPermissionRequestHandler((_contents, permission, callback, details) => {
    const mediaTypes = 'mediaTypes' in details ? (details.mediaTypes ?? []) : [];
    callback(isPermissionGranted(permission, details.requestingUrl, mediaTypes));
  });
  appSession.setPermissionCheckHandler((_contents, permission, requestingOrigin, details) =>
    isPermissionGranted(permission, requestingOrigin, details.mediaType ? [details.mediaType] : []),
  );
  appSession.setDevicePermissionHandler(() => false);
}

/** ipcMain.handle that serves only the app's own pages: IPC from any other frame is refused. */
const appOnlyIpc = {
  handle(channel: string, listener: (event: IpcMainInvokeEvent, ...args: unknown[]) => unknown): void {
    ipcMain.handle(channel, (event, ...args: unknown[]) => {
      const senderUrl = event.senderFrame?.url ?? '';
      if (!isAppUrl(senderUrl)) throw new Error(`IPC ${channel} refused for ${senderUrl || 'an unknown frame'}`);
      return listener(event, ...args);
    });
  },
};

function createWindow(host: HostService): BrowserWindow {
  const window = new BrowserWindow({
    title: 'Skeleton Sentinel',
    width: 1280,
    height: 800,
    show: false,
    backgroundColor: '#101418',
    kiosk: host.kiosk,
    fullscreen: host.kiosk,
    webPreferences: {
      sandbox: true,
      contextIsolation: true,
      nodeIntegration: false,
      webSecurity: true,
      devTools: false,
      // An unattended kiosk's alarm must sound without anyone having clicked first.
      autoplayPolicy: 'no-user-gesture-required',
      preload: join(OUTPUT_DIR, 'preload.cjs'),
      additionalArguments: bridgeArguments({ version: app.getVersion() }),
    },
  });
  window.once('ready-to-show', () => window.show());
  // A kiosk is left only through the PIN (HOST_CHANNELS.leaveKiosk): no reload, DevTools or closing from the keyboard.
  window.webContents.on('before-input-event', (event, input) => {
    if (isBlockedInKiosk(input, host.kiosk)) event.preventDefault();
  });
  window.on('close', (event) => {
    if (host.kiosk) event.preventDefault();
  });

  const backoff = new RestartBackoff();
  window.webContents.on('did-start-loading', () => backoff.started(Date.now()));
  window.webContents.on('render-process-gone', (_event, details) => {
    if (!shouldRestartAfter(details.reason)) return;
    const delayMs = backoff.crashed(Date.now());
    console.error(`renderer gone (${details.reason}, exit code ${details.exitCode}); reloading in ${delayMs} ms`);
    setTimeout(() => {
      if (!window.isDestroyed()) window.webContents.reload();
    }, delayMs);
  });
  void window.loadURL(APP_ENTRY_URL);
  return window;
}

// One window per machine: a second launch (e.g. a kiosk autostart racing a user) focuses the first.
if (!app.requestSingleInstanceLock()) app.quit();

app.on('web-contents-created', (_event, contents) => {
  contents.on('will-navigate', (event, url) => {
    if (!isNavigationAllowed(url)) event.preventDefault();
  });
  contents.on('will-redirect', (event, url) => {
    if (!isNavigationAllowed(url)) event.preventDefault();
  });
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(() => ({ action: 'deny' }));
});

app.on('window-all-closed', () => app.quit());

async function start(): Promise<void> {
  const launchOptions = parseLaunchOptions(process.argv);
  await app.whenReady();
  if (!existsSync(join(RENDERER_DIR, 'index.html'))) {
    throw new Error(`${RENDERER_DIR} has no index.html: run "npm run build" first.`);
  }
  // No menu: its Reload, Toggle DevTools and Quit accelerators would bypass the kiosk.
  Menu.setApplicationMenu(null);
  secureSession();
  registerRecordStoreIpc(appOnlyIpc, await FileRecordStore.open(join(app.getPath('userData'), 'events')));
  const host = new HostService({ dataFolder: app.getPath('userData'), kiosk: launchOptions.kiosk, station: launchOptions.station });
  const awake = host.kiosk ? powerSaveBlocker.start('prevent-display-sleep') : null;
  const window = createWindow(host);
  appOnlyIpc.handle(HOST_CHANNELS.session, () => host.session());
  appOnlyIpc.handle(HOST_CHANNELS.leaveKiosk, async (_event, pin) => {
    const answer = await host.leaveKiosk(pin);
    if (answer.result === 'ok' && window.isKiosk()) {
      window.setKiosk(false);
      window.setFullScreen(false);
      if (awake !== null) powerSaveBlocker.stop(awake);
    }
    return answer;
  });
  // The relay uses Node's http in main, outside the session's request filter: only to the settings' carer target.
  appOnlyIpc.handle(HOST_CHANNELS.notifyCarer, (_event, notification) => host.notifyCarer(notification));
  appOnlyIpc.handle(HOST_CHANNELS.publishClip, (_event, clip) => host.publishClip(clip));
  appOnlyIpc.handle(HOST_CHANNELS.acknowledgeAtCarer, (_event, body) => host.acknowledgeAtCarer(body));
  appOnlyIpc.handle(HOST_CHANNELS.carerState, (_event, since) => host.carerState(Number(since) || 0));
  appOnlyIpc.handle(HOST_CHANNELS.stationState, () => host.stationSnapshot());
  appOnlyIpc.handle(HOST_CHANNELS.stationAcknowledge, (_event, body) => host.stationAcknowledge(body));
  appOnlyIpc.handle(HOST_CHANNELS.stationClip, (_event, kioskId, eventId) => host.stationClip(String(kioskId), String(eventId)));
  void host.connectCarer();
  // A graceful quit leaves "offline" as the kiosk's retained status (the will covers a crash).
  app.once('before-quit', () => void host.close());
  app.on('second-instance', () => {
    if (window.isMinimized()) window.restore();
    window.focus();
  });
}

start().catch((error: unknown) => exitWithError(error instanceof Error ? error.message : String(error)));
