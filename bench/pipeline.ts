// Live pipeline benchmark, one run: the built app in headless Chromium with the fake webcam (1 and 3 people), per
// pose model, first the pose stage alone (no model, no overlay: ?model=none&overlay=off), then the whole app with the
// model: sustained fps and their ratio (target ≥ 0.9), per-stage latency, capture → label latency (a label every
// frame), the model's share of one core; then the people scaling in Node (bench/people.ts: 1, 2, 4, 8 people).
//
//   npm run bench [-- --seconds 20 --pose lite --model default.json]
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import type { ModelManifest } from '../src/model/manifest';
import { quantile } from '../src/stats';
import type { DebugState } from '../src/ui/view-model';
import { REPO_ROOT, serveApp } from '../scripts/headless/app-server';
import { launchChromium, makeTestClip } from '../scripts/headless/chromium';
import { benchPeople, peopleTable } from './people';

interface Options {
  seconds: number;
  warmupSeconds: number;
  poses: string[];
  model: string;
}

function parseArgs(args: readonly string[]): Options {
  const options: Options = { seconds: 20, warmupSeconds: 5, poses: ['lite'], model: 'default.json' };
  for (let i = 0; i < args.length; i++) {
    const value = args[i + 1];
    if (value === undefined) throw new Error(`${args[i]} needs a value`);
    switch (args[i]) {
      case '--seconds':
        options.seconds = Number(value);
        break;
      case '--warmup':
        options.warmupSeconds = Number(value);
        break;
      case '--pose':
        options.poses = value.split(',');
        break;
      case '--model':
        options.model = value;
        break;
      default:
        throw new Error(`unknown argument ${args[i]} (expected --seconds, --warmup, --pose, --model)`);
    }
    i++;
  }
  if (!(options.seconds > 0) || !(options.warmupSeconds >= 0)) throw new Error('--seconds and --warmup must be positive numbers');
  return options;
}

const state = (page: Page): Promise<DebugState> => page.evaluate(() => (window as unknown as { __sentinel: DebugState }).__sentinel);

interface RunResult {
  pose: string;
  people: number;
  /** Pose stage alone (no model, no overlay) or the whole app. */
  poseOnly: boolean;
  fps: number;
  posesPerFrame: number;
  /** ONNX Runtime time / wall time, in cores. */
  modelShare: number;
  framesDropped: number;
  stages: Record<keyof DebugState['latency'], { median: number | null; p95: number | null; count: number }>;
  backend: string;
}

async function measure(page: Page, url: string, pose: string, people: number, poseOnly: boolean, options: Options): Promise<RunResult> {
  const model = poseOnly ? 'none&overlay=off' : encodeURIComponent(options.model);
  await page.goto(`${url}?autostart&pose=${pose}&model=${model}`);
  const ready: 'framesProcessed' | 'predictions' = poseOnly ? 'framesProcessed' : 'predictions';
  await page.waitForFunction((key) => ((window as unknown as { __sentinel: DebugState }).__sentinel?.[key] ?? 0) > 0, ready, {
    timeout: 120_000,
    polling: 500,
  });
  await page.waitForTimeout(options.warmupSeconds * 1000);
  const before = await state(page);
  const started = Date.now();
  await page.waitForTimeout(options.seconds * 1000);
  const after = await state(page);
  const elapsed = (Date.now() - started) / 1000;
  if (after.lastError) console.warn(`  (${pose}: last error: ${after.lastError})`);
  const since = (key: keyof DebugState['latency']) => after.latency[key].slice(before.latency[key].length);
  const summary = (values: number[]) => ({ median: quantile(values, 0.5), p95: quantile(values, 0.95), count: values.length });
  const frames = after.framesProcessed - before.framesProcessed;
  return {
    pose,
    people,
    poseOnly,
    fps: frames / elapsed,
    posesPerFrame: (after.posesDetected - before.posesDetected) / Math.max(frames, 1),
    modelShare: since('inference').reduce((a, b) => a + b, 0) / 1000 / elapsed,
    framesDropped: after.dropped.frames - before.dropped.frames,
    stages: {
      pose: summary(since('pose')),
      detect: summary(since('detect')),
      model: summary(since('model')),
      inference: summary(since('inference')),
      endToEnd: summary(since('endToEnd')),
    },
    backend: after.backend ?? '?',
  };
}

const ms = (value: number | null) => (value === null ? '–' : value.toFixed(1).padStart(7));

function verdict(name: string, measured: number | null, target: number, higherIsBetter: boolean): string {
  if (measured === null) return `${name}: no samples  FAIL`;
  const ratio = higherIsBetter ? measured / target : target / measured;
  return `${name}: ${measured.toFixed(1)} vs target ${higherIsBetter ? '≥' : '≤'} ${target.toFixed(1)}  ratio ${ratio.toFixed(2)}  ${ratio >= 1 ? 'PASS' : 'FAIL'}`;
}

