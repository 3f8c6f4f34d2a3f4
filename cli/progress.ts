/**
 * Progress of a batch of videos on stderr: one bar line redrawn in place on a terminal, a plain line every
 * `plainIntervalMs` otherwise (a log file or CI gets a readable history instead of carriage returns).
 */

export interface BatchProgress {
  /** 1-based position of the current video in the batch, and the batch size. */
  video: number;
  videos: number;
  name: string;
  frames: number;
  /** Frames the current video's container lists. */
  videoFrames: number;
  /** Frames done before the current video, and listed in the whole batch (current video included). */
  framesBefore: number;
  batchFrames: number;
  /** When the current video and the batch started (ms, the reporter's clock). */
  videoStartedAt: number;
  batchStartedAt: number;
}

export interface ProgressStream {
  isTTY?: boolean;
  columns?: number;
  write(text: string): unknown;
}

/** "2 min 06 s", "4 s", "1 h 02 min". */
export function formatDuration(ms: number): string {
  const seconds = Math.max(0, Math.round(ms / 1000));
  if (seconds < 60) return `${seconds} s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes} min ${String(seconds % 60).padStart(2, '0')} s`;
  return `${Math.floor(minutes / 60)} h ${String(minutes % 60).padStart(2, '0')} min`;
}

const rate = (frames: number, ms: number) => (ms > 0 ? (frames * 1000) / ms : 0);
const eta = (left: number, perSecond: number) => (perSecond > 0 ? formatDuration((left / perSecond) * 1000) : '?');

/** The numbers of one progress report: current video (frames, fps, ETA) and the whole batch (frames, ETA). */
export function progressParts(p: BatchProgress, now: number): { video: string; batch: string } {
  const videoFps = rate(p.frames, now - p.videoStartedAt);
  const batchDone = p.framesBefore + p.frames;
  const batchFps = rate(batchDone, now - p.batchStartedAt);
  return {
    video: `${p.frames}/${p.videoFrames} frames, ${videoFps.toFixed(1)} fps, ETA ${eta(p.videoFrames - p.frames, videoFps)}`,
    batch: `all ${batchDone}/${p.batchFrames} frames, ETA ${eta(p.batchFrames - batchDone, batchFps)}`,
  };
}

function bar(fraction: number, width: number): string {
  const filled = Math.round(Math.min(1, Math.max(0, fraction)) * width);
  return `${'█'.repeat(filled)}${'░'.repeat(width - filled)}`;
}

export class ProgressReporter {
  private shown = false;
  private lastDrawAt = -Infinity;

  constructor(
    private readonly stream: ProgressStream,
    private readonly clock: () => number = () => performance.now(),
    private readonly plainIntervalMs = 10_000,
  ) {}

  now(): number {
    return this.clock();
  }

  /** Call on every frame; draws at most 10 times a second on a terminal, every plainIntervalMs otherwise. */
  update(p: BatchProgress): void {
    const now = this.clock();
    const { video, batch } = progressParts(p, now);
    const head = `[${p.video}/${p.videos}] ${p.name}`;
    if (this.stream.isTTY) {
      if (now - this.lastDrawAt < 100) return;
      const line = `${head} ${bar(p.frames / Math.max(1, p.videoFrames), 20)} ${video} | ${batch}`;
      this.stream.write(`\r${line.slice(0, Math.max(20, (this.stream.columns ?? 120) - 1))}\x1b[K`);
      this.shown = true;
    } else {
      if (now - this.lastDrawAt < this.plainIntervalMs) return;
      this.stream.write(`progress ${head}: ${video}; ${batch}\n`);
    }
    this.lastDrawAt = now;
  }

  /** Writes a whole line (to `to`, default the progress stream) without tearing the bar; the bar is redrawn on the next update. */
  line(text: string, to: ProgressStream = this.stream): void {
    this.clear();
    to.write(`${text}\n`);
  }

  /** Removes the bar (before the summary, or another program's output). */
  clear(): void {
    if (!this.shown) return;
    this.stream.write('\r\x1b[K');
    this.shown = false;
    this.lastDrawAt = -Infinity;
  }
}
