// What the host (local server, Electron main) does for the page: its session (kiosk mode, settings without the
// PIN hash), kiosk exit behind the PIN with a persisted lockout, and the carer relay to the target in the settings.
// The transports (HTTP routes, IPC handlers) are thin adapters around this class. Node only.
import { relayToCarer, type RelayResult } from '../alerts/carer-relay';
import { resolveMonitoringConfig, type MonitoringOverrides } from '../settings/config';
import { pageSettings, readSettings } from '../settings/settings-file';
import type { HostSession, KioskExitResult } from './host';
import { fileLockout } from './lockout-file';
import { PinGate } from './pin';

export interface HostServiceOptions {
  dataFolder: string;
  /** Launched as a kiosk (`--kiosk`): stays one until the exit PIN is given. */
  kiosk: boolean;
}

/** Problems worth an administrator's attention (bad settings file, wrong PIN, undelivered notification). */
const logProblem = (message: string): void => console.warn(`Skeleton Sentinel: ${message}`);

type SettingsRead = { settings: MonitoringOverrides; problem: null } | { settings: null; problem: string };

export class HostService {
  private kioskMode: boolean;
  private readonly gate: PinGate;

  constructor(private readonly options: HostServiceOptions) {
    this.kioskMode = options.kiosk;
    this.gate = new PinGate(fileLockout(options.dataFolder, logProblem));
  }

  get kiosk(): boolean {
    return this.kioskMode;
  }

  /** Read at every call, so a setting saved with `npm run settings` applies without a restart. */
  private async readSettings(): Promise<SettingsRead> {
    try {
      return { settings: await readSettings(this.options.dataFolder), problem: null };
    } catch (error) {
      const problem = `${(error as Error).message}; using the defaults`;
      logProblem(problem);
      return { settings: null, problem };
    }
  }

  async session(): Promise<HostSession> {
    const read = await this.readSettings();
    const pinHash = read.settings ? resolveMonitoringConfig(read.settings).kiosk.pinHash : null;
    return {
      kiosk: this.kioskMode,
      // Unreadable settings: the PIN is unknown, so exit stays closed rather than open.
      exitNeedsPin: pinHash !== '',
      settings: read.settings ? pageSettings(read.settings) : {},
      settingsProblem: read.problem,
    };
  }

  async leaveKiosk(pin: unknown): Promise<KioskExitResult> {
    const now = Date.now();
    if (!this.kioskMode) return { result: 'ok' };
    const read = await this.readSettings();
    if (!read.settings) return { result: 'wrong' };
    const pinHash = resolveMonitoringConfig(read.settings).kiosk.pinHash;
    const result = await this.gate.tryPin(typeof pin === 'string' ? pin : '', pinHash, now);
    if (result === 'ok') {
      this.kioskMode = false;
      return { result };
    }
    if (result === 'locked') return { result, waitMs: await this.gate.waitMs(now) };
    logProblem('wrong kiosk exit PIN');
    return { result };
  }

  async notifyCarer(body: unknown): Promise<RelayResult> {
    const read = await this.readSettings();
    const carer = read.settings ? resolveMonitoringConfig(read.settings).alerts.carer : null;
    return relayToCarer(carer?.enabled ? carer.url : null, body, { log: logProblem });
  }
}
