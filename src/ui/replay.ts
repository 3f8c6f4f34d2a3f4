// A recorded skeleton (.jsonl) as a frame source: its PoseFrames at their recorded times, no pose stage.
import { Observable } from 'rxjs';
import type { PoseSample } from '../capture/types';
import { parseRecording, type ParsedRecording } from '../recording/format';
import type { PoseFrame } from '../skeleton/types';

/** Reads a recording chosen in the file picker; damaged lines are skipped and counted, never fatal. */
export async function readRecordingFile(file: File): Promise<ParsedRecording> {
  const recording = parseRecording(await file.text(), { tolerant: true, source: file.name });
  if (recording.header.layout !== 'blazepose33') {
    throw new Error(`${file.name}: the app replays BlazePose recordings, this one has layout "${recording.header.layout}"`);
  }
  return recording;
}

/**
 * Emits the frames at their recorded spacing, time-stamped on the performance.now clock like live frames, then
 * completes. `now` and the scheduler are injectable for tests.
 */
export function replayFrames(
  frames: readonly PoseFrame[],
  now: () => number = () => performance.now(),
  schedule: (run: () => void, ms: number) => () => void = (run, ms) => {
    const timer = setTimeout(run, ms);
    return () => clearTimeout(timer);
  },
): Observable<PoseSample> {
  return new Observable<PoseSample>((subscriber) => {
    let index = 0;
    let cancel = (): void => undefined;
    const first = frames[0]?.t ?? 0;
    const startedAt = now();
    const emitDue = (): void => {
      const elapsed = now() - startedAt;
      while (index < frames.length && frames[index]!.t - first <= elapsed) {
        const frame = frames[index++]!;
        const t = startedAt + (frame.t - first);
        subscriber.next({ kind: 'poses', t, frame: { ...frame, t } });
      }
      if (index >= frames.length) return subscriber.complete();
      cancel = schedule(emitDue, frames[index]!.t - first - elapsed);
    };
    emitDue();
    return () => cancel();
  });
}
