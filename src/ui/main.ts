import { resolveMonitoringConfig } from '../alerts/config';
import { mountAlertsPanel } from '../alerts/ui';
import { isKioskMode, kioskSettings } from '../kiosk/kiosk';
import { SentinelApp } from './app';
import { queryDom } from './dom';
import { downloadFile } from './recorder';

function showStartupError(error: unknown): void {
  const banner = document.getElementById('banner');
  if (!banner) return;
  banner.textContent = `Start-up failed: ${error instanceof Error ? error.message : String(error)}`;
  banner.classList.add('error');
  banner.hidden = false;
}

const dom = queryDom();
const config = resolveMonitoringConfig();
const app = new SentinelApp(dom, config);
const bridge = (globalThis as { sentinel?: { kiosk?: boolean } }).sentinel;
// Mounted before init so the panel sees the first run (autostart, kiosk).
mountAlertsPanel(dom.alerts, app.runs$, { save: downloadFile }).catch(showStartupError);
app.init(kioskSettings(isKioskMode(location.search, bridge), config.kiosk)).catch(showStartupError);
