import { Observable } from 'rxjs';
import type { VideoFrameSample } from './types';

/**
 * Frames of a playing <video> (webcam stream or file), one per presented video frame, via
 * requestVideoFrameCallback. Completes when the video ends; unsubscribing stops the callbacks.
 */
export function videoFrames(video: HTMLVideoElement): Observable<VideoFrameSample> {
  return new Observable<VideoFrameSample>((subscriber) => {
    let handle = 0;
    const onFrame = (now: DOMHighResTimeStamp, metadata: VideoFrameCallbackMetadata): void => {
      subscriber.next({
        kind: 'video',
        t: now,
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
