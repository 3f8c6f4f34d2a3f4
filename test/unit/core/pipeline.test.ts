import { interval, map, Subject, switchMap, take, type Observable } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { describe, expect, it } from 'vitest';
import type { Prediction } from '../../../src/model/prediction';
import { EMPTY_VIEW, reduceView, toView, type ViewState } from '../../../src/overlay/view';
import { createPipelineStats, exhaustLatest, pipelineEvents, type CapturedFrame, type PipelineEvent } from '../../../src/pipeline';
import { windowConfigForModel, type SkeletonWindow } from '../../../src/window';
import { poseFrame } from './pose-helpers';

const newScheduler = () => new TestScheduler((actual, expected) => expect(actual).toEqual(expected));
const windowConfig = windowConfigForModel({ window: 2, stride: 1, fps: 50, persons: 1 });

function fakePrediction(window: SkeletonWindow): Prediction {
  return { t: window.t, personId: window.personId, probabilities: Float32Array.of(0.9, 0.1), top: [{ label: 'a', p: 0.9 }], modelMs: 1, untrained: true };
}

/** Frames every 10 ms (t = 0, 10, ...), as the virtual clock sees them. */
const frames = (count: number): Observable<CapturedFrame> => interval(10).pipe(take(count), map((i) => ({ t: i * 10 })));

describe('exhaustLatest', () => {
  it('runs one call at a time and keeps only the newest waiting item', () => {
    newScheduler().run(({ cold, hot, expectObservable }) => {
      const dropped: string[] = [];
      const source = hot('abcd------|');
      const result = source.pipe(exhaustLatest((value) => cold('----(x|)', { x: value.toUpperCase() }), (value) => dropped.push(value)));
      expectObservable(result).toBe('----A---D-|');
      return () => expect(dropped).toEqual(['b', 'c']);
    });
  });

  it('completes only after the call in flight', () => {
    newScheduler().run(({ cold, hot, expectObservable }) => {
      const result = hot('a|').pipe(exhaustLatest(() => cold('---(x|)')));
      expectObservable(result).toBe('---(x|)');
    });
  });
});

describe('pipelineEvents', () => {
  it('drops frames and windows under back-pressure instead of queueing them', () => {
    const scheduler = newScheduler();
    scheduler.run(({ cold, expectObservable, flush }) => {
      const events: PipelineEvent[] = [];
      // Frame t enters at t + 10 ms (interval); frames every 10 ms, pose 24 ms, model 50 ms; a 2-tick window at
      // 50 fps, so each frame that gets through completes a window from the second one on.
      const events$ = pipelineEvents(
        frames(10),
        {
          estimatePose: (frame) => cold('24ms (p|)', { p: poseFrame(frame.t, [0]) }),
          classify: (windows) => cold('50ms (p|)', { p: windows.map(fakePrediction) }),
        },
        { window: windowConfig, now: () => scheduler.now() },
      );
      const marbles = events$.pipe(map((event) => (event.kind === 'frame' ? 'f' : 'p')));
      expectObservable(marbles).toBe('34ms f 23ms f 23ms f 23ms f 1ms p 21ms f 27ms p 49ms (p|)');
      events$.subscribe((event) => events.push(event));
      flush();
      const frameTimes = events.flatMap((event) => (event.kind === 'frame' ? [event.frame.t] : []));
      expect(frameTimes).toEqual([0, 20, 40, 70, 90]);
      const stats = events.at(-1)!.stats;
      // Windows completed at 58, 82, 106, 130 ms; the one of 82 ms was replaced by that of 106 ms while the model ran.
      expect(stats).toMatchObject({ framesIn: 10, framesDropped: 5, windowsIn: 4, windowsDropped: 1, predictions: 3 });
      expect(stats.pose).toMatchObject({ count: 5, meanMs: 24, maxMs: 24 });
      expect(stats.model).toMatchObject({ count: 3, lastMs: 50 });
      // Latest: the frame t = 90 entered at 100 ms, its window's prediction came at 208 ms.
      expect(stats.endToEnd).toMatchObject({ count: 3, lastMs: 108, maxMs: 108 });
    });
  });

  it('switching the source closes the old one and ignores its call in flight', () => {
    newScheduler().run(({ cold, hot, expectObservable, expectSubscriptions }) => {
      const first = hot<CapturedFrame>('-a-----', { a: { t: 0 } });
      const second = hot<CapturedFrame>('------b', { b: { t: 500 } });
      const sources = hot('x---y-', { x: first, y: second });
      const events$ = sources.pipe(
        switchMap((frames$) =>
          pipelineEvents(frames$, { estimatePose: (frame) => cold('5ms (p|)', { p: poseFrame(frame.t, [0]) }), classify: (windows) => cold('(n|)', { n: windows.map(() => null) }) }, { window: windowConfig }),
        ),
        map((event) => (event.kind === 'frame' ? String(event.frame.t) : 'p')),
      );
      // Frame 0's pose would arrive at 6 ms, after the switch at 4 ms: it never shows.
      expectObservable(events$).toBe('11ms z', { z: '500' });
      expectSubscriptions(first.subscriptions).toBe('^---!');
    });
  });

  it('reports a failing stage in the stats and keeps running', async () => {
    const frames$ = new Subject<CapturedFrame>();
    const events: PipelineEvent[] = [];
    const subscription = pipelineEvents(
      frames$,
      {
        estimatePose: async (frame) => {
          if (frame.t === 10) throw new Error('worker crashed');
          if (frame.t === 20) return { ...poseFrame(frame.t, [0]), width: 0 };
          return poseFrame(frame.t, [0]);
        },
        classify: async (windows) => windows.map(fakePrediction),
      },
      { window: windowConfig },
    ).subscribe((event) => events.push(event));
    for (const t of [0, 10, 20, 30, 40]) {
      frames$.next({ t });
      await new Promise((resolve) => setTimeout(resolve, 0));
    }
    subscription.unsubscribe();
    const stats = events.at(-1)!.stats;
    expect(stats.poseErrors).toBe(1);
    expect(stats.invalidPoses).toBe(1);
    expect(stats.lastError).toBe('unusable pose result at t=20 ms: image size must be positive, got 0x480');
    expect(events.filter((event) => event.kind === 'predictions').length).toBeGreaterThan(0);
  });

  it('a promise resolving after unsubscribe is ignored', async () => {
    let resolvePose: ((frame: ReturnType<typeof poseFrame>) => void) | undefined;
    const frames$ = new Subject<CapturedFrame>();
    const events: PipelineEvent[] = [];
    const subscription = pipelineEvents(
      frames$,
      { estimatePose: () => new Promise((resolve) => (resolvePose = resolve)), classify: async (windows) => windows.map(() => null) },
      { window: windowConfig },
    ).subscribe({ next: (event) => events.push(event), error: (error: unknown) => events.push(error as PipelineEvent) });
    frames$.next({ t: 0 });
    subscription.unsubscribe();
    expect(frames$.observed).toBe(false);
    resolvePose!(poseFrame(0, [0]));
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(events).toEqual([]);
  });
});

