import { Observable } from 'rxjs';
import type { VideoFrameSample } from './types';
import { videoFrames } from './video-frames';

/**
 * Frames of a local video file played in `video` (object URL; nothing is uploaded), timed by their position in
 * the file. `playbackRate` < 1 gives a slow pose stage time for more of the frames. Completes at the end.
 */
export function videoFileFrames(video: HTMLVideoElement, file: File, playbackRate = 1): Observable<VideoFrameSample> {
  return new Observable<VideoFrameSample>((subscriber) => {
    const url = URL.createObjectURL(file);
    video.srcObject = null;
    video.src = url;
    video.loop = false;
    video.playbackRate = playbackRate;
    const inner = videoFrames(video, 'media').subscribe(subscriber);
    video.play().catch((error: unknown) =>
      subscriber.error(new Error(`video file "${file.name}" could not be played: ${error instanceof Error ? error.message : String(error)}`)),
    );
    return () => {
      inner.unsubscribe();
      video.pause();
      video.removeAttribute('src');
      video.load();
      URL.revokeObjectURL(url);
    };
  });
}
