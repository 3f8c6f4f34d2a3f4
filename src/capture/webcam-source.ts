import { Observable, type Subscription } from 'rxjs';
import { cameraRetryDelay, describeCameraError, type CameraProblem } from './camera-errors';
import type { VideoFrameSample } from './types';
import { videoFrames } from './video-frames';

export interface CameraChoice {
  /** From enumerateDevices; undefined = the system default camera. */
  deviceId?: string;
  width: number;
  height: number;
}

export const CAMERA_RESOLUTIONS: readonly { width: number; height: number }[] = [
  { width: 640, height: 480 },
  { width: 1280, height: 720 },
  { width: 1920, height: 1080 },
];

export interface CameraDevice {
  deviceId: string;
  label: string;
}

/** Video inputs; labels are empty until the user has granted camera permission once, so number them. */
export async function listCameras(): Promise<CameraDevice[]> {
  if (!navigator.mediaDevices?.enumerateDevices) return [];
  const devices = await navigator.mediaDevices.enumerateDevices();
  return devices
    .filter((device) => device.kind === 'videoinput')
    .map((device, i) => ({ deviceId: device.deviceId, label: device.label || `Camera ${i + 1}` }));
}

export interface CameraRetryPolicy {
  initialMs: number;
  maxMs: number;
  factor: number;
}

/**
 * Webcam frames shown in `video`. Camera problems (no camera, permission denied, unplugged, busy) never error the
 * stream: they are reported through `onProblem` (null once the camera runs again) and retryable ones are retried
 * with back-off, so the app keeps running. `ideal` constraints: a camera that cannot do the size gives its nearest.
 */
export function webcamFrames(
  video: HTMLVideoElement,
  choice: CameraChoice,
  retry: CameraRetryPolicy,
  onProblem: (problem: CameraProblem | null) => void,
): Observable<VideoFrameSample> {
  return new Observable<VideoFrameSample>((subscriber) => {
    let stream: MediaStream | null = null;
    let frames: Subscription | null = null;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let attempt = 0;
    let stopped = false;

    const release = (): void => {
      frames?.unsubscribe();
      frames = null;
      stream?.getTracks().forEach((track) => track.stop());
      stream = null;
      video.srcObject = null;
    };

    const fail = (error: unknown): void => {
      release();
      if (stopped) return;
      const problem = describeCameraError(error);
      onProblem(problem);
      if (problem.retryable) timer = setTimeout(start, cameraRetryDelay(attempt++, retry.initialMs, retry.maxMs, retry.factor));
    };

    async function start(): Promise<void> {
      try {
        if (!window.isSecureContext) throw Object.assign(new Error('insecure context'), { name: 'InsecureContext' });
        if (!navigator.mediaDevices?.getUserMedia) throw Object.assign(new Error('no mediaDevices'), { name: 'NotFoundError' });
        const opened = await navigator.mediaDevices.getUserMedia({
          audio: false,
          video: {
            deviceId: choice.deviceId ? { exact: choice.deviceId } : undefined,
            width: { ideal: choice.width },
            height: { ideal: choice.height },
          },
        });
        if (stopped) {
          opened.getTracks().forEach((track) => track.stop());
          return;
        }
        stream = opened;
        const [track] = opened.getVideoTracks();
        track?.addEventListener('ended', () => fail(Object.assign(new Error('track ended'), { name: 'TrackEnded' })));
        video.srcObject = opened;
        await video.play();
        attempt = 0;
        onProblem(null);
        frames = videoFrames(video).subscribe({ next: (frame) => subscriber.next(frame), error: fail });
      } catch (error) {
        fail(error);
      }
    }

    void start();
    return () => {
      stopped = true;
      clearTimeout(timer);
      release();
    };
  });
}
