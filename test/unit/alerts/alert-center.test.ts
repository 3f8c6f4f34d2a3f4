import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FileRecordStore } from '../../../electron/event-store';
import { AlertCenter } from '../../../src/alerts/alert-center';
import { CarerOutbox, type CarerNotification } from '../../../src/alerts/carer-outbox';
import { resolveMonitoringConfig } from '../../../src/settings/config';
import type { MonitoringEvent } from '../../../src/monitoring/monitoring';
import { steps as s } from '../../../eval/synthetic';
import { render, track } from '../helpers/scenarios';

describe('AlertCenter (monitors → event log, clips, carer outbox, acknowledgement)', () => {
  it('a fall: one active alert, the event logged with a 10 s + 10 s skeleton clip, the carer notified; acknowledge clears it', async () => {
    const store = await FileRecordStore.open(await mkdtemp(join(tmpdir(), 'sentinel-center-')));
    const config = resolveMonitoringConfig({ alerts: { carer: { enabled: true, url: 'http://192.168.1.20/alarm' } } });
    const delivered: CarerNotification[] = [];
    const errors: string[] = [];
    const outbox = new CarerOutbox(store, async (notification) => void delivered.push(notification), config.alerts.carer.retry, (m) => errors.push(m));
    const frames = render([s.hold(12000), s.fallForward(), s.lie(12000)], 90);
    const tracked = track(frames);
    let clock = Date.UTC(2026, 0, 5, 9, 0);
    const center = new AlertCenter({ config, store, model: null, sound: null, notifier: null, outbox, onError: (m) => errors.push(m), now: () => clock });
    const active: Array<readonly MonitoringEvent[]> = [];
    center.active$.subscribe((list) => active.push(list));
    frames.forEach((frame, index) => {
      clock = Date.UTC(2026, 0, 5, 9, 0) + frame.t;
      center.frame(frame, tracked[index]!);
    });
    await center.settled();

    const [fall] = active.at(-1)!;
    expect(active.at(-1)).toHaveLength(1);
    expect(fall!.type).toBe('fall');
    const [logged] = await center.eventLog.list();
    expect(logged).toMatchObject({ id: fall!.id, type: 'fall', clip: 'stored', acknowledgedAt: null });
    const clip = (await center.eventLog.clip(fall!.id))!;
    expect(clip.frames[0]!.t).toBeGreaterThanOrEqual(fall!.t - 10_000);
    expect(clip.frames[0]!.t).toBeLessThan(fall!.t - 9_900);
    expect(clip.frames.at(-1)!.t).toBeGreaterThan(fall!.t + 9_900);
    expect(clip.frames[0]!.people[0]!.landmarks).toHaveLength(33);

    center.acknowledge(fall!.id);
    await center.settled();
    expect(active.at(-1)).toEqual([]);
    expect((await center.eventLog.list())[0]!.acknowledgedAt).toBe(clock);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(delivered.map((notification) => notification.id)).toEqual([fall!.id]);
    expect(errors).toEqual([]);
    await center.close();
  });

  it('going down fast and straight back up is logged as a near fall and raises no alert', async () => {
    const store = await FileRecordStore.open(await mkdtemp(join(tmpdir(), 'sentinel-center-')));
    const config = resolveMonitoringConfig();
    const center = new AlertCenter({ config, store, model: null, sound: null, notifier: null, outbox: null, onError: () => {} });
    const frames = render([s.hold(3000), s.fallForward(), s.getUp(4), s.hold(12000)], 90);
    const tracked = track(frames);
    const active: number[] = [];
    center.active$.subscribe((list) => active.push(list.length));
    frames.forEach((frame, index) => center.frame(frame, tracked[index]!));
    await center.close();
    expect(active.every((count) => count === 0)).toBe(true);
    const events = await center.eventLog.list();
    expect(events.map((event) => [event.type, event.alert])).toEqual([['near_fall', false]]);
  });
});
