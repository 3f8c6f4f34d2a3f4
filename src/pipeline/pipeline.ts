/**
 * The live pipeline as rxjs operators: frames$ → poses$ → windows$ → predictions$ → view$.
 * Pose estimation and the model are injected async stages (workers in the app, fakes in tests). Each stage has at
 * most one call in flight; see exhaustLatest for what happens to items that arrive meanwhile.
 */
import { catchError, concatMap, connect, defer, EMPTY, filter, from, map, merge, Observable, tap, type ObservableInput, type OperatorFunction } from 'rxjs';
import type { Prediction } from '../model/prediction';
import type { PoseFrame } from '../skeleton/types';
import { WindowAssembler } from '../window/assembler';
import { poseFrameToCanonical, type SkeletonWindow, type TrackedFrame } from '../window/frames';
import type { WindowConfig } from '../window/window-config';
import { exhaustLatest } from './exhaust-latest';
import { createPipelineStats, recordLatency, snapshotStats, type LatencyStats, type PipelineStats } from './stats';

/** A captured frame: anything with a capture time in ms (an ImageBitmap wrapper in the app). */
export interface CapturedFrame {
  t: number;
}

export type PoseStage<F extends CapturedFrame> = (frame: F) => ObservableInput<PoseFrame>;
/** Classifies the windows of one frame (every person's) in one call; null for a window that cannot be classified. */
export type ModelStage = (windows: readonly SkeletonWindow[]) => ObservableInput<(Prediction | null)[]>;

export interface PipelineStages<F extends CapturedFrame> {
  estimatePose: PoseStage<F>;
  classify: ModelStage;
}

export interface PipelineOptions {
  window: WindowConfig;
  /** Clock for latencies (ms); performance.now by default, the TestScheduler's clock in marble tests. */
  now?: () => number;
}

/** A frame after pose estimation and windowing. */
export interface AssembledFrame {
  frame: PoseFrame;
  tracked: TrackedFrame;
  windows: SkeletonWindow[];
  /** Clock time at which the captured frame entered the pipeline. */
  enteredAt: number;
}

export type PipelineEvent =
  | ({ kind: 'frame'; stats: PipelineStats } & AssembledFrame)
  | { kind: 'predictions'; predictions: Prediction[]; stats: PipelineStats };

const errorText = (error: unknown): string => (error instanceof Error ? error.message : String(error));

/** Calls a stage, records its latency, and turns a failure into a counted, reported skip instead of an error. */
function timedStage<T>(
  call: () => ObservableInput<T>,
  latency: LatencyStats,
  now: () => number,
  onError: (message: string) => void,
): Observable<T> {
  return defer(() => {
    const started = now();
    return from(call()).pipe(
      tap(() => recordLatency(latency, now() - started)),
      catchError((error: unknown) => {
        onError(errorText(error));
        return EMPTY;
      }),
    );
  });
}

export function estimatePoses<F extends CapturedFrame>(
  estimate: PoseStage<F>,
  stats: PipelineStats,
  now: () => number,
): OperatorFunction<F, { frame: PoseFrame; enteredAt: number }> {
  return (frames$) =>
    frames$.pipe(
      map((captured) => {
        stats.framesIn++;
        return { captured, enteredAt: now() };
      }),
      exhaustLatest(
        ({ captured, enteredAt }) =>
          timedStage(() => estimate(captured), stats.pose, now, (message) => {
            stats.poseErrors++;
            stats.lastError = `pose estimation failed at t=${captured.t} ms: ${message}`;
          }).pipe(map((frame) => ({ frame, enteredAt }))),
        () => stats.framesDropped++,
      ),
    );
}

/** A pose result the assembler rejects (e.g. a wrong joint count) is counted and skipped, not fatal. */
export function assembleWindows(
  assembler: WindowAssembler,
  stats: PipelineStats,
): OperatorFunction<{ frame: PoseFrame; enteredAt: number }, AssembledFrame> {
  return (poses$) =>
    poses$.pipe(
      concatMap(({ frame, enteredAt }) => {
        try {
          return [{ frame, enteredAt, ...assembler.push(poseFrameToCanonical(frame)) }];
        } catch (error) {
          stats.invalidPoses++;
          stats.lastError = `unusable pose result at t=${frame.t} ms: ${errorText(error)}`;
          return [];
        }
      }),
    );
}

/** Classifies each frame's windows in one model call; a batch arriving while the model is busy waits (newest only). */
export function classifyWindows(classify: ModelStage, stats: PipelineStats, now: () => number): OperatorFunction<AssembledFrame, Prediction[]> {
  return (assembled$) =>
    assembled$.pipe(
      filter(({ windows }) => windows.length > 0),
      tap(({ windows }) => (stats.windowsIn += windows.length)),
      exhaustLatest(
        ({ windows, enteredAt }) => {
          const people = windows.map((window) => window.personId).join(', ');
          const t = windows[0]!.t;
          return timedStage(() => classify(windows), stats.model, now, (message) => {
            stats.modelErrors++;
            stats.lastError = `model failed on the windows of person ${people} at t=${t} ms: ${message}`;
          }).pipe(
            map((predictions) => {
              const classified = predictions.filter((prediction): prediction is Prediction => prediction !== null);
              stats.windowsUnclassified += predictions.length - classified.length;
              stats.predictions += classified.length;
              if (classified.length > 0) recordLatency(stats.endToEnd, now() - enteredAt);
              return classified;
            }),
          );
        },
        ({ windows }) => (stats.windowsDropped += windows.length),
      ),
      filter((predictions) => predictions.length > 0),
    );
}

/**
 * One run of the pipeline over one source. Cold: each subscription gets fresh stats and a fresh window assembler,
 * so switching the source is `sources$.pipe(switchMap((frames$) => pipelineEvents(frames$, stages, options)))`;
 * unsubscribing closes every stage and ignores what an in-flight call resolves to later.
 */
export function pipelineEvents<F extends CapturedFrame>(
  frames$: Observable<F>,
  stages: PipelineStages<F>,
  options: PipelineOptions,
): Observable<PipelineEvent> {
  return defer(() => {
    const now = options.now ?? (() => performance.now());
    const stats = createPipelineStats();
    const assembler = new WindowAssembler(options.window);
    return frames$.pipe(
      estimatePoses(stages.estimatePose, stats, now),
      assembleWindows(assembler, stats),
      // connect: both branches subscribe before the first frame flows, even from a synchronous source.
      connect((assembled$) =>
        merge(
          assembled$.pipe(map((assembled): PipelineEvent => ({ kind: 'frame', ...assembled, stats: snapshotStats(stats) }))),
          assembled$.pipe(
            classifyWindows(stages.classify, stats, now),
            map((predictions): PipelineEvent => ({ kind: 'predictions', predictions, stats: snapshotStats(stats) })),
          ),
        ),
      ),
    );
  });
}
