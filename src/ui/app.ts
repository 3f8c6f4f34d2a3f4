// The screen's controller: wires the pickers and buttons to capture → pose worker → pipeline → overlay. The
// decisions (what text, which colour, which numbers) live in the pure modules it calls.
import { ReplaySubject, share, Subject, takeUntil, tap, type Observable, type Subscription } from 'rxjs';
import type { MonitoringConfig } from '../settings/config';
import type { DegradedModes } from './degraded-banner';
import { applyPrivacyView, type KioskSettings } from '../kiosk/kiosk';
import { mountKioskExit } from '../kiosk/exit-dialog';
import type { HostApi } from '../kiosk/host';
import type { CameraProblem } from '../capture/camera-errors';
import type { FrameSample } from '../capture/types';
import { videoFileFrames } from '../capture/video-file-source';
import { CAMERA_RESOLUTIONS, listCameras, webcamFrames } from '../capture/webcam-source';
import type { ModelManifest } from '../model/manifest';
import { topLabels, type Prediction } from '../model/prediction';
import { drawAttentionHeatmap, drawImportanceStrip } from '../overlay/draw-attention';
import { drawSkeletons } from '../overlay/draw-skeleton';
import { personTagPosition } from '../overlay/person-tags';
import { DEFAULT_LABEL_SMOOTHING } from '../overlay/label-smoothing';
import { pipelineEvents, toView, type PipelineEvent, type PipelineStats, type ViewState } from '../pipeline';
import { startPoseEstimator } from '../pose/pose-estimator';
import { DEFAULT_POSE_MODEL, MAX_POSES, POSE_MODELS, type PoseModelName } from '../pose/protocol';
import type { PoseFrame } from '../skeleton/types';
import { DEFAULT_WINDOW_OPTIONS, LABEL_EVERY_TICK } from '../window/assembler';
import { fillSelect, type Dom } from './dom';
import { modelOptionText, parseModelIndex } from './model-index';
import { backendText, loadModelRunner, type ModelRunner } from './model-runner';
import { replayFrames, readRecordingFile } from './replay';
import { RestartingPoseEstimator } from './restarting-pose';
import { downloadFile, SkeletonRecorder } from './recorder';
import { appendSample, formatMs, initialDebugState, labelView, LATENCY_SAMPLES, latencyText, percent, RateMeter, type DebugState } from './view-model';

/** Most people tracked and drawn; the pose worker detects this many. */
const MAX_PEOPLE = MAX_POSES;
/** Stats text is refreshed at this interval, not per frame, to keep DOM work off the hot path. */
const STATS_INTERVAL_MS = 250;

const errorText = (error: unknown): string => (error instanceof Error ? error.message : String(error));

/**
 * One run of the pipeline (Start, or a source/model switch), for the fall-monitoring UI mounted in #alerts:
 * subscribe to `events$` (shared with the screen: it does not start a second pipeline); it completes when the
 * run stops. `model` is null while no action model is loaded (poses only).
 */
export interface PipelineRun {
  events$: Observable<PipelineEvent>;
  model: { labels: readonly string[]; trained: boolean } | null;
}

export class SentinelApp {
  /** Every run, for the alerts UI (src/ui/alerts-panel) mounted into `dom.alerts`; replays the latest to a late subscriber. */
  readonly runs$ = new ReplaySubject<PipelineRun>(1);
  private runner: ModelRunner | null = null;
  private estimator: RestartingPoseEstimator | null = null;
  private run: Subscription | null = null;
  private endRun: () => void = () => undefined;
  private recorder: SkeletonRecorder | null = null;
  private readonly debug: DebugState = initialDebugState();
  private readonly fps = new RateMeter();
  private lastStatsAt = 0;
  private lastPredictions = 0;
  private shownPrediction: Prediction | null = null;
  private shownPredictionAt = -Infinity;
  private shownLabel: string | null = null;
  private drawnFrame: PoseFrame | null = null;
  /** ?overlay=off: no skeleton drawing (the benchmark's pose-only run). */
  private drawOverlays = true;
  private modelProblem: string | null = null;
  private recordEveryRun = false;
  private videoPlaybackRate = 1;
  private lastFile: File | null = null;
  private startup = { poseMs: null as number | null, modelMs: null as number | null, delegate: '' };

