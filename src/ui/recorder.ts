// The Record button: a skeleton recording (JSON Lines, docs/recording-format.md) of exactly the pose frames the
// pipeline saw, saved as a file download. Never video.
import type { PoseFrame } from '../skeleton/types';

export class SkeletonRecorder {
  private readonly lines: string[] = [];
  private header: string | null = null;

  constructor(private readonly source: string) {}

  get frames(): number {
    return this.lines.length;
  }

  append(frame: PoseFrame): void {
    this.header ??= JSON.stringify({
      format: 'skeleton-recording',
      version: 1,
      layout: 'blazepose33',
      fps: 30,
      width: frame.width,
      height: frame.height,
      source: this.source,
    });
    this.lines.push(JSON.stringify({ t: frame.t, people: frame.people }));
  }

  download(): void {
    const text = [this.header, ...this.lines].filter((line) => line !== null).join('\n') + '\n';
    const url = URL.createObjectURL(new Blob([text], { type: 'application/jsonl' }));
    const link = document.createElement('a');
    link.href = url;
    link.download = `skeleton-${new Date().toISOString().replaceAll(':', '-').slice(0, 19)}.jsonl`;
    link.click();
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
  }
}
