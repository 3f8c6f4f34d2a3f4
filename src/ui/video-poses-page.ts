// Headless page of `npm run poses` and of videos given to `npm run classify` (driven by cli/video-poses.ts): every
// frame of each video file through the live app's pose worker, with the live app's pose settings.
import { increasingTimes, openVideoFile, type OpenedVideoFile } from '../capture/video-file-decoder';
import { startPoseEstimator, type PoseEstimator } from '../pose/pose-estimator';
import { MAX_POSES, type PoseModelName } from '../pose/protocol';
import { FILE_INPUT_ID, FRAME_BINDING, PAGE_API, type ConvertResult, type FramePoses, type ProbeResult, type VideoPosesPage } from './video-poses-protocol';

const message = (error: unknown) => (error instanceof Error ? error.message : String(error));

function file(index: number): File {
  const input = document.getElementById(FILE_INPUT_ID) as HTMLInputElement;
  const chosen = input.files?.[index];
  if (!chosen) throw new Error(`no file ${index} in the file input`);
  return chosen;
}

function deliver(frame: FramePoses): Promise<void> {
  return (window as unknown as Record<string, (frame: FramePoses) => Promise<void>>)[FRAME_BINDING]!(frame);
}

async function probe(index: number): Promise<ProbeResult> {
  try {
    const video = await openVideoFile(file(index));
    video.close();
    return { ok: true, info: video.info };
  } catch (error) {
    return { ok: false, message: message(error) };
  }
}

type Counts = Pick<Extract<ConvertResult, { ok: true }>, 'frames' | 'repeatedTimestamps' | 'meanPoseMs'>;

async function posesOfEveryFrame(video: OpenedVideoFile, estimator: PoseEstimator): Promise<Counts> {
  let frames = 0;
  let poseMs = 0;
  const dropped = { repeated: 0 };
  let delivered = Promise.resolve();
  for await (const { t, bitmap } of increasingTimes(video.frames(), dropped)) {
    const estimate = await estimator.estimate(bitmap, t);
    const { frame } = estimate;
    poseMs += estimate.poseMs;
    // Node writes frame n while the worker estimates frame n+1; awaiting first keeps them in order.
    await delivered;
    delivered = deliver({ t: frame.t, people: frame.people });
    frames++;
  }
  await delivered;
  return { frames, repeatedTimestamps: dropped.repeated, meanPoseMs: frames ? poseMs / frames : 0 };
}

async function convert(index: number, model: PoseModelName): Promise<ConvertResult> {
  let video: OpenedVideoFile;
  try {
    video = await openVideoFile(file(index));
  } catch (error) {
    return { ok: false, message: message(error) };
  }
  let estimator: PoseEstimator | null = null;
  try {
    // One landmarker per video: VIDEO mode carries tracking state from frame to frame.
    const started = await startPoseEstimator({ model, delegate: 'auto', numPoses: MAX_POSES, assetBaseUrl: document.baseURI });
    estimator = started.estimator;
    const delegate = `${estimator.options.delegate} (${started.delegateReason})`;
    return { ok: true, ...(await posesOfEveryFrame(video, estimator)), delegate };
  } catch (error) {
    // Also a pose stage that cannot start (its model missing: the message says "npm run setup"): every file then says so.
    return { ok: false, message: message(error) };
  } finally {
    estimator?.close();
    video.close();
  }
}

const api: VideoPosesPage = { probe, convert };
Object.assign(window, { [PAGE_API]: api });
