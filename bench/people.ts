// People scaling: N synthetic people (eval/synthetic, walking to and fro and squatting) replayed in real time at
// 30 fps through the real pipeline (pipelineEvents: tracker, a window per person every tick, the model stage with
// all people in one call), the model in this process (onnxruntime-web wasm, 1 thread, as in the app's worker). The
// pose stage hands back the recorded poses, so this measures what tracking, windowing and the model add per person.
// Each run lasts `seconds` after the first label (the windows take input.window frames to fill).
//
//   npx tsx bench/people.ts [--model models/NAME.json] [--seconds 8]      (also run by `npm run bench`)
import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import * as ort from 'onnxruntime-web';
import { interval, lastValueFrom, map, take, tap } from 'rxjs';
import { standingPose } from '../eval/synthetic-body';
import { renderScript } from '../eval/synthetic';
import { steps } from '../eval/synthetic-steps';
import { loadManifestClassifier } from '../src/model/load';
import { pipelineEvents, type CapturedFrame } from '../src/pipeline';
import type { PoseFrame } from '../src/skeleton/types';
import { quantile } from '../src/stats';
import { DEFAULT_WINDOW_OPTIONS, LABEL_EVERY_TICK, windowConfigForModel } from '../src/window';

export interface PeopleResult {
  people: number;
  /** Frames the replay delivered and frames the pipeline finished, per second (from the first label on). */
  sourceFps: number;
  fps: number;
  /** Labels per person per second. */
  labelRate: number;
  /** Model stage ms per call (all people) and per person, median. */
  callMs: number | null;
  personMs: number | null;
  /** Model stage time / wall time, in cores. */
  modelShare: number;
  /** Frame entering the pipeline → its label, p95 ms. */
  latencyP95: number | null;
}

const FPS = 30;

/** `people` people side by side, each walking to and fro and squatting, as frames of one camera. */
function scene(people: number, seconds: number): PoseFrame[] {
  const clips = Array.from({ length: people }, (_, k) => {
    const x = -2.1 + (4.2 * (k + 0.5)) / people;
    const script = [steps.walkTo(x + 0.25, 5.5, 0.5), ...steps.squats(1, 1500), steps.walkTo(x - 0.25, 5.5, 0.5), ...steps.squats(1, 1500)];
    const frames = renderScript(standingPose(x, 5.5), Array(Math.ceil(seconds / 4) + 1).fill(script).flat(), { seed: k + 1 });
    return frames;
  });
  const length = Math.min(seconds * FPS, ...clips.map((clip) => clip.length));
  return Array.from({ length }, (_, i) => ({ ...clips[0]![i]!, people: clips.flatMap((clip) => clip[i]!.people) }));
}

export async function benchPeople(manifestPath: string, counts: readonly number[], seconds: number): Promise<PeopleResult[]> {
  ort.env.wasm.numThreads = 1;
  const model = await loadManifestClassifier(manifestPath, async (file) => new Uint8Array(await readFile(file)));
  const results: PeopleResult[] = [];
  try {
    for (const people of counts) {
      const frames = scene(people, seconds + Math.ceil(model.manifest.input.window / FPS));
      const calls: number[] = [];
      const perPerson: number[] = [];
      const latency: number[] = [];
      // Counted from the first label on: before it every person's window fills (and the first call replays it).
      let started: number | null = null;
      let framesIn = 0;
      let poses = 0;
      let labels = 0;
      const events$ = pipelineEvents(
        interval(1000 / FPS).pipe(take(frames.length), map((i): CapturedFrame & { i: number } => ({ t: (i * 1000) / FPS, i }))),
        // The capture time is exact (renderScript rounds to whole ms, which would merge grid ticks).
        { estimatePose: async ({ t, i }) => ({ ...frames[i]!, t }), classify: (windows) => model.classifyAll(windows) },
        {
          window: windowConfigForModel(
            { ...model.manifest.input, stride: LABEL_EVERY_TICK },
            { tracker: { ...DEFAULT_WINDOW_OPTIONS.tracker, maxPeople: Math.max(people, DEFAULT_WINDOW_OPTIONS.tracker.maxPeople) } },
          ),
        },
      );
      let lastStats = { framesIn: 0 };
      await lastValueFrom(
        events$.pipe(
          tap((event) => (lastStats = event.stats)),
          tap((event) => {
            if (started === null) {
              if (event.kind === 'predictions') [started, framesIn] = [performance.now(), event.stats.framesIn];
              return;
            }
            if (event.kind === 'frame') return void poses++;
            labels += event.predictions.length;
            calls.push(event.stats.model.lastMs);
            perPerson.push(event.stats.model.lastMs / event.predictions.length);
            latency.push(event.stats.endToEnd.lastMs);
          }),
        ),
        { defaultValue: null },
      );
      const elapsed = (performance.now() - (started ?? performance.now())) / 1000;
      results.push({
        people,
        sourceFps: (lastStats.framesIn - framesIn) / elapsed,
        fps: poses / elapsed,
        labelRate: labels / people / elapsed,
        callMs: quantile(calls, 0.5),
        personMs: quantile(perPerson, 0.5),
        modelShare: calls.reduce((a, b) => a + b, 0) / 1000 / elapsed,
        latencyP95: quantile(latency, 0.95),
      });
    }
  } finally {
    await model.release();
  }
  return results;
}

const fixed = (value: number | null, digits = 1) => (value === null ? '–' : value.toFixed(digits));

export function peopleTable(results: readonly PeopleResult[]): string[] {
  return [
    '| people | replay fps | pipeline fps | labels / person / s | model call ms (median) | ms per person | model share of one core | capture→label p95 ms |',
    '|---:|---:|---:|---:|---:|---:|---:|---:|',
    ...results.map((r) => `| ${r.people} | ${fixed(r.sourceFps)} | ${fixed(r.fps)} | ${fixed(r.labelRate)} | ${fixed(r.callMs, 2)} | ${fixed(r.personMs, 2)} | ${(100 * r.modelShare).toFixed(0)} % | ${fixed(r.latencyP95)} |`),
  ];
}

if (process.argv[1]?.endsWith('people.ts')) {
  const { values } = parseArgs({ options: { model: { type: 'string', default: 'models/default.json' }, seconds: { type: 'string', default: '8' } } });
  const results = await benchPeople(values.model, [1, 2, 4, 8], Number(values.seconds));
  console.log(`${values.model}, ${values.seconds} s per run`);
  console.log(peopleTable(results).join('\n'));
}
