import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FileRecordStore } from '../../../electron/event-store';
import type { PoseFrame } from '../../../src/skeleton';
import { ClipRecorder, EventLog } from '../../../src/events/event-log';
import type { MonitoringEvent } from '../../../src/monitoring/monitoring';

const frameAt = (t: number): PoseFrame => ({ t, width: 640, height: 480, people: [] });
const event = (id: string, t: number, wallTime: number): MonitoringEvent => ({
  id, type: 'fall', t, wallTime, personId: 0, confidence: 0.8, signals: { drop: 0.4 }, alert: true, message: 'Fall',
});

describe('ClipRecorder', () => {
  it('cuts 10 s before to 10 s after the event and finalises it only 10 s after', () => {
    const recorder = new ClipRecorder(10_000, 10_000, 25_000);
    const done: ReturnType<ClipRecorder['push']> = [];
    for (let t = 0; t <= 40_000; t += 100) {
      if (t === 20_000) recorder.start('late-report', 15_000); // confirmed 5 s after the fall it reports
      const clips = recorder.push(frameAt(t));
      if (clips.length) expect(t).toBe(25_000);
      done.push(...clips);
    }
    expect(done).toHaveLength(1);
    expect(done[0]!.frames[0]!.t).toBe(5_000);
    expect(done[0]!.frames.at(-1)!.t).toBe(25_000);
    expect(done[0]!.frames).toHaveLength(201);
  });

  it('flush cuts pending clips short (app closing)', () => {
    const recorder = new ClipRecorder(1000, 1000, 3000);
    for (let t = 0; t <= 2000; t += 500) recorder.push(frameAt(t));
    recorder.start('e', 2000);
    expect(recorder.flush().map((clip) => clip.frames.map((frame) => frame.t))).toEqual([[1000, 1500, 2000]]);
    expect(recorder.flush()).toEqual([]);
  });
});

describe('EventLog on the file store', () => {
  it('records an event at once, adds its clip and lifecycle, and lists newest first across a reopen', async () => {
    const root = await mkdtemp(join(tmpdir(), 'sentinel-log-'));
    const log = new EventLog(await FileRecordStore.open(root));
    await log.record(event('a', 1000, 1_700_000_000_000));
    await log.record(event('b', 9000, 1_700_000_008_000));
    await log.saveClip({ id: 'a', fromT: 0, toT: 2000, frames: [frameAt(0), frameAt(1000)] });
    await log.apply({ id: 'a', change: 'acknowledged', wallTime: 1_700_000_001_000 });
    await log.apply({ id: 'a', change: 'recovered', wallTime: 1_700_000_002_000 });

    const reopened = new EventLog(await FileRecordStore.open(root));
    const events = await reopened.list();
    expect(events.map((e) => [e.id, e.clip, e.acknowledgedAt, e.recoveredAt])).toEqual([
      ['b', 'pending', null, null],
      ['a', 'stored', 1_700_000_001_000, 1_700_000_002_000],
    ]);
    expect((await reopened.clip('a'))!.frames.map((frame) => frame.t)).toEqual([0, 1000]);
    expect(await reopened.clip('b')).toBeNull();
    await expect(reopened.apply({ id: 'zzz', change: 'recovered', wallTime: 0 })).rejects.toThrow(/no event "zzz"/);
  });
});