  /** `config`: the monitoring settings this screen uses (camera restart back-off); `host`: kiosk exit; `degraded`: the banner of failing stages. */
  constructor(
    private readonly dom: Dom,
    private readonly config: MonitoringConfig,
    private readonly host: HostApi,
    private readonly degraded: DegradedModes,
  ) {
    Object.defineProperty(window, '__sentinel', { get: () => structuredClone(this.debug), configurable: false });
  }

  /** `kiosk`: privacy view and camera auto-start by default, exit behind the PIN (src/kiosk). */
  async init(kiosk: KioskSettings): Promise<void> {
    const { dom } = this;
    if (kiosk.kiosk) this.setUpKiosk(kiosk);
    fillSelect(dom.resolution, CAMERA_RESOLUTIONS.map(({ width, height }) => ({ value: `${width}x${height}`, text: `${width}×${height}` })));
    dom.source.addEventListener('change', () => this.onSourceChange());
    dom.start.addEventListener('click', () => void (this.run ? this.stop() : this.start()));
    dom.record.addEventListener('click', () => this.toggleRecording());
    dom.model.addEventListener('change', () => void this.loadModel());
    dom.poseModel.addEventListener('change', () => this.restartIfRunning());
    dom.camera.addEventListener('change', () => this.restartIfRunning());
    dom.resolution.addEventListener('change', () => this.restartIfRunning());
    dom.mirror.addEventListener('change', () => dom.stage.classList.toggle('mirrored', dom.mirror.checked));
    dom.privacy.addEventListener('change', () => applyPrivacyView(dom.video, dom.stage, dom.privacy.checked));
    dom.heatmapToggle.addEventListener('change', () => (dom.heatmapSection.hidden = !dom.heatmapToggle.checked));
    dom.stage.classList.toggle('mirrored', dom.mirror.checked);
    // URL options for kiosks and automation: ?source=camera|video|recording&pose=lite|full|heavy&model=NAME.json|none
    // &autostart (start at once) &record (record the skeleton of each run; saved when the run stops or its file ends)
    // &rate=0.25 (video files play at this speed: a slow pose stage then sees more of their frames) &overlay=off.
    const params = new URLSearchParams(location.search);
    const pose = params.get('pose');
    dom.poseModel.value = pose && (POSE_MODELS as readonly string[]).includes(pose) ? pose : DEFAULT_POSE_MODEL;
    const source = params.get('source');
    if (source && [...dom.source.options].some((option) => option.value === source)) dom.source.value = source;
    this.recordEveryRun = params.has('record');
    this.drawOverlays = params.get('overlay') !== 'off';
    const rate = Number(params.get('rate'));
    if (rate > 0 && rate <= 16) this.videoPlaybackRate = rate;
    this.onSourceChange();
    await Promise.all([this.refreshCameras(), this.loadModelIndex(params.get('model'))]);
    if (params.get('model') !== 'none') await this.loadModel();
    if (params.has('autostart') || kiosk.autoStartCamera) await this.start();
  }

  private setUpKiosk(kiosk: KioskSettings): void {
    const { dom } = this;
    dom.privacy.checked = kiosk.privacyView;
    applyPrivacyView(dom.video, dom.stage, kiosk.privacyView);
    // The host (server or Electron main) checks the PIN and leaves kiosk mode; the reloaded page then is no kiosk.
    const reload = (): void => location.reload();
    const leaveWithoutPin = async (): Promise<void> => {
      if ((await this.host.leaveKiosk('')).result === 'ok') reload();
    };
    const exit = kiosk.exitNeedsPin
      ? mountKioskExit(document.body, (pin) => this.host.leaveKiosk(pin), reload)
      : { open: () => void leaveWithoutPin().catch((error: unknown) => this.showError(errorText(error))) };
    dom.kioskExit.hidden = false;
    dom.kioskExit.addEventListener('click', () => exit.open());
  }

  private onSourceChange(): void {
    const source = this.dom.source.value;
    for (const element of document.querySelectorAll<HTMLElement>('[data-for-source]')) {
      element.hidden = element.dataset.forSource !== source;
    }
    this.dom.file.accept = source === 'recording' ? '.jsonl,application/jsonl' : 'video/*';
    if (this.run) void this.stop();
    this.showStatus(null); // a camera problem says nothing about the new source
  }

