import { describe, expect, it } from 'vitest';
import { ALARM_PATTERN, AlarmSound } from '../../../src/alerts/alarm-sound';

/** Just enough of an AudioContext to see which nodes the alarm makes and whether it lets go of them. */
class RecordingContext extends EventTarget {
  currentTime = 0;
  readonly destination = { connected: 0 };
  readonly oscillators: Array<EventTarget & { disconnected: boolean }> = [];
  readonly gains: Array<{ disconnected: boolean; into: unknown }> = [];
  resume = async () => {};
  createOscillator() {
    const node = Object.assign(new EventTarget(), {
      type: '', frequency: { value: 0 }, disconnected: false,
      connect: (gain: unknown) => gain,
      disconnect() { node.disconnected = true; },
      start() {}, stop() {},
    });
    this.oscillators.push(node);
    return node;
  }
  createGain() {
    const node = {
      gain: { setValueAtTime() {}, linearRampToValueAtTime() {} },
      disconnected: false, into: null as unknown,
      connect: (to: unknown) => ((node.into = to), to),
      disconnect() { node.disconnected = true; },
    };
    this.gains.push(node);
    return node;
  }
}

describe('alarm sound', () => {
  it('disconnects every beep once it has played, so a long alarm does not pile up audio nodes', () => {
    const context = new RecordingContext();
    const sound = new AlarmSound(0.5, () => context as unknown as AudioContext);
    sound.start();
    sound.stop();
    expect(context.oscillators).toHaveLength(ALARM_PATTERN.length);
    expect(context.gains.every((gain) => gain.into === context.destination && !gain.disconnected)).toBe(true);
    for (const oscillator of context.oscillators) oscillator.dispatchEvent(new Event('ended'));
    expect(context.oscillators.every((node) => node.disconnected)).toBe(true);
    expect(context.gains.every((node) => node.disconnected)).toBe(true);
  });
});
