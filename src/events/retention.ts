import type { MonitoringConfig } from '../settings/config';
import type { EventLog, LoggedEvent } from './event-log';

export type RetentionSettings = MonitoringConfig['eventLog']['retention'];

export interface RetentionResult {
  eventsDeleted: number;
  clipsDeleted: number;
  /** Bytes of the clips still stored. */
  clipBytes: number;
}

const DAY_MS = 24 * 60 * 60 * 1000;

/** How often the app applies the retention policy after the one at start, ms. */
export const RETENTION_INTERVAL_MS = 60 * 60 * 1000;

/**
 * Keeps storage bounded: events older than `eventDays` go (with their clip); clips older than `clipDays` go, and
 * then the oldest clips until the rest fit in `clipMegabytes`. The events outlive their clips (eventDays ≥ clipDays
 * is required by the settings): the log still says what happened after its skeleton clip is gone.
 */
export async function applyRetention(log: EventLog, settings: RetentionSettings, now: number): Promise<RetentionResult> {
  const oldestFirst = (await log.list()).reverse();
  const result: RetentionResult = { eventsDeleted: 0, clipsDeleted: 0, clipBytes: 0 };
  const keptClips: LoggedEvent[] = [];
  for (const event of oldestFirst) {
    const age = now - event.wallTime;
    if (age > settings.eventDays * DAY_MS) {
      if (event.clip === 'stored') result.clipsDeleted += 1;
      await log.deleteEvent(event.id);
      result.eventsDeleted += 1;
    } else if (event.clip === 'stored' && age > settings.clipDays * DAY_MS) {
      await log.deleteClip(event.id);
      result.clipsDeleted += 1;
    } else if (event.clip === 'stored') {
      keptClips.push(event);
    }
  }
  const limit = settings.clipMegabytes * 1024 * 1024;
  let total = 0;
  for (const event of keptClips) total += await log.clipBytes(event);
  for (const event of keptClips) {
    if (total <= limit) break;
    total -= await log.clipBytes(event);
    await log.deleteClip(event.id);
    result.clipsDeleted += 1;
  }
  result.clipBytes = total;
  return result;
}