  private async refreshCameras(): Promise<void> {
    try {
      const cameras = await listCameras();
      fillSelect(this.dom.camera, cameras.map((c) => ({ value: c.deviceId, text: c.label })));
    } catch (error) {
      this.showError(`cannot list cameras: ${errorText(error)}`);
    }
  }

  private async loadModelIndex(preferred: string | null): Promise<void> {
    try {
      const response = await fetch(new URL('models/index.json', document.baseURI));
      if (!response.ok) throw new Error(`models/index.json: HTTP ${response.status}; run "npm run models:index" and rebuild`);
      const models = parseModelIndex(await response.json());
      fillSelect(this.dom.model, models.map((m) => ({ value: m.manifest, text: modelOptionText(m) })));
      if (preferred && models.some((m) => m.manifest === preferred)) this.dom.model.value = preferred;
      if (models.length === 0) this.showError('No action models in models/: export one (see training/README) and rebuild.');
    } catch (error) {
      this.showError(`cannot list the action models: ${errorText(error)}`);
    }
  }

  private async loadModel(): Promise<void> {
    const manifest = this.dom.model.value;
    if (!manifest) return;
    const wasRunning = this.run !== null;
    await this.stop();
    this.runner?.close();
    this.runner = null;
    this.debug.backend = null;
    this.dom.untrained.hidden = true;
    this.modelProblem = null;
    this.showStatus(`Loading action model ${manifest}…`);
    try {
      this.runner = await loadModelRunner(new URL(`models/${manifest}`, document.baseURI).href, document.baseURI);
      this.debug.backend = this.runner.backend.backend;
      this.startup.modelMs = this.runner.startupMs;
      this.dom.statBackend.textContent = backendText(this.runner.backend);
      this.dom.untrained.hidden = this.runner.manifest.trained;
      this.showModelOutputs(this.runner.manifest);
      this.renderStartup();
      this.degraded.clear('model');
      this.showStatus(this.runner.manifest.trained ? null : `Model "${this.runner.manifest.name}" is untrained: its labels are random.`);
      if (wasRunning) await this.start({ sameFile: true });
    } catch (error) {
      this.modelProblem = `The action model could not be loaded: ${errorText(error)}. Pick another model; poses are still shown.`;
      this.degraded.report('model', `it could not be loaded (${errorText(error)})`);
      this.showError(this.modelProblem);
    }
  }

  /** Panels for the optional outputs appear only for a model that has them; old labels are cleared. */
  private showModelOutputs(manifest: ModelManifest): void {
    const { dom } = this;
    dom.stripSection.hidden = !manifest.outputs.frame_importance;
    dom.heatmapToggle.disabled = !manifest.outputs.spatial_attention;
    if (dom.heatmapToggle.disabled) dom.heatmapToggle.checked = false;
    dom.heatmapSection.hidden = !dom.heatmapToggle.checked;
    dom.label.textContent = '–';
    dom.confidence.textContent = '';
    dom.top5.replaceChildren();
    this.shownPrediction = null;
  }

  private restartIfRunning(): void {
    if (this.run) void this.stop().then(() => this.start({ sameFile: true }));
  }

  /**
   * The frames of the chosen source; null when no file was picked. `sameFile`: a restart after a model or pose
   * switch plays the file of the last run again instead of asking for one.
   */
  private async openSource(sameFile: boolean): Promise<{ frames$: Observable<FrameSample>; name: string; needsPose: boolean } | null> {
    const { dom } = this;
    const source = dom.source.value;
    if (source === 'camera') {
      const [width, height] = dom.resolution.value.split('x').map(Number) as [number, number];
      const retry = this.config.kiosk.cameraRestart;
      const frames$ = webcamFrames(dom.video, { deviceId: dom.camera.value || undefined, width, height }, retry, (problem) =>
        this.onCameraProblem(problem),
      );
      return { frames$, name: `camera ${dom.camera.selectedOptions[0]?.text ?? 'default'}`, needsPose: true };
    }
    const file = sameFile && this.lastFile ? this.lastFile : await this.pickFile();
    if (!file) return null;
    this.lastFile = file;
    if (source === 'video') return { frames$: videoFileFrames(dom.video, file, this.videoPlaybackRate), name: file.name, needsPose: true };
    const recording = await readRecordingFile(file);
    if (recording.issues.length > 0) {
      this.showError(`${file.name}: skipped ${recording.issues.length} damaged line(s), first: line ${recording.issues[0]!.line}: ${recording.issues[0]!.message}`);
    }
    return { frames$: replayFrames(recording.frames), name: file.name, needsPose: false };
  }

