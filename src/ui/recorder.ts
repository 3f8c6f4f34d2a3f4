// The Record button: a skeleton recording (JSON Lines, docs/recording-format.md, written by core's
// RecordingWriter) of exactly the pose frames the pipeline saw, saved as a file download. Never video.
import { RecordingWriter } from '../recording/format';
import type { PoseFrame } from '../skeleton/types';

/** Nominal rate written to the header; informative only, the frames' own `t` are authoritative. */
const NOMINAL_FPS = 30;

export class SkeletonRecorder {
  private readonly chunks: string[] = [];
  private writer: RecordingWriter | null = null;
  private origin = 0;

  constructor(private readonly source: string) {}

  get frames(): number {
    return this.writer?.frames ?? 0;
  }

  append(frame: PoseFrame): void {
    if (!this.writer) {
      // The header needs the frame size, known from the first frame; times start at 0 for a readable file.
      this.origin = frame.t;
      const header = { format: 'skeleton-recording', version: 1, layout: 'blazepose33', fps: NOMINAL_FPS, width: frame.width, height: frame.height, source: this.source } as const;
      this.writer = new RecordingWriter((text) => this.chunks.push(text), header);
    }
    this.writer.append({ t: frame.t - this.origin, people: frame.people });
  }

  /** The recording as a JSONL file; null when no frame was recorded. */
  toFile(): File | null {
    if (!this.writer) return null;
    const stamp = new Date().toISOString().replaceAll(':', '-').slice(0, 19);
    return new File(this.chunks, `skeleton-${stamp}.jsonl`, { type: 'application/jsonl' });
  }
}

export function downloadFile(file: File): void {
  const url = URL.createObjectURL(file);
  const link = document.createElement('a');
  link.href = url;
  link.download = file.name;
  link.click();
  // The download has started from the object URL by now; keep it a little longer for slow disks.
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
