// What the host (local server, Electron main) does for the page: its session (kiosk mode, settings without the
// PIN hash), kiosk exit behind the PIN with a persisted lockout, and the carer relay to the target in the settings.
// The transports (HTTP routes, IPC handlers) are thin adapters around this class. Node only.
import { CarerRelay, type CarerLinkState, type CarerSettings, type RelayOptions, type RelayResult } from '../alerts/carer-relay';
import { CarerStation, type StationSnapshot } from '../alerts/carer-station';
import type { ClipMessage } from '../alerts/carer-messages';
import { resolveMonitoringConfig, type MonitoringOverrides } from '../settings/config';
import { pageSettings, readSettings } from '../settings/settings-file';
import type { HostSession, KioskExitResult } from './host';
import { fileLockout } from './lockout-file';
import { PinGate } from './pin';

export interface HostServiceOptions {
  dataFolder: string;
  /** Launched as a kiosk (`--kiosk`): stays one until the exit PIN is given. */
  kiosk: boolean;
  /** Launched as a carer station (`--station`): the page shows the station screen. */
  station?: boolean;
  /** Carer connections (tests: a resolver, short timeouts). */
  relay?: RelayOptions;
}

/** Problems worth an administrator's attention (bad settings file, wrong PIN, undelivered notification). */
const logProblem = (message: string): void => console.warn(`Skeleton Sentinel: ${message}`);

type SettingsRead = { settings: MonitoringOverrides; problem: null } | { settings: null; problem: string };

export class HostService {
  private kioskMode: boolean;
  private readonly gate: PinGate;
  private readonly relay: CarerRelay;
  private readonly station: CarerStation;

  constructor(private readonly options: HostServiceOptions) {
    this.kioskMode = options.kiosk;
    this.gate = new PinGate(fileLockout(options.dataFolder, logProblem));
    this.relay = new CarerRelay({ log: logProblem, ...options.relay });
    this.station = new CarerStation({ log: logProblem, ...options.relay });
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
      station: this.options.station ?? false,
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

  private async carerSettings(): Promise<CarerSettings | null> {
    const read = await this.readSettings();
    return read.settings ? resolveMonitoringConfig(read.settings).alerts.carer : null;
  }

  /** Opens the broker link at start, so the kiosk's retained status says "online" before any alert. */
  async connectCarer(): Promise<void> {
    const carer = await this.carerSettings();
    if (this.options.station) this.station.sync(carer);
    else this.relay.sync(carer);
  }

  async notifyCarer(body: unknown): Promise<RelayResult> {
    return this.relay.relay(await this.carerSettings(), body);
  }

  async publishClip(body: unknown): Promise<RelayResult> {
    return this.relay.relayClip(await this.carerSettings(), body);
  }

  async acknowledgeAtCarer(body: unknown): Promise<RelayResult> {
    return this.relay.relayAck(await this.carerSettings(), body);
  }

  async carerState(since: number): Promise<CarerLinkState> {
    return this.relay.state(await this.carerSettings(), since);
  }

  /** The carer station's view of every kiosk (the subscription opens at the first call). */
  async stationSnapshot(): Promise<StationSnapshot> {
    return this.station.snapshot(await this.carerSettings());
  }

  async stationAcknowledge(body: unknown): Promise<{ status: number; message: string }> {
    return this.station.acknowledge(await this.carerSettings(), body);
  }

  stationClip(kioskId: string, eventId: string): ClipMessage | null {
    return this.station.clip(kioskId, eventId);
  }

  /** Says goodbye to the broker (retained status "offline"). */
  async close(): Promise<void> {
    await Promise.all([this.relay.close(), this.station.close()]);
  }
}
