// A recorded skeleton (.jsonl) as a frame source: its PoseFrames at their recorded times, no pose stage.
import { Observable } from 'rxjs';
import type { PoseSample } from '../capture/types';
import type { PoseFrame } from '../skeleton/types';

export interface LoadedRecording {
  frames: PoseFrame[];
}

export async function readRecordingFile(file: File): Promise<LoadedRecording> {
  const lines = (await file.text()).split('\n').filter((line) => line.trim() !== '');
  const header = JSON.parse(lines[0] ?? '{}') as { format?: string; width?: number; height?: number };
  if (header.format !== 'skeleton-recording') throw new Error(`${file.name} is not a skeleton recording (no header line)`);
  const frames = lines.slice(1).map((line) => {
    const { t, people } = JSON.parse(line) as { t: number; people: PoseFrame['people'] };
    return { t, width: header.width ?? 640, height: header.height ?? 480, people };
  });
  return { frames };
}

/**
 * Emits the frames at their recorded spacing (time-stamped on the performance.now clock, like live frames),
 * then completes.
 */
export function replayFrames(frames: readonly PoseFrame[]): Observable<PoseSample> {
  return new Observable<PoseSample>((subscriber) => {
    let index = 0;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const first = frames[0]?.t ?? 0;
    const startedAt = performance.now();
    const emitDue = (): void => {
      const elapsed = performance.now() - startedAt;
      while (index < frames.length && frames[index]!.t - first <= elapsed) {
        const frame = frames[index++]!;
        const t = startedAt + (frame.t - first);
        subscriber.next({ kind: 'poses', t, frame: { ...frame, t } });
      }
      if (index >= frames.length) return subscriber.complete();
      timer = setTimeout(emitDue, Math.max(0, frames[index]!.t - first - (performance.now() - startedAt)));
    };
    emitDue();
    return () => clearTimeout(timer);
  });
}
