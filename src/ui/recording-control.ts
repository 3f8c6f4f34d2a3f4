// The Record button: while active, every pose frame the pipeline sees goes into a skeleton recording
// (src/ui/recorder.ts); stopping saves it as a download.
import type { PoseFrame } from '../skeleton/types';
import { downloadFile, SkeletonRecorder } from './recorder';
import type { DebugState } from './view-model';

export class RecordingControl {
  private recorder: SkeletonRecorder | null = null;

  /** `onEmpty`: told when a recording stopped before any frame reached it. */
  constructor(
    private readonly button: HTMLButtonElement,
    private readonly debug: DebugState,
    private readonly onEmpty: () => void,
  ) {}

  get active(): boolean {
    return this.recorder !== null;
  }

  toggle(): void {
    if (this.recorder) this.stop();
    else this.start();
  }

  append(frame: PoseFrame): void {
    if (!this.recorder) return;
    this.recorder.append(frame);
    this.debug.recording.frames = this.recorder.frames;
  }

  /** Saves the recording, if one is running. */
  stop(): void {
    const recorder = this.recorder;
    if (!recorder) return;
    this.recorder = null;
    this.debug.recording.active = false;
    this.button.classList.remove('active');
    this.button.textContent = '● Record skeleton';
    const file = recorder.toFile();
    if (file) downloadFile(file);
    else this.onEmpty();
  }

  private start(): void {
    this.recorder = new SkeletonRecorder(this.debug.source ?? 'unknown');
    this.debug.recording = { active: true, frames: 0 };
    this.button.classList.add('active');
    this.button.textContent = '■ Stop recording';
  }
}
