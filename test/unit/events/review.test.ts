import { describe, expect, it } from 'vitest';
import type { EventClip, LoggedEvent } from '../../../src/events/event-log';
import { clipDurationMs, clipFrameAt, clipToRecording, eventsToCsv, eventsToJson } from '../../../src/events/review';
import { parseRecording } from '../../../src/recording';
import { renderScript, standingPose, steps } from '../../../eval/synthetic';

const event: LoggedEvent = {
  id: '2026-01-05T09-00-03-700Z-fall-1', type: 'fall', t: 3700, wallTime: Date.UTC(2026, 0, 5, 9, 0, 3, 700), personId: 1,
  confidence: 0.8766, signals: { drop: 0.41, state: 'fall_confirmed' }, alert: true, message: 'Fall detected: went "down", fast',
  acknowledgedAt: Date.UTC(2026, 0, 5, 9, 1), recoveredAt: null, clip: 'stored',
};

describe('review exports', () => {
  it('CSV: header, one row per event, ISO times, quoted cells where needed', () => {
    const lines = eventsToCsv([event]).split('\r\n');
    expect(lines[0]).toBe('id,type,time,confidence,personId,alert,acknowledgedAt,recoveredAt,clip,message,signals');
    expect(lines[1]).toBe(
      '2026-01-05T09-00-03-700Z-fall-1,fall,2026-01-05T09:00:03.700Z,0.877,1,true,2026-01-05T09:01:00.000Z,,stored,' +
        '"Fall detected: went ""down"", fast","{""drop"":0.41,""state"":""fall_confirmed""}"',
    );
    expect(lines[2]).toBe('');
  });

  it('JSON keeps every field', () => {
    expect(JSON.parse(eventsToJson([event]))).toEqual({ format: 'skeleton-sentinel-events', version: 1, events: [event] });
  });

  it('a clip exports as a skeleton recording that the recording reader accepts', () => {
    const frames = renderScript(standingPose(), [steps.hold(500)], { fps: 10 });
    const clip: EventClip = { id: event.id, fromT: 0, toT: 500, frames };
    const parsed = parseRecording(clipToRecording(clip, 10));
    expect(parsed.header).toMatchObject({ layout: 'blazepose33', fps: 10, width: 640, height: 480, source: `event:${event.id}` });
    expect(parsed.frames.map((frame) => frame.t)).toEqual(frames.map((frame) => frame.t));
    expect(() => clipToRecording({ ...clip, frames: [] }, 10)).toThrow(/no frames/);
  });
});

describe('clip playback', () => {
  const frames = renderScript(standingPose(), [steps.hold(1000)], { fps: 10, startMs: 5000 });
  const clip: EventClip = { id: 'c', fromT: 5000, toT: 6000, frames };

  it('shows the latest frame at or before the playback position', () => {
    expect(clipDurationMs(clip)).toBe(1000);
    expect(clipFrameAt(clip, 0)!.t).toBe(5000);
    expect(clipFrameAt(clip, 149)!.t).toBe(5100);
    expect(clipFrameAt(clip, 150)!.t).toBe(5100);
    expect(clipFrameAt(clip, 5000)!.t).toBe(6000);
    expect(clipFrameAt(clip, -1)).toBeNull();
  });
});
