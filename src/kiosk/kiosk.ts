import type { MonitoringConfig } from '../settings/config';
import type { HostSession } from './host';

/**
 * Kiosk behaviour of the renderer, for the UI to mount: privacy view, camera auto-start, screen wake lock. Whether
 * this is a kiosk is the host's decision (HostSession.kiosk: `--kiosk` of the server or of Electron), never the URL's.
 * (Camera auto-restart with back-off is the camera source's own, configured by kiosk.cameraRestart.)
 */

export interface KioskSettings {
  kiosk: boolean;
  /** Skeleton on a plain background, no camera image. */
  privacyView: boolean;
  /** Start the camera without waiting for a click. */
  autoStartCamera: boolean;
  /** Exit needs the PIN (kiosk.pinHash set in the host's settings). */
  exitNeedsPin: boolean;
}

export function kioskSettings(session: Pick<HostSession, 'kiosk' | 'exitNeedsPin'>, config: MonitoringConfig['kiosk']): KioskSettings {
  const { kiosk } = session;
  return { kiosk, privacyView: kiosk && config.privacyView, autoStartCamera: kiosk, exitNeedsPin: kiosk && session.exitNeedsPin };
}

/** Applies the privacy view: the video stays (it feeds the pose estimator) but is never painted. */
export function applyPrivacyView(video: HTMLElement, stage: HTMLElement, on: boolean): void {
  video.style.visibility = on ? 'hidden' : '';
  stage.classList.toggle('privacy-view', on);
  stage.setAttribute('data-privacy-view', on ? 'on' : 'off');
}

interface WakeLockSentinelLike {
  release(): Promise<void>;
  addEventListener(type: 'release', listener: () => void): void;
}
interface WakeLockNavigator {
  wakeLock?: { request(type: 'screen'): Promise<WakeLockSentinelLike> };
}

/**
 * Keeps the screen on (navigator.wakeLock) while the kiosk runs. The browser drops the lock whenever the page is
 * hidden, so it is requested again each time the page becomes visible. Returns a function that stops it.
 */
export function keepScreenAwake(
  nav: WakeLockNavigator,
  doc: Pick<Document, 'visibilityState' | 'addEventListener' | 'removeEventListener'>,
  onProblem: (message: string) => void,
): () => void {
  if (!nav.wakeLock) {
    onProblem('This browser cannot keep the screen awake (no Wake Lock API); set the display to never sleep.');
    return () => {};
  }
  let lock: WakeLockSentinelLike | null = null;
  let stopped = false;
  const acquire = async () => {
    if (stopped || lock || doc.visibilityState !== 'visible') return;
    try {
      lock = await nav.wakeLock!.request('screen');
      lock.addEventListener('release', () => (lock = null));
    } catch (error) {
      onProblem(`The screen may go to sleep: ${(error as Error).message}`);
    }
  };
  const onVisibility = () => void acquire();
  doc.addEventListener('visibilitychange', onVisibility);
  void acquire();
  return () => {
    stopped = true;
    doc.removeEventListener('visibilitychange', onVisibility);
    void lock?.release();
  };
}
