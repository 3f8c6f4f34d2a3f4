// The decoder's guard for the recording format and MediaPipe's VIDEO mode: frame times must increase.
import { describe, expect, it } from 'vitest';
import { increasingTimes, type DecodedFrame } from '../../../src/capture/video-file-decoder';

describe('increasingTimes', () => {
  it('passes frames whose time increases and closes and counts the others', async () => {
    const closed: number[] = [];
    async function* decoded(): AsyncGenerator<DecodedFrame> {
      for (const t of [0, 33.3, 33.3, 66.7, 50, 100]) yield { t, bitmap: { close: () => closed.push(t) } as unknown as ImageBitmap };
    }
    const dropped = { repeated: 0 };
    const passed: number[] = [];
    for await (const frame of increasingTimes(decoded(), dropped)) passed.push(frame.t);
    expect(passed).toEqual([0, 33.3, 66.7, 100]);
    expect(closed).toEqual([33.3, 50]);
    expect(dropped.repeated).toBe(2);
  });
});
