import { resolveMonitoringConfig } from '../settings/config';
import { DegradedModes } from './degraded-banner';
import { mountAlertsPanel } from './alerts-panel';
import { appHost, type HostSession } from '../kiosk/host';
import { kioskSettings } from '../kiosk/kiosk';
import { SentinelApp } from './app';
import { queryDom } from './dom';
import { downloadFile } from './recorder';

function showBanner(text: string): void {
  const banner = document.getElementById('banner');
  if (!banner) return;
  banner.textContent = text;
  banner.classList.add('error');
  banner.hidden = false;
}

const showStartupError = (error: unknown): void => showBanner(`Start-up failed: ${error instanceof Error ? error.message : String(error)}`);

/** The host's session; when it cannot be had, the app still runs (defaults, not a kiosk) and says why. */
async function hostSession(host: ReturnType<typeof appHost>): Promise<HostSession> {
  try {
    const session = await host.session();
    if (session.settingsProblem) showBanner(`Settings: ${session.settingsProblem}`);
    return session;
  } catch (error) {
    showStartupError(error);
    return { kiosk: false, station: false, exitNeedsPin: true, settings: {}, settingsProblem: null };
  }
}

async function start(): Promise<void> {
  const host = appHost();
  const session = await hostSession(host);
  const config = resolveMonitoringConfig(session.settings);
  // The carer station (docs/carer-station.md): its own screen, loaded only there.
  if (session.station || new URLSearchParams(location.search).get('station') === '1') {
    const { mountStationScreen } = await import('./station/station-screen');
    mountStationScreen(document.body, host.station, config);
    return;
  }
  const dom = queryDom();
  const degraded = new DegradedModes(dom.degraded);
  const app = new SentinelApp(dom, config, host, degraded);
  // Mounted before init so the panel sees the first run (autostart, kiosk).
  mountAlertsPanel(dom.alerts, app.runs$, { save: downloadFile, settings: session.settings, host, kiosk: session.kiosk, degraded }).catch(showStartupError);
  await app.init(kioskSettings(session, config.kiosk));
}

start().catch(showStartupError);
