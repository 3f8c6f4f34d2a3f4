import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FileRecordStore } from '../../../electron/event-store';
import { resolveMonitoringConfig } from '../../../src/settings/config';
import { EventLog, type EventClip } from '../../../src/events/event-log';
import type { MonitoringEvent } from '../../../src/monitoring/monitoring';
import { applyRetention } from '../../../src/events/retention';

const DAY = 24 * 60 * 60 * 1000;
const NOW = Date.UTC(2026, 6, 1);

function event(id: string, daysAgo: number): MonitoringEvent {
  return { id, type: 'fall', t: 0, wallTime: NOW - daysAgo * DAY, personId: 0, confidence: 0.9, signals: {}, alert: true, message: 'Fall' };
}

/** A clip of about `kilobytes` KB of JSON. */
function clip(id: string, kilobytes: number): EventClip {
  const frame = { t: 0, width: 640, height: 480, people: [{ landmarks: [], padding: 'x'.repeat(1000) }] };
  return { id, fromT: 0, toT: 1, frames: Array.from({ length: kilobytes }, () => frame) } as unknown as EventClip;
}

async function logWith(events: Array<[id: string, daysAgo: number, clipKilobytes: number]>): Promise<EventLog> {
  const log = new EventLog(await FileRecordStore.open(await mkdtemp(join(tmpdir(), 'sentinel-retention-'))));
  for (const [id, daysAgo, kilobytes] of events) {
    await log.record(event(id, daysAgo));
    await log.saveClip(clip(id, kilobytes));
  }
  return log;
}

const state = async (log: EventLog) => Object.fromEntries((await log.list()).map((e) => [e.id, e.clip]));

describe('event log retention', () => {
  it('deletes clips past clipDays but keeps their events until eventDays; older events go with their clip', async () => {
    const log = await logWith([['old', 400, 1], ['month', 40, 1], ['new', 1, 1]]);
    const result = await applyRetention(log, { eventDays: 365, clipDays: 30, clipMegabytes: 500 }, NOW);
    expect(result).toMatchObject({ eventsDeleted: 1, clipsDeleted: 2 });
    expect(await state(log)).toEqual({ month: 'deleted', new: 'stored' });
    expect(await log.clip('month')).toBeNull();
    expect(await log.clip('old')).toBeNull();
    expect(await log.clip('new')).not.toBeNull();
  });

  it('over the size limit, deletes the oldest clips first until the rest fit', async () => {
    const log = await logWith([['a', 5, 400], ['b', 4, 400], ['c', 3, 400], ['d', 2, 400]]);
    const result = await applyRetention(log, { eventDays: 365, clipDays: 30, clipMegabytes: 1 }, NOW);
    expect(await state(log)).toEqual({ a: 'deleted', b: 'deleted', c: 'stored', d: 'stored' });
    expect(result.clipsDeleted).toBe(2);
    expect(result.clipBytes).toBeLessThanOrEqual(1024 * 1024);
    expect(result.clipBytes).toBeGreaterThan(700 * 1024);
    // Applying it again changes nothing.
    expect(await applyRetention(log, { eventDays: 365, clipDays: 30, clipMegabytes: 1 }, NOW)).toMatchObject({ eventsDeleted: 0, clipsDeleted: 0 });
  });

  it('settings: events must outlive clips, limits must be positive', () => {
    expect(resolveMonitoringConfig().eventLog.retention).toEqual({ eventDays: 365, clipDays: 30, clipMegabytes: 500 });
    expect(() => resolveMonitoringConfig({ eventLog: { retention: { eventDays: 7, clipDays: 30 } } })).toThrow(/eventDays ≥ clipDays/);
    expect(() => resolveMonitoringConfig({ eventLog: { retention: { clipMegabytes: 0 } } })).toThrow(/clipMegabytes > 0/);
  });
});
