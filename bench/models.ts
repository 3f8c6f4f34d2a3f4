/**
 * npm run bench:models [-- --runs 50 --warmup 5 --paper-window 64 --write-readme] [-- CONFIG ...]
 *
 * Latency of every model config (or of the CONFIGs named) at batch 1: exported with fixed random weights by `python -m training.parity`
 * (lite configs at their own size, paper configs at --paper-window frames with their own person count), then
 * timed in onnxruntime-node and onnxruntime-web (wasm) in Node, both on 1 thread, after warm-up. Prints median and
 * p95 (ms) and the ratio of medians to ST-GCN at the same input (lite → stgcn-lite, paper → stgcn-ntu60).
 * Then the streaming model (`python -m training.streaming --fixture`): ms per frame, one call for 1 and for 3
 * people (batch rows), next to the windowed models' ms per window. --write-readme replaces the table between the
 * bench markers in models/README.md.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import * as ortNode from 'onnxruntime-node';
import * as ortWeb from 'onnxruntime-web';
import { quantile } from '../src/stats';

const { values, positionals: configs } = parseArgs({
  options: {
    runs: { type: 'string', default: '50' },
    warmup: { type: 'string', default: '5' },
    'paper-window': { type: 'string', default: '64' },
    'write-readme': { type: 'boolean', default: false },
  },
  allowPositionals: true,
});
const runs = Number(values.runs);
const warmup = Number(values.warmup);
const paperWindow = Number(values['paper-window']);
for (const [name, value] of [['runs', runs], ['warmup', warmup], ['paper-window', paperWindow]] as const) {
  if (!Number.isInteger(value) || value < (name === 'warmup' ? 0 : 1)) throw new Error(`--${name} must be a positive integer, got ${value}`);
}
const LITE_BASELINE = 'stgcn-lite';
const PAPER_BASELINE = 'stgcn-ntu60';
const README = 'models/README.md';
const MARKERS = ['<!-- bench:models:start -->', '<!-- bench:models:end -->'] as const;

interface Fixture {
  name: string;
  family: string;
  variant: string;
  lite: boolean;
  window: number;
  parameters: number;
  onnx: string;
  input: { name: string; shape: number[]; file: string };
}

interface StreamFixture {
  config: string;
  frames: { shape: [number, number, number, number, number] };
  streaming: { onnx: { file: string }; frame: { name: string }; states: { input: string; shape: number[] }[] };
}

interface Result {
  fixture: Fixture;
  node: number[];
  web: number[];
}

async function timeRuns(run: () => Promise<unknown>): Promise<number[]> {
  for (let i = 0; i < warmup; i++) await run();
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    await run();
    times.push(performance.now() - started);
  }
  return times;
}

const dir = mkdtempSync(join(tmpdir(), 'sentinel-bench-models-'));
try {
  console.error(`exporting models to ${dir} (python -m training.parity) ...`);
  const configArgs = configs.length ? ['--configs', ...configs] : [];
  execFileSync('scripts/python.sh', ['-m', 'training.parity', dir, '--paper-window', String(paperWindow), ...configArgs], {
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const fixtures = (JSON.parse(readFileSync(join(dir, 'index.json'), 'utf8')) as { models: Fixture[] }).models;

  ortWeb.env.wasm.numThreads = 1;
  const results: Result[] = [];
  for (const fixture of fixtures) {
    const bytes = readFileSync(join(dir, fixture.onnx));
    const inputBytes = readFileSync(join(dir, fixture.input.file));
    const input = new Float32Array(inputBytes.buffer, inputBytes.byteOffset, inputBytes.byteLength / 4).slice();

    const nodeSession = await ortNode.InferenceSession.create(bytes, { intraOpNumThreads: 1, interOpNumThreads: 1 });
    const nodeInput = new ortNode.Tensor('float32', input, fixture.input.shape);
    const node = await timeRuns(() => nodeSession.run({ [fixture.input.name]: nodeInput }));
    await nodeSession.release();

    const webSession = await ortWeb.InferenceSession.create(bytes, { executionProviders: ['wasm'] });
    const webInput = new ortWeb.Tensor('float32', input, fixture.input.shape);
    const web = await timeRuns(() => webSession.run({ [fixture.input.name]: webInput }));
    await webSession.release();

    results.push({ fixture, node, web });
    console.error(`${fixture.name}: node ${quantile(node, 0.5)!.toFixed(2)} ms, web ${quantile(web, 0.5)!.toFixed(2)} ms`);
  }

  const streamDir = join(dir, 'streaming');
  execFileSync('scripts/python.sh', ['-m', 'training.streaming', '--fixture', streamDir], { stdio: ['ignore', 'ignore', 'inherit'] });
  const stream = JSON.parse(readFileSync(join(streamDir, 'index.json'), 'utf8')) as StreamFixture;
  const streamBytes = readFileSync(join(streamDir, stream.streaming.onnx.file));
  const streamRows: string[] = [];
  for (const people of [1, 3]) {
    const [, channels, , joints] = stream.frames.shape;
    const feeds = <T>(tensor: (data: Float32Array, dims: number[]) => T): Record<string, T> => ({
      [stream.streaming.frame.name]: tensor(new Float32Array(people * channels * joints).fill(0.1), [people, channels, joints]),
      ...Object.fromEntries(stream.streaming.states.map((state) => [state.input, tensor(new Float32Array(people * state.shape.slice(1).reduce((a, b) => a * b, 1)), [people, ...state.shape.slice(1)])])),
    });
    const nodeSession = await ortNode.InferenceSession.create(streamBytes, { intraOpNumThreads: 1, interOpNumThreads: 1 });
    const nodeFeeds = feeds((data, dims) => new ortNode.Tensor('float32', data, dims));
    const node = await timeRuns(() => nodeSession.run(nodeFeeds));
    await nodeSession.release();
    const webSession = await ortWeb.InferenceSession.create(streamBytes, { executionProviders: ['wasm'] });
    const webFeeds = feeds((data, dims) => new ortWeb.Tensor('float32', data, dims));
    const web = await timeRuns(() => webSession.run(webFeeds));
    await webSession.release();
    const q = (values: number[], p: number) => quantile(values, p)!.toFixed(2);
    console.error(`${stream.config} streaming, ${people} people per call: node ${q(node, 0.5)} ms, web ${q(web, 0.5)} ms`);
    streamRows.push(`| ${stream.config} (streaming, ${people} ${people === 1 ? 'person' : 'people'} per call) | ms per frame | ${people}×${channels}×1×${joints} | ${q(node, 0.5)} | ${q(node, 0.95)} | ${q(web, 0.5)} | ${q(web, 0.95)} | ${(quantile(web, 0.5)! / people).toFixed(2)} |`);
  }

  const baseline = (lite: boolean) => results.find((r) => r.fixture.name === (lite ? LITE_BASELINE : PAPER_BASELINE));
  const ratio = (result: Result, runtime: 'node' | 'web') => {
    const base = baseline(result.fixture.lite);
    return base ? (quantile(result[runtime], 0.5)! / quantile(base[runtime], 0.5)!).toFixed(2) : 'n/a';
  };
  const rows = [...results]
    .sort((a, b) => Number(b.fixture.lite) - Number(a.fixture.lite) || a.fixture.name.localeCompare(b.fixture.name))
    .map((r) => {
      const [, c, t, v, m] = r.fixture.input.shape;
      return `| ${r.fixture.name} | ${r.fixture.family} ${r.fixture.variant} | ${c}×${t}×${v}×${m} | ${r.fixture.parameters.toLocaleString('en')} | ` +
        `${quantile(r.node, 0.5)!.toFixed(2)} | ${quantile(r.node, 0.95)!.toFixed(2)} | ${ratio(r, 'node')} | ` +
        `${quantile(r.web, 0.5)!.toFixed(2)} | ${quantile(r.web, 0.95)!.toFixed(2)} | ${ratio(r, 'web')} |`;
    });
  const command = `npm run bench:models -- --runs ${runs} --warmup ${warmup} --paper-window ${paperWindow}`;
  const machine = `${cpus().length}× ${cpus()[0]?.model.trim() ?? 'unknown CPU'}, Node ${process.version}, ` +
    `onnxruntime-node ${ortNode.env.versions.node ?? '?'} / onnxruntime-web ${ortWeb.env.versions.web} (wasm), 1 thread each`;
  const table = [
    `Command: \`${command}\` (${new Date().toISOString().slice(0, 10)}). Machine: ${machine}.`,
    `Batch 1, ${warmup} warm-up runs then ${runs} timed runs per runtime; ratio = median / median of ST-GCN at the same input ` +
      `(lite: ${LITE_BASELINE}, paper: ${PAPER_BASELINE}). Paper configs at T=${paperWindow}.`,
    '',
    '| model | family | input C×T×V×M | parameters | node median ms | node p95 ms | node ×ST-GCN | wasm median ms | wasm p95 ms | wasm ×ST-GCN |',
    '|---|---|---|---:|---:|---:|---:|---:|---:|---:|',
    ...rows,
    '',
    `Streaming (training/streaming.py, ${stream.config} with random weights): one call = one new frame for every person in it, ` +
      `states in and out; ${warmup} warm-up then ${runs} timed calls. A windowed model at a label every frame costs its ms per window per person per frame.`,
    '',
    '| model | unit | input | node median ms | node p95 ms | wasm median ms | wasm p95 ms | wasm ms per person-frame |',
    '|---|---|---|---:|---:|---:|---:|---:|',
    ...streamRows,
  ].join('\n');
  console.log(table);

  if (values['write-readme']) {
    const readme = readFileSync(README, 'utf8');
    const start = readme.indexOf(MARKERS[0]);
    const end = readme.indexOf(MARKERS[1]);
    if (start < 0 || end < start) throw new Error(`${README} lacks the markers ${MARKERS.join(' … ')}`);
    writeFileSync(README, `${readme.slice(0, start + MARKERS[0].length)}\n${table}\n${readme.slice(end)}`);
    console.error(`table written to ${README}`);
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
