// The screen's controller: wires the pickers and buttons to the controllers of its parts — source picking
// (source-picker), the run (run-lifecycle), recording (recording-control), the overlay (overlay-renderer), the label
// panel, the stats panel and the kiosk controls. The decisions (what text, which colour, which numbers) live in the
// pure modules they call.
import type { MonitoringConfig } from '../settings/config';
import type { DegradedModes } from './degraded-banner';
import { applyPrivacyView, type KioskSettings } from '../kiosk/kiosk';
import type { HostApi } from '../kiosk/host';
import type { CameraProblem } from '../capture/camera-errors';
import type { PoseModelName } from '../pose/protocol';
import type { ViewState } from '../overlay/view';
import type { Dom } from './dom';
import { setUpKiosk } from './kiosk-controls';
import { LabelPanel } from './label-panel';
import { loadModelIndex } from './model-picker';
import { backendText, loadModelRunner, type ModelRunner } from './model-runner';
import { OverlayRenderer } from './overlay-renderer';
import { RecordingControl } from './recording-control';
import { RunLifecycle, type RunHooks } from './run-lifecycle';
import { screenOptions } from './screen-options';
import { SourcePicker } from './source-picker';
import { StatsPanel } from './stats-panel';
import { errorText, StatusBanner } from './status-banner';
import { initialDebugState, type DebugState } from './view-model';

export class SentinelApp {
  private readonly debug: DebugState = initialDebugState();
  private readonly options = screenOptions(location.search);
  private readonly banner: StatusBanner;
  private readonly stats: StatsPanel;
  private readonly labels: LabelPanel;
  private readonly overlay: OverlayRenderer;
  private readonly recording: RecordingControl;
  private readonly sources: SourcePicker;
  private readonly runs: RunLifecycle;
  private runner: ModelRunner | null = null;

  /** `config`: the monitoring settings this screen uses (camera restart back-off); `host`: kiosk exit; `degraded`: the banner of failing stages. */
  constructor(
    private readonly dom: Dom,
    config: MonitoringConfig,
    private readonly host: HostApi,
    private readonly degraded: DegradedModes,
  ) {
    Object.defineProperty(window, '__sentinel', { get: () => structuredClone(this.debug), configurable: false });
    this.banner = new StatusBanner(dom.banner, this.debug);
    this.stats = new StatsPanel(dom, this.debug);
    this.labels = new LabelPanel(dom, this.debug);
    this.overlay = new OverlayRenderer(dom, this.options.drawOverlays);
    this.recording = new RecordingControl(dom.record, this.debug, () => this.banner.status('Nothing was recorded: no frame reached the pose stage.'));
    this.sources = new SourcePicker(dom, {
      cameraRestart: config.kiosk.cameraRestart,
      videoPlaybackRate: this.options.videoPlaybackRate,
      onCameraProblem: (problem) => this.onCameraProblem(problem),
      showError: (message) => this.banner.error(message),
    });
    this.runs = new RunLifecycle(this.stats.meter, degraded);
  }

  /** Every run, for the alerts UI (src/ui/alerts-panel) mounted into `dom.alerts`; replays the latest to a late subscriber. */
  get runs$(): RunLifecycle['runs$'] {
    return this.runs.runs$;
  }

  /** `kiosk`: privacy view and camera auto-start by default, exit behind the PIN (src/kiosk). */
  async init(kiosk: KioskSettings): Promise<void> {
    const { dom, options } = this;
    if (kiosk.kiosk) setUpKiosk(dom, kiosk, this.host, (message) => this.banner.error(message));
    dom.source.addEventListener('change', () => this.onSourceChange());
    dom.start.addEventListener('click', () => void (this.runs.running ? this.stop() : this.start()));
    dom.record.addEventListener('click', () => this.recording.toggle());
    dom.model.addEventListener('change', () => void this.loadModel());
    dom.poseModel.addEventListener('change', () => this.restartIfRunning());
    dom.camera.addEventListener('change', () => this.restartIfRunning());
    dom.resolution.addEventListener('change', () => this.restartIfRunning());
    dom.mirror.addEventListener('change', () => dom.stage.classList.toggle('mirrored', dom.mirror.checked));
    dom.privacy.addEventListener('change', () => applyPrivacyView(dom.video, dom.stage, dom.privacy.checked));
    dom.heatmapToggle.addEventListener('change', () => (dom.heatmapSection.hidden = !dom.heatmapToggle.checked));
    dom.stage.classList.toggle('mirrored', dom.mirror.checked);
    dom.poseModel.value = options.pose;
    if (options.source && [...dom.source.options].some((option) => option.value === options.source)) dom.source.value = options.source;
    this.onSourceChange();
    await Promise.all([this.sources.refreshCameras(), loadModelIndex(dom.model, options.model, (message) => this.banner.error(message))]);
    if (!options.noModel) await this.loadModel();
    if (options.autostart || kiosk.autoStartCamera) await this.start();
  }