const PEOPLE = [1, 3];
const SCALING = [1, 2, 4, 8];
const RATIO_TARGET = 0.9;

async function main(): Promise<void> {
  const options = parseArgs(process.argv.slice(2));
  const manifest = (await import(join(REPO_ROOT, 'models', options.model), { with: { type: 'json' } })).default as ModelManifest;
  const app = await serveApp();
  const results: RunResult[] = [];
  const loads: string[] = [];
  const load = () => loadavg().map((l) => l.toFixed(1)).join(' / ');
  try {
    for (const people of PEOPLE) {
      const browser = await launchChromium({ fakeVideo: makeTestClip(join(REPO_ROOT, 'test-results', 'media'), 4, 'y4m', people) });
      try {
        for (const pose of options.poses) {
          for (const poseOnly of [true, false]) {
            console.log(`${people} ${people === 1 ? 'person' : 'people'}, pose "${pose}", ${poseOnly ? 'pose stage alone' : `whole app with ${options.model}`}: ${options.warmupSeconds} s warm-up, ${options.seconds} s measured…`);
            const page = await browser.context.newPage();
            results.push(await measure(page, app.url, pose, people, poseOnly, options));
            loads.push(load());
            await page.close();
          }
        }
      } finally {
        await browser.close();
      }
    }
  } finally {
    await app.close();
  }
  console.log(`people scaling in Node with models/${options.model} (8 s per run)…`);
  const scaling = await benchPeople(join(REPO_ROOT, 'models', options.model), SCALING, 8);
  loads.push(load());

  const runs = manifest.streaming ? 'streaming, one frame per person per call' : 'the whole window per person per frame';
  console.log(`\nSkeleton Sentinel live pipeline, headless Chromium, fake webcam 640x480@30, model ${manifest.name} (${manifest.input.window} frames at ${manifest.input.fps} fps, a label every frame: ${runs})`);
  // Other processes on the machine slow every stage; the load average tells how comparable these numbers are.
  console.log(`machine: ${cpus().length} cores, load average (1 / 5 / 15 min) after each run: ${loads.join('; ')}`);
  console.log('people pose   run        fps  poses/frame dropped | pose stage med/p95 | detect med/p95  | model stage med/p95 | inference med/p95 | capture→label med/p95 (ms) | model share of a core');
  for (const r of results) {
    const s = r.stages;
    console.log(
      `${String(r.people).padStart(6)} ${r.pose.padEnd(6)} ${(r.poseOnly ? 'pose only' : 'whole app').padEnd(9)} ${r.fps.toFixed(1).padStart(5)}  ${r.posesPerFrame.toFixed(2).padStart(11)} ${String(r.framesDropped).padStart(7)} |` +
        ` ${ms(s.pose.median)} ${ms(s.pose.p95)}    | ${ms(s.detect.median)} ${ms(s.detect.p95)} | ${ms(s.model.median)} ${ms(s.model.p95)}     | ${ms(s.inference.median)} ${ms(s.inference.p95)}   | ${ms(s.endToEnd.median)} ${ms(s.endToEnd.p95)}              | ${(100 * r.modelShare).toFixed(1)} %`,
    );
  }
  console.log('\nPeople scaling (Node, recorded poses replayed at 30 fps through the real pipeline and model, wasm 1 thread):');
  console.log(peopleTable(scaling).join('\n'));
  console.log('\nTargets:');
  for (const pose of options.poses) {
    for (const people of PEOPLE) {
      const alone = results.find((r) => r.pose === pose && r.people === people && r.poseOnly)!;
      const whole = results.find((r) => r.pose === pose && r.people === people && !r.poseOnly)!;
      const ratio = whole.fps / alone.fps;
      console.log(`  [${pose}, ${people} ${people === 1 ? 'person' : 'people'}] pipeline fps / pose-only fps: ${whole.fps.toFixed(1)} / ${alone.fps.toFixed(1)} = ${ratio.toFixed(2)} vs ≥ ${RATIO_TARGET}  ${ratio >= RATIO_TARGET ? 'PASS' : 'FAIL'}`);
      console.log(`  [${pose}, ${people} ${people === 1 ? 'person' : 'people'}] ${verdict('per-frame label latency ms (p95 capture→label)', whole.stages.endToEnd.p95, 100, false)}`);
      console.log(`  [${pose}, ${people} ${people === 1 ? 'person' : 'people'}] model share of one core: ${(100 * whole.modelShare).toFixed(1)} %`);
    }
  }
  const perPerson = scaling.find((r) => r.people === 1)?.personMs ?? null;
  console.log(`  [node] ${verdict('model ms per person-frame (1 person, model stage median)', perPerson, 2, false)}`);
}

main().catch((error: unknown) => {
  console.error(`bench: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
});