  private pickFile(): Promise<File | null> {
    const { file } = this.dom;
    file.value = '';
    return new Promise((resolve) => {
      file.addEventListener('change', () => resolve(file.files?.[0] ?? null), { once: true });
      file.addEventListener('cancel', () => resolve(null), { once: true });
      file.click();
    });
  }

  async start(options: { sameFile?: boolean } = {}): Promise<void> {
    if (this.run) return;
    const runner = this.runner;
    this.dom.start.disabled = true;
    try {
      const source = await this.openSource(options.sameFile ?? false);
      if (!source) return;
      if (source.needsPose) {
        this.showStatus('Starting pose estimation…');
        const started = await startPoseEstimator({
          model: this.dom.poseModel.value as PoseModelName,
          delegate: 'auto',
          numPoses: MAX_PEOPLE,
          assetBaseUrl: document.baseURI,
        });
        this.estimator = new RestartingPoseEstimator(started.estimator, (reason) =>
          reason ? this.degraded.report('pose', reason) : this.degraded.clear('pose'),
        );
        this.startup.poseMs = started.estimator.initMs;
        this.startup.delegate = `${started.estimator.options.delegate} (${started.delegateReason})`;
        this.debug.poseDelegate = started.estimator.options.delegate;
        this.renderStartup();
      }
      const estimator = this.estimator;
      const manifest = runner?.manifest;
      const labels = manifest?.labels ?? [];
      // Without a model the assembler still tracks people (fall monitoring needs their ids); its windows go unused.
      const input = manifest?.input ?? { window: 64, stride: 8, fps: 30, persons: 1 };
      const events$: Observable<PipelineEvent> = pipelineEvents(
        source.frames$,
        {
          estimatePose: async (sample: FrameSample): Promise<PoseFrame> => {
            if (sample.kind === 'poses') return sample.frame;
            if (!estimator) throw new Error('no pose estimator for a video source');
            const { frame, poseMs } = await estimator.estimate(await sample.grab(), sample.t);
            appendSample(this.debug.latency.detect, poseMs, LATENCY_SAMPLES);
            return frame;
          },
          classify: async (windows) => (runner ? runner.classify(windows) : windows.map(() => null)),
        },
        {
          window: {
            ...DEFAULT_WINDOW_OPTIONS,
            window: input.window,
            stride: LABEL_EVERY_TICK,
            fps: input.fps,
            persons: input.persons,
            tracker: { ...DEFAULT_WINDOW_OPTIONS.tracker, maxPeople: MAX_PEOPLE },
          },
        },
      );
      this.resetMeters();
      this.debug.running = true;
      this.debug.source = source.name;
      this.dom.start.textContent = 'Stop';
      this.dom.record.disabled = false;
      this.showStatus(null);
      // Ends every subscriber of the run (screen and alerts UI) when Stop is pressed.
      const ended$ = new Subject<void>();
      const shared$ = events$.pipe(takeUntil(ended$), share());
      this.endRun = () => ended$.next();
      this.runs$.next({ events$: shared$, model: manifest ? { labels, trained: manifest.trained } : null });
      this.run = shared$
        .pipe(
          // The recording holds exactly the pose frames the pipeline saw.
          tap((event) => {
            if (event.kind === 'frame') this.recorder?.append(event.frame);
            else for (const prediction of event.predictions) appendSample(this.debug.latency.inference, prediction.modelMs, LATENCY_SAMPLES);
          }),
          toView(labels, DEFAULT_LABEL_SMOOTHING),
        )
        .subscribe({
          next: (view) => this.render(view, labels),
          error: (error: unknown) => void this.stop().then(() => this.showError(errorText(error))),
          complete: () => void this.stop().then(() => this.showStatus(`${source.name} ended.`)),
        });
      if (this.recordEveryRun) this.toggleRecording();
    } catch (error) {
      this.showError(errorText(error));
      await this.stop();
    } finally {
      this.dom.start.disabled = false;
    }
  }

