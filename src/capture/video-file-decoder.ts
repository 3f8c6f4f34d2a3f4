/**
 * Every frame of a video file, in presentation order, each with its own media time: the container is demuxed by
 * mediabunny and decoded with WebCodecs, so no frame is skipped or repeated however slow the consumer is.
 * A playing <video> cannot promise that: in Chromium 156, requestVideoFrameCallback missed the first frame and
 * others of H.264 mp4 files at 30 and 14.985 fps, and seeking to a frame's own time showed the previous frame
 * (docs/real-data.md "Frame-exact decoding").
 */
import { ALL_FORMATS, BlobSource, CanvasSink, Input, UnsupportedInputFormatError, type InputVideoTrack } from 'mediabunny';

export interface VideoFileInfo {
  /** Size of the frames as shown (rotation applied): what the landmarks refer to. */
  width: number;
  height: number;
  /** Average frame rate over the whole file (phone videos have variable frame spacing). */
  fps: number;
  /** Frames the container lists; the decoder delivers them all unless the file is damaged. */
  frameCount: number;
  durationMs: number;
  codec: string;
}

export interface DecodedFrame {
  /** Media time of the frame in ms: its presentation time in the file, as a player's clock shows it. */
  t: number;
  /** The frame as an ImageBitmap, owned by the caller (transfer it or close it). */
  bitmap: ImageBitmap;
}

export class VideoFileError extends Error {
  override name = 'VideoFileError';
}

export interface OpenedVideoFile {
  info: VideoFileInfo;
  frames(): AsyncGenerator<DecodedFrame>;
  close(): void;
}

const message = (error: unknown) => (error instanceof Error ? error.message : String(error));

async function videoTrack(input: Input): Promise<InputVideoTrack> {
  let track: InputVideoTrack | null;
  try {
    track = await input.getPrimaryVideoTrack();
  } catch (error) {
    if (error instanceof UnsupportedInputFormatError) throw new VideoFileError('not a video file this browser can read (unknown or damaged container)');
    throw new VideoFileError(`the file could not be read: ${message(error)}`);
  }
  if (!track) throw new VideoFileError('the file has no video track');
  if (!(await track.canDecode())) throw new VideoFileError(`its video codec "${track.codec ?? 'unknown'}" cannot be decoded by this browser`);
  return track;
}

/**
 * Passes on frames whose time increases; the others (a damaged or oddly muxed file) are closed and counted in
 * `dropped`: a recording's `t` and the landmarker's timestamps must increase.
 */
export async function* increasingTimes(frames: AsyncIterable<DecodedFrame>, dropped: { repeated: number }): AsyncGenerator<DecodedFrame> {
  let lastT = -Infinity;
  for await (const frame of frames) {
    if (frame.t > lastT) {
      lastT = frame.t;
      yield frame;
    } else {
      frame.bitmap.close();
      dropped.repeated++;
    }
  }
}

/** Opens `file` and reads what a recording header needs; throws VideoFileError with a reason a person can act on. */
export async function openVideoFile(file: Blob): Promise<OpenedVideoFile> {
  const input = new Input({ formats: ALL_FORMATS, source: new BlobSource(file) });
  try {
    const track = await videoTrack(input);
    const stats = await track.computePacketStats();
    if (stats.packetCount === 0) throw new VideoFileError('the video track has no frames');
    const info: VideoFileInfo = {
      width: track.displayWidth,
      height: track.displayHeight,
      fps: Math.round(stats.averagePacketRate * 1000) / 1000,
      frameCount: stats.packetCount,
      durationMs: (await track.computeDuration()) * 1000,
      codec: track.codec ?? 'unknown',
    };
    // A small pool: each canvas is copied into an ImageBitmap before the next one is drawn.
    const sink = new CanvasSink(track, { poolSize: 2 });
    return {
      info,
      async *frames() {
        try {
          for await (const { canvas, timestamp } of sink.canvases()) {
            yield { t: timestamp * 1000, bitmap: await createImageBitmap(canvas) };
          }
        } catch (error) {
          throw new VideoFileError(`decoding failed: ${message(error)}`);
        }
      },
      close: () => input.dispose(),
    };
  } catch (error) {
    input.dispose();
    throw error instanceof VideoFileError ? error : new VideoFileError(message(error));
  }
}
