// One run of the pipeline: the opened source → pose worker (when the source is video) → pipeline → view states, from
// Start until Stop, the source's end or a failure. Every run is also published, for the fall-monitoring UI.
import { ReplaySubject, share, Subject, takeUntil, tap, type Observable, type Subscription } from 'rxjs';
import type { FrameSample } from '../capture/types';
import type { ModelManifest } from '../model/manifest';
import { DEFAULT_LABEL_SMOOTHING } from '../overlay/label-smoothing';
import { toView, type ViewState } from '../overlay/view';
import { pipelineEvents, type PipelineEvent } from '../pipeline';
import { startPoseEstimator } from '../pose/pose-estimator';
import { MAX_POSES, type PoseModelName } from '../pose/protocol';
import type { PoseFrame } from '../skeleton/types';
import { DEFAULT_WINDOW_OPTIONS, LABEL_EVERY_TICK, type WindowConfig } from '../window/window-config';
import type { DegradedModes } from './degraded-banner';
import type { ModelRunner } from './model-runner';
import { RestartingPoseEstimator } from './restarting-pose';
import type { OpenedSource } from './source-picker';
import type { StatsMeter } from './stats-panel';

/** Most people tracked and drawn; the pose worker detects this many. */
export const MAX_PEOPLE = MAX_POSES;

/**
 * One run of the pipeline (Start, or a source/model switch), for the fall-monitoring UI mounted in #alerts:
 * subscribe to `events$` (shared with the screen: it does not start a second pipeline); it completes when the
 * run stops. `model` is null while no action model is loaded (poses only).
 */
export interface PipelineRun {
  events$: Observable<PipelineEvent>;
  model: { labels: readonly string[]; trained: boolean } | null;
}

/** What the screen does as a run goes. */
export interface RunHooks {
  status(message: string): void;
  poseStarted(started: { initMs: number; delegate: string; delegateDescription: string }): void;
  /** The run's events are about to flow. */
  starting(source: OpenedSource): void;
  /** Every pose frame the pipeline saw (what a recording holds). */
  frame(frame: PoseFrame): void;
  view(view: ViewState, labels: readonly string[]): void;
  failed(error: unknown): void;
  /** The source ended by itself. */
  ended(source: OpenedSource): void;
}

/**
 * The window settings of a run: the model's window and fps (without a model the assembler still tracks people —
 * fall monitoring needs their ids — and its windows go unused), a label every tick, up to MAX_PEOPLE people.
 */
export function runWindowConfig(input: ModelManifest['input'] | undefined): WindowConfig {
  const { window, fps, persons } = input ?? { window: 64, fps: 30, persons: 1 };
  return {
    ...DEFAULT_WINDOW_OPTIONS,
    window,
    stride: LABEL_EVERY_TICK,
    fps,
    persons,
    tracker: { ...DEFAULT_WINDOW_OPTIONS.tracker, maxPeople: MAX_PEOPLE },
  };
}

export class RunLifecycle {
  /** Every run, for the alerts UI (src/ui/alerts-panel); replays the latest to a late subscriber. */
  readonly runs$ = new ReplaySubject<PipelineRun>(1);
  private run: Subscription | null = null;
  private endRun: () => void = () => undefined;
  private estimator: RestartingPoseEstimator | null = null;

  constructor(
    private readonly meter: StatsMeter,
    private readonly degraded: DegradedModes,
  ) {}

  get running(): boolean {
    return this.run !== null;
  }

  /** Starts the pose stage when the source needs it, then the pipeline; throws when the pose stage cannot start. */
  async start(source: OpenedSource, runner: ModelRunner | null, pose: PoseModelName, hooks: RunHooks): Promise<void> {
    if (source.needsPose) {
      hooks.status('Starting pose estimation…');
      const started = await startPoseEstimator({ model: pose, delegate: 'auto', numPoses: MAX_PEOPLE, assetBaseUrl: document.baseURI });
      this.estimator = new RestartingPoseEstimator(started.estimator, (reason) => (reason ? this.degraded.report('pose', reason) : this.degraded.clear('pose')));
      const { delegate } = started.estimator.options;
      hooks.poseStarted({ initMs: started.estimator.initMs, delegate, delegateDescription: `${delegate} (${started.delegateReason})` });
    }
    const estimator = this.estimator;
    const manifest = runner?.manifest;
    const labels = manifest?.labels ?? [];
    const events$ = pipelineEvents(
      source.frames$,
      {
        estimatePose: async (sample: FrameSample): Promise<PoseFrame> => {
          if (sample.kind === 'poses') return sample.frame;
          if (!estimator) throw new Error('no pose estimator for a video source');
          const { frame, poseMs } = await estimator.estimate(await sample.grab(), sample.t);
          this.meter.recordDetection(poseMs);
          return frame;
        },
        classify: async (windows) => (runner ? runner.classify(windows) : windows.map(() => null)),
      },
      { window: runWindowConfig(manifest?.input) },
    );
    hooks.starting(source);
    // Ends every subscriber of the run (screen and alerts UI) when Stop is pressed.
    const ended$ = new Subject<void>();
    const shared$ = events$.pipe(takeUntil(ended$), share());
    this.endRun = () => ended$.next();
    this.runs$.next({ events$: shared$, model: manifest ? { labels, trained: manifest.trained } : null });
    this.run = shared$
      .pipe(
        tap((event) => {
          if (event.kind === 'frame') hooks.frame(event.frame);
          else for (const prediction of event.predictions) this.meter.recordInference(prediction.modelMs);
        }),
        toView(labels, DEFAULT_LABEL_SMOOTHING),
      )
      .subscribe({
        next: (view) => hooks.view(view, labels),
        error: (error: unknown) => hooks.failed(error),
        complete: () => hooks.ended(source),
      });
  }

  /** The screen unsubscribes first, so only a source that ends by itself reports "ended". */
  stop(): void {
    this.run?.unsubscribe();
    this.run = null;
    this.endRun();
    this.endRun = () => undefined;
    this.estimator?.close();
    this.estimator = null;
    this.degraded.clear('pose');
  }
}