  async stop(): Promise<void> {
    if (this.recorder) this.toggleRecording();
    // The screen unsubscribes first, so only a source that ends by itself reports "ended".
    this.run?.unsubscribe();
    this.run = null;
    this.endRun();
    this.endRun = () => undefined;
    this.estimator?.close();
    this.estimator = null;
    this.degraded.clear('pose');
    this.debug.running = false;
    this.dom.tags.replaceChildren();
    this.dom.start.textContent = 'Start';
    this.dom.record.disabled = true;
  }

  private toggleRecording(): void {
    const { dom } = this;
    if (this.recorder) {
      const recorder = this.recorder;
      this.recorder = null;
      this.debug.recording.active = false;
      dom.record.classList.remove('active');
      dom.record.textContent = '● Record skeleton';
      const file = recorder.toFile();
      if (file) downloadFile(file);
      else this.showStatus('Nothing was recorded: no frame reached the pose stage.');
      return;
    }
    this.recorder = new SkeletonRecorder(this.debug.source ?? 'unknown');
    this.debug.recording = { active: true, frames: 0 };
    dom.record.classList.add('active');
    dom.record.textContent = '■ Stop recording';
  }

  private render(view: ViewState, labels: readonly string[]): void {
    const { dom } = this;
    const frame = view.frame;
    if (this.recorder) this.debug.recording.frames = this.recorder.frames;
    // A prediction event repeats the last frame: draw each frame once.
    if (frame && frame !== this.drawnFrame && this.drawOverlays) this.drawOverlay(view, frame);
    this.drawnFrame = frame;
    this.updateDebug(view.stats, view);
    const primary = view.people.find((person) => person.label);
    // A prediction comes every frame; the label panel (top-5 bars, attention) is rebuilt at most every
    // STATS_INTERVAL_MS, or at once when the shown label changes. The tags over the people follow every frame.
    if (!primary?.label || !primary.prediction || primary.prediction === this.shownPrediction) return;
    const now = performance.now();
    if (primary.label.label === this.shownLabel && now - this.shownPredictionAt < STATS_INTERVAL_MS) return;
    this.shownPrediction = primary.prediction;
    this.shownLabel = primary.label.label;
    this.shownPredictionAt = now;
    const { label, p, probabilities } = primary.label;
    const shown = labelView({ label, p }, topLabels(probabilities, labels), primary.prediction.untrained);
    dom.label.textContent = shown.label;
    dom.confidence.textContent = shown.confidence;
    dom.untrained.hidden = !shown.untrained;
    dom.top5.replaceChildren(...shown.bars.map((bar) => barItem(bar.label, bar.p, bar.percent)));
    this.debug.lastLabel = shown.label;
    const { frameImportance, spatialAttention } = primary.prediction;
    if (frameImportance) drawImportanceStrip(canvas2d(dom.strip), frameImportance);
    if (spatialAttention && !dom.heatmapSection.hidden) {
      drawAttentionHeatmap(canvas2d(dom.heatmap), spatialAttention, Math.round(Math.sqrt(spatialAttention.length)));
    }
  }

  private drawOverlay(view: ViewState, frame: PoseFrame): void {
    const { overlay } = this.dom;
    if (overlay.width !== frame.width || overlay.height !== frame.height) {
      overlay.width = frame.width;
      overlay.height = frame.height;
    }
    const ctx = canvas2d(overlay);
    ctx.clearRect(0, 0, overlay.width, overlay.height);
    const input = this.runner?.manifest.input;
    const minVisibility = input?.normalisation.minVisibility ?? 0.5;
    drawSkeletons(
      ctx,
      view.people.flatMap((person) => (person.landmarks ? [{ landmarks: person.landmarks, importance: person.prediction?.jointImportance }] : [])),
      { layout: input?.layout ?? 'blazepose33', minVisibility },
    );
    this.placeTags(view, frame, minVisibility);
  }

  /** A label over each person's head (HTML, so it is not mirrored with the canvas). */
  private placeTags(view: ViewState, frame: PoseFrame, minVisibility: number): void {
    const { tags, stage, mirror } = this.dom;
    const stageSize = { width: stage.clientWidth, height: stage.clientHeight };
    const labelled = view.people.filter((person) => person.landmarks && person.label);
    while (tags.children.length > labelled.length) tags.lastElementChild!.remove();
    labelled.forEach((person, i) => {
      const tag = (tags.children[i] as HTMLElement | undefined) ?? tags.appendChild(Object.assign(document.createElement('div'), { className: 'tag' }));
      const position = personTagPosition(person.landmarks!, minVisibility, frame, stageSize, mirror.checked);
      tag.hidden = !position;
      if (!position) return;
      tag.style.left = `${position.left}px`;
      tag.style.top = `${position.top}px`;
      const { label, p } = person.label!;
      tag.textContent = `${labelled.length > 1 ? `#${person.id} ` : ''}${label.replaceAll('_', ' ')} ${percent(p)}`;
    });
  }

