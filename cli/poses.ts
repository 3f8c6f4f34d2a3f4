/**
 * npm run poses -- VIDEO|FOLDER... --out DIR [--pose lite|full|heavy] [--force]
 *
 * Runs the live app's pose stage over every frame of each video and writes one skeleton recording per video
 * (docs/recording-format.md) under DIR, keeping the videos' folders relative to their common folder. Finished
 * recordings are skipped (--force redoes them); a bad file gets a one-line message and the batch goes on.
 * docs/real-data.md.
 */
import { closeSync, fsyncSync, mkdirSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { dirname, relative } from 'node:path';
import { pathToFileURL } from 'node:url';
import { DEFAULT_POSE_MODEL, POSE_MODELS, type PoseModelName } from '../src/pose/protocol';
import type { VideoFileInfo } from '../src/capture/video-file-decoder';
import { readCommandLine } from './command-line';
import { formatDuration, ProgressReporter, type ProgressStream } from './progress';
import { isFinishedRecording, planBatch, type BatchVideo } from './video-batch';
import { VideoPoseSession, writeVideoRecording, type VideoPoseResult } from './video-poses';

const USAGE = `usage: npm run poses -- VIDEO|FOLDER... --out DIR [--pose ${POSE_MODELS.join('|')}] [--force]
  VIDEO|FOLDER  video files, or folders searched recursively for them
  --out DIR     recordings go to DIR/PATH.jsonl, PATH relative to the inputs' common folder
  --pose        pose model (default ${DEFAULT_POSE_MODEL}, as in the live app)
  --force       redo videos whose recording already exists`;

export interface PosesOutput {
  out: ProgressStream;
  err: ProgressStream;
  clock?: () => number;
}

interface Job {
  video: BatchVideo;
  index: number;
  info: VideoFileInfo;
}

function resultLine(job: Job, result: VideoPoseResult, ms: number, outDir: string): string {
  const { frames, framesWithPerson, meanVisibility, info } = result;
  const person = `${framesWithPerson} with a person (${Math.round((100 * framesWithPerson) / frames)} %)`;
  const visibility = meanVisibility === null ? 'no landmarks' : `mean visibility ${meanVisibility.toFixed(2)}`;
  const missing = frames < info.frameCount ? `, ${info.frameCount - frames} of the ${info.frameCount} listed frames not decoded` : '';
  const repeated = result.repeatedTimestamps ? `, ${result.repeatedTimestamps} frames with a repeated time dropped` : '';
  return (
    `done     ${job.video.name} → ${relative(outDir, job.video.output)}: ${frames} frames${missing}${repeated}, ${person}, ${visibility}, ` +
    `${info.width}x${info.height} ${info.fps} fps, ${formatDuration(ms)} (${((frames * 1000) / ms).toFixed(1)} fps; pose ${result.meanPoseMs.toFixed(0)} ms/frame, ${result.delegate})`
  );
}

/** Writes to VIDEO.jsonl.partial and renames it when complete, so an existing VIDEO.jsonl is always whole. */
async function convertOne(session: VideoPoseSession, job: Job, pose: PoseModelName, onFrame: (frames: number) => void): Promise<VideoPoseResult> {
  mkdirSync(dirname(job.video.output), { recursive: true });
  const partial = `${job.video.output}.partial`;
  const fd = openSync(partial, 'w');
  let closed = false;
  try {
    const result = await writeVideoRecording(session, job.index, job.video.name, { pose, info: job.info, write: (text) => void writeSync(fd, text), onFrame });
    fsyncSync(fd);
    closeSync(fd);
    closed = true;
    renameSync(partial, job.video.output);
    return result;
  } finally {
    if (!closed) {
      closeSync(fd);
      rmSync(partial, { force: true });
    }
  }
}

/** Runs the command; returns the exit code (0: every video has its recording, 1: some failed, 2: usage). */
export async function main(argv: string[], output: PosesOutput): Promise<number> {
  const lines = { out: (line: string) => output.out.write(`${line}\n`), err: (line: string) => output.err.write(`${line}\n`) };
  const args = readCommandLine(argv, { out: { type: 'string' }, pose: { type: 'string', default: DEFAULT_POSE_MODEL }, force: { type: 'boolean', default: false } }, USAGE, lines);
  if (typeof args === 'number') return args;
  const { values, positionals } = args;
  const usageError = !positionals.length
    ? 'no video or folder given'
    : !values.out
      ? '--out DIR is required'
      : !(POSE_MODELS as readonly string[]).includes(values.pose)
        ? `--pose must be one of ${POSE_MODELS.join(', ')}, got "${values.pose}"`
        : null;
  if (usageError) {
    lines.err(`${usageError}\n${USAGE}`);
    return 2;
  }
  const outDir = values.out!;
  const pose = values.pose as PoseModelName;
  const progress = new ProgressReporter(output.err, output.clock);
  const plan = await planBatch(positionals, outDir);
  const failed: string[] = [...plan.problems];
  for (const problem of plan.problems) progress.line(`FAILED   ${problem}`);
  const todo: BatchVideo[] = [];
  let skipped = 0;
  for (const video of plan.videos) {
    if (!values.force && (await isFinishedRecording(video.output))) {
      skipped++;
      progress.line(`skipped  ${video.name}: already done (${video.output}; --force redoes it)`, output.out);
    } else {
      todo.push(video);
    }
  }
  let converted = 0;
  let framesDone = 0;
  /** Damaged files whose decodable part was converted. */
  const incomplete: string[] = [];
  const startedAt = progress.now();
  if (todo.length) {
    let session: VideoPoseSession;
    try {
      session = await VideoPoseSession.open();
    } catch (error) {
      progress.line(`error: the headless browser could not start: ${(error as Error).message}`);
      return 1;
    }
    try {
      await session.setFiles(todo.map((video) => video.path));
      const jobs: Job[] = [];
      for (const [index, video] of todo.entries()) {
        const probed = await session.probe(index);
        if (probed.ok) jobs.push({ video, index, info: probed.info });
        else {
          failed.push(`${video.name}: ${probed.message}`);
          progress.line(`FAILED   ${video.name}: ${probed.message}`);
        }
      }
      const batchFrames = jobs.reduce((sum, job) => sum + job.info.frameCount, 0);
      for (const [position, job] of jobs.entries()) {
        const videoStartedAt = progress.now();
        const base = { video: position + 1, videos: jobs.length, name: job.video.name, videoFrames: job.info.frameCount, framesBefore: framesDone, batchFrames, videoStartedAt, batchStartedAt: startedAt };
        // The video's rate is measured from its first frame: the landmarker's start-up is not per frame.
        let firstFrameAt = videoStartedAt;
        const onFrame = (done: number) => {
          if (done === 1) firstFrameAt = progress.now();
          progress.update({ ...base, frames: done, videoStartedAt: firstFrameAt });
        };
        try {
          const result = await convertOne(session, job, pose, onFrame);
          converted++;
          framesDone += result.frames;
          if (result.frames < job.info.frameCount) incomplete.push(`${job.video.name}: ${result.frames} of ${job.info.frameCount} frames decoded`);
          progress.line(resultLine(job, result, progress.now() - videoStartedAt, outDir), output.out);
        } catch (error) {
          framesDone += job.info.frameCount; // keeps the batch ETA honest
          failed.push(`${job.video.name}: ${(error as Error).message}`);
          progress.line(`FAILED   ${job.video.name}: ${(error as Error).message}`);
        }
      }
    } finally {
      progress.clear();
      await session.close();
    }
  }
  const total = plan.videos.length + plan.problems.length;
  const time = todo.length ? ` in ${formatDuration(progress.now() - startedAt)}` : '';
  progress.line(`${total} inputs: ${converted} converted, ${skipped} already done, ${failed.length} failed${time}`, output.out);
  for (const failure of failed) progress.line(`  failed: ${failure}`);
  for (const damaged of incomplete) progress.line(`  incomplete (damaged file?): ${damaged}`);
  return failed.length ? 1 : 0;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  process.exitCode = await main(process.argv.slice(2), { out: process.stdout, err: process.stderr });
}
