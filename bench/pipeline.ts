// Live pipeline benchmark: the built app in headless Chromium with the fake webcam (a moving person), per pose
// model: sustained pipeline FPS, per-stage latency (median, p95) and capture → label latency, against the targets.
//
//   npm run bench [-- --seconds 25 --pose lite,full --model ttr-lite-untrained.json]
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import type { ModelManifest } from '../src/model/manifest';
import { quantile } from '../src/stats';
import type { DebugState } from '../src/ui/view-model';
import { REPO_ROOT, serveApp } from '../scripts/headless/app-server';
import { launchChromium, makeTestClip } from '../scripts/headless/chromium';

interface Options {
  seconds: number;
  warmupSeconds: number;
  poses: string[];
  model: string;
}

function parseArgs(args: readonly string[]): Options {
  const options: Options = { seconds: 25, warmupSeconds: 5, poses: ['lite', 'full'], model: 'ttr-lite-untrained.json' };
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
  fps: number;
  framesDropped: number;
  stages: Record<keyof DebugState['latency'], { median: number | null; p95: number | null; count: number }>;
  backend: string;
}

async function measure(page: Page, url: string, pose: string, options: Options): Promise<RunResult> {
  await page.goto(`${url}?autostart&pose=${pose}&model=${encodeURIComponent(options.model)}`);
  await page.waitForFunction(() => ((window as unknown as { __sentinel: DebugState }).__sentinel?.predictions ?? 0) > 0, null, {
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
  return {
    pose,
    fps: (after.framesProcessed - before.framesProcessed) / elapsed,
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

async function main(): Promise<void> {
  const options = parseArgs(process.argv.slice(2));
  const manifest = (await import(join(REPO_ROOT, 'models', options.model), { with: { type: 'json' } })).default as ModelManifest;
  const strideMs = (manifest.input.stride * 1000) / manifest.input.fps;
  const clip = makeTestClip(join(REPO_ROOT, 'test-results', 'media'), 4);
  const app = await serveApp();
  const browser = await launchChromium({ fakeVideo: clip });
  const results: RunResult[] = [];
  try {
    for (const pose of options.poses) {
      console.log(`measuring pose model "${pose}" with ${options.model}: ${options.warmupSeconds} s warm-up, ${options.seconds} s measured…`);
      const page = await browser.context.newPage();
      results.push(await measure(page, app.url, pose, options));
      await page.close();
    }
  } finally {
    await browser.close();
    await app.close();
  }

  console.log(`\nSkeleton Sentinel live pipeline, headless Chromium, fake webcam 640x480@30, model ${manifest.name} (window ${manifest.input.window}, stride ${manifest.input.stride} = ${strideMs.toFixed(0)} ms)`);
  // Other processes on the machine slow every stage; the load average tells how comparable these numbers are.
  console.log(`machine: ${cpus().length} cores, load average ${loadavg().map((l) => l.toFixed(1)).join(' / ')} (1 / 5 / 15 min)`);
  console.log('pose   backend  fps    dropped | pose stage med/p95 | detect med/p95  | model stage med/p95 | inference med/p95 | capture→label med/p95 (ms)');
  for (const r of results) {
    const s = r.stages;
    console.log(
      `${r.pose.padEnd(6)} ${r.backend.padEnd(8)} ${r.fps.toFixed(1).padStart(5)}  ${String(r.framesDropped).padStart(6)} |` +
        ` ${ms(s.pose.median)} ${ms(s.pose.p95)}    | ${ms(s.detect.median)} ${ms(s.detect.p95)} | ${ms(s.model.median)} ${ms(s.model.p95)}     | ${ms(s.inference.median)} ${ms(s.inference.p95)}   | ${ms(s.endToEnd.median)} ${ms(s.endToEnd.p95)}`,
    );
  }
  console.log('\nTargets:');
  for (const r of results) {
    if (r.pose === 'lite') console.log(`  [lite] ${verdict('pipeline fps', r.fps, 20, true)}`);
    console.log(`  [${r.pose}] ${verdict('model inference ms/window (median, wasm)', r.stages.inference.median, 10, false)}`);
    const labelLatency = r.stages.endToEnd.p95 === null ? null : strideMs + r.stages.endToEnd.p95;
    console.log(`  [${r.pose}] ${verdict('label latency ms (1 stride wait + p95 capture→label)', labelLatency, strideMs + 100, false)}`);
  }
}

main().catch((error: unknown) => {
  console.error(`bench: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
});