  private updateDebug(stats: PipelineStats, view: ViewState): void {
    const now = performance.now();
    const debug = this.debug;
    if (view.frame && stats.pose.count > debug.framesProcessed) {
      // A frame the pose stage finished (prediction events repeat the last frame).
      debug.framesProcessed = stats.pose.count;
      debug.posesDetected += view.frame.people.length;
      this.fps.tick(now);
      appendSample(debug.latency.pose, stats.pose.lastMs, LATENCY_SAMPLES);
    }
    if (stats.predictions > this.lastPredictions) {
      this.lastPredictions = stats.predictions;
      appendSample(debug.latency.model, stats.model.lastMs, LATENCY_SAMPLES);
      appendSample(debug.latency.endToEnd, stats.endToEnd.lastMs, LATENCY_SAMPLES);
    }
    debug.fps = this.fps.rate(now);
    debug.predictions = stats.predictions;
    debug.dropped = { frames: stats.framesDropped, windows: stats.windowsDropped };
    if (stats.lastError) debug.lastError = stats.lastError;
    if (now - this.lastStatsAt < STATS_INTERVAL_MS) return;
    this.lastStatsAt = now;
    const { dom } = this;
    dom.statFps.textContent = `${debug.fps.toFixed(1)} fps`;
    dom.statPose.textContent = `${latencyText(debug.latency.pose)}; detection ${latencyText(debug.latency.detect)}`;
    dom.statModel.textContent = `${latencyText(debug.latency.model)}; inference ${latencyText(debug.latency.inference)}`;
    dom.statE2e.textContent = latencyText(debug.latency.endToEnd);
    dom.statDropped.textContent = `${stats.framesDropped} frames, ${stats.windowsDropped} windows`;
  }

  private renderStartup(): void {
    const parts = [
      this.startup.poseMs !== null ? `pose ${formatMs(this.startup.poseMs)}` : null,
      this.startup.modelMs !== null ? `model ${formatMs(this.startup.modelMs)}` : null,
      this.startup.delegate ? `pose delegate ${this.startup.delegate}` : null,
    ];
    this.dom.statStartup.textContent = parts.filter(Boolean).join('; ') || '–';
  }

  private resetMeters(): void {
    this.lastPredictions = 0;
    Object.assign(this.debug, {
      framesProcessed: 0,
      posesDetected: 0,
      predictions: 0,
      fps: 0,
      latency: { pose: [], detect: [], model: [], inference: [], endToEnd: [] },
      lastError: null,
    });
  }

  private onCameraProblem(problem: CameraProblem | null): void {
    if (problem) {
      // A retryable problem keeps the run (the source retries); any other needs the user, so Start must be free.
      if (!problem.retryable) void this.stop();
      this.showError(problem.message);
    } else {
      this.showStatus(null);
      void this.refreshCameras();
    }
  }

  /** A status message; with none, a standing model problem stays on screen (the app runs on without labels). */
  private showStatus(message: string | null): void {
    if (!message && this.modelProblem) return this.showError(this.modelProblem);
    const { banner } = this.dom;
    banner.classList.remove('error');
    banner.textContent = message ?? '';
    banner.hidden = !message;
  }

  private showError(message: string): void {
    this.debug.lastError = message;
    const { banner } = this.dom;
    banner.classList.add('error');
    banner.textContent = message;
    banner.hidden = false;
  }
}

function canvas2d(canvas: HTMLCanvasElement): CanvasRenderingContext2D {
  const ctx = canvas.getContext('2d');
  if (!ctx) throw new Error('no 2D canvas context');
  return ctx;
}

function barItem(label: string, p: number, text: string): HTMLLIElement {
  const item = document.createElement('li');
  const name = document.createElement('span');
  name.textContent = label;
  const bar = document.createElement('div');
  bar.className = 'bar';
  bar.style.width = `${Math.round(p * 100)}%`;
  const value = document.createElement('span');
  value.textContent = text;
  item.append(name, bar, value);
  return item;
}