describe('reduceView', () => {
  const smoothing = { switchMargin: 0.1, switchAfterMs: 0, minProbability: 0.4 };
  const stats = createPipelineStats();
  const frameEvent = (t: number, ids: number[], activeIds: number[]): PipelineEvent => {
    const frame = poseFrame(t, ids.map((id) => id * 0.5));
    return {
      kind: 'frame',
      frame,
      tracked: { t, people: ids.map((id, index) => ({ id, index, canonical: [] })), activeIds },
      windows: [],
      enteredAt: t,
      stats,
    };
  };
  const predictionEvent = (personId: number, probabilities: number[]): PipelineEvent => ({
    kind: 'predictions',
    predictions: [{ ...fakePrediction({ personId, t: 0 } as SkeletonWindow), probabilities: Float32Array.from(probabilities) }],
    stats,
  });

  it('keeps a smoothed label per tracked person across frames and forgets people who are dropped', () => {
    const events = [
      frameEvent(0, [1, 2], [1, 2]),
      predictionEvent(1, [0.2, 0.8]),
      frameEvent(10, [2], [1, 2]),
      predictionEvent(1, [0.52, 0.48]),
      frameEvent(20, [2], [2]),
    ];
    const views = events.reduce<ViewState[]>((all, event) => [...all, reduceView(all.at(-1) ?? EMPTY_VIEW, event, ['a', 'b'], smoothing)], []);
    const summary = (view: ViewState) => view.people.map((person) => `${person.id}:${person.label?.label ?? '-'}:${person.landmarks ? 'seen' : 'missing'}`);
    expect(views.map(summary)).toEqual([
      ['1:-:seen', '2:-:seen'],
      ['1:b:seen', '2:-:seen'],
      ['1:b:missing', '2:-:seen'],
      // (0.52, 0.48): a lead of less than 0.1 over the shown label, so it stays.
      ['1:b:missing', '2:-:seen'],
      ['2:-:seen'],
    ]);
  });

  it('runs as an operator over pipeline events', () => {
    newScheduler().run(({ cold, expectObservable }) => {
      const view$ = pipelineEvents(
        frames(3),
        { estimatePose: (frame) => cold('(p|)', { p: poseFrame(frame.t, [0]) }), classify: (windows) => cold('(p|)', { p: windows.map(fakePrediction) }) },
        { window: windowConfig },
      ).pipe(
        toView(['a', 'b'], smoothing),
        map((view) => view.people.map((person) => `${person.id}:${person.label?.label ?? '-'}`).join()),
      );
      // Frames t = 0, 10, 20 enter at 10, 20, 30 ms; t = 20 completes the first window (50 fps grid, 2 ticks).
      expectObservable(view$).toBe('10ms a 9ms a 9ms (ab|)', { a: '1:-', b: '1:a' });
    });
  });
});