  async start(options: { sameFile?: boolean } = {}): Promise<void> {
    if (this.runs.running) return;
    const runner = this.runner;
    this.dom.start.disabled = true;
    try {
      const source = await this.sources.open(options.sameFile ?? false);
      if (!source) return;
      await this.runs.start(source, runner, this.dom.poseModel.value as PoseModelName, this.runHooks);
      if (this.options.recordEveryRun) this.recording.toggle();
    } catch (error) {
      this.banner.error(errorText(error));
      await this.stop();
    } finally {
      this.dom.start.disabled = false;
    }
  }

  async stop(): Promise<void> {
    this.recording.stop();
    this.runs.stop();
    this.debug.running = false;
    this.overlay.clearTags();
    this.dom.start.textContent = 'Start';
    this.dom.record.disabled = true;
  }

  private readonly runHooks: RunHooks = {
    status: (message) => this.banner.status(message),
    poseStarted: ({ initMs, delegate, delegateDescription }) => {
      this.debug.poseDelegate = delegate;
      this.stats.showStartup({ poseMs: initMs, delegate: delegateDescription });
    },
    starting: (source) => {
      this.stats.meter.reset();
      this.debug.running = true;
      this.debug.source = source.name;
      this.dom.start.textContent = 'Stop';
      this.dom.record.disabled = false;
      this.banner.status(null);
    },
    frame: (frame) => this.recording.append(frame),
    view: (view, labels) => this.render(view, labels),
    failed: (error) => void this.stop().then(() => this.banner.error(errorText(error))),
    ended: (source) => void this.stop().then(() => this.banner.status(`${source.name} ended.`)),
  };

  private render(view: ViewState, labels: readonly string[]): void {
    this.overlay.draw(view, this.runner?.manifest.input);
    this.stats.update(view.stats, view.frame);
    this.labels.update(view, labels);
  }

  private onSourceChange(): void {
    this.sources.showControls();
    if (this.runs.running) void this.stop();
    this.banner.status(null); // a camera problem says nothing about the new source
  }

  private restartIfRunning(): void {
    if (this.runs.running) void this.stop().then(() => this.start({ sameFile: true }));
  }

  private async loadModel(): Promise<void> {
    const manifest = this.dom.model.value;
    if (!manifest) return;
    const { dom, banner } = this;
    const wasRunning = this.runs.running;
    await this.stop();
    this.runner?.close();
    this.runner = null;
    this.debug.backend = null;
    dom.untrained.hidden = true;
    banner.modelProblem = null;
    banner.status(`Loading action model ${manifest}…`);
    try {
      const runner = (this.runner = await loadModelRunner(new URL(`models/${manifest}`, document.baseURI).href, document.baseURI));
      this.debug.backend = runner.backend.backend;
      dom.statBackend.textContent = backendText(runner.backend);
      dom.untrained.hidden = runner.manifest.trained;
      this.labels.showModel(runner.manifest);
      this.stats.showStartup({ modelMs: runner.startupMs });
      this.degraded.clear('model');
      banner.status(runner.manifest.trained ? null : `Model "${runner.manifest.name}" is untrained: its labels are random.`);
      if (wasRunning) await this.start({ sameFile: true });
    } catch (error) {
      banner.modelProblem = `The action model could not be loaded: ${errorText(error)}. Pick another model; poses are still shown.`;
      this.degraded.report('model', `it could not be loaded (${errorText(error)})`);
      banner.error(banner.modelProblem);
    }
  }

  private onCameraProblem(problem: CameraProblem | null): void {
    if (problem) {
      // A retryable problem keeps the run (the source retries); any other needs the user, so Start must be free.
      if (!problem.retryable) void this.stop();
      this.banner.error(problem.message);
    } else {
      this.banner.status(null);
      void this.sources.refreshCameras();
    }
  }
}
