import type { MonitoringConfig } from '../alerts/config';

/**
 * Kiosk behaviour of the renderer, for the UI to mount: kiosk mode detection, privacy view, screen wake lock.
 * (Camera auto-restart with back-off is the camera source's own, configured by kiosk.cameraRestart.)
 */

/** Kiosk mode: `?kiosk=1` in the browser build, or Electron's `--kiosk` passed through the preload bridge. */
export function isKioskMode(search: string, bridge: { kiosk?: boolean } | undefined): boolean {
  const value = new URLSearchParams(search).get('kiosk');
  return bridge?.kiosk === true || value === '1' || value === 'true';
}

export interface KioskSettings {
  kiosk: boolean;
  /** Skeleton on a plain background, no camera image. */
  privacyView: boolean;
  /** Start the camera without waiting for a click. */
  autoStartCamera: boolean;
  /** Exit needs the PIN (kiosk.pinHash set). */
  exitNeedsPin: boolean;
}

export function kioskSettings(kiosk: boolean, config: MonitoringConfig['kiosk']): KioskSettings {
  return { kiosk, privacyView: kiosk && config.privacyView, autoStartCamera: kiosk, exitNeedsPin: kiosk && config.pinHash !== '' };
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
