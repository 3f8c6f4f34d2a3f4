import { Observable } from 'rxjs';
import type { VideoFrameSample } from './types';

/**
 * Which time a frame carries: 'wall' (performance.now when presented) for a live camera; 'media' (position in
 * the file) for a video file, so its frames keep their true spacing at any playback rate.
 */
export type FrameClock = 'wall' | 'media';

/**
 * Frames of a playing <video> (webcam stream or file), one per presented video frame, via
 * requestVideoFrameCallback. Completes when the video ends; unsubscribing stops the callbacks.
 */
export function videoFrames(video: HTMLVideoElement, clock: FrameClock = 'wall'): Observable<VideoFrameSample> {
  return new Observable<VideoFrameSample>((subscriber) => {
    let handle = 0;
    const onFrame = (now: DOMHighResTimeStamp, metadata: VideoFrameCallbackMetadata): void => {
      subscriber.next({
        kind: 'video',
        t: clock === 'media' ? metadata.mediaTime * 1000 : now,
        width: metadata.width,
        height: metadata.height,
        grab: () => createImageBitmap(video),
      });
      handle = video.requestVideoFrameCallback(onFrame);
    };
    const onEnded = (): void => subscriber.complete();
    const onError = (): void =>
      subscriber.error(new Error(`video could not be played: ${video.error?.message || `media error ${video.error?.code ?? '?'}`}`));
    video.addEventListener('ended', onEnded);
    video.addEventListener('error', onError);
    handle = video.requestVideoFrameCallback(onFrame);
    return () => {
      video.cancelVideoFrameCallback(handle);
      video.removeEventListener('ended', onEnded);
      video.removeEventListener('error', onError);
    };
  });
}
