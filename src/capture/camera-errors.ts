/** What went wrong with the camera, in words a kiosk user can act on. */
export interface CameraProblem {
  kind: 'permission-denied' | 'no-camera' | 'camera-busy' | 'unsupported-resolution' | 'unplugged' | 'insecure-context' | 'unknown';
  message: string;
  /**
   * Whether trying again later can help without the user changing anything (a busy or re-plugged camera);
   * otherwise the run stops and the message says what to change.
   */
  retryable: boolean;
}

/** Maps a getUserMedia rejection (a DOMException name) or a track ending to a CameraProblem. */
export function describeCameraError(error: unknown): CameraProblem {
  const name = error instanceof Error || (typeof error === 'object' && error !== null && 'name' in error)
    ? String((error as { name: unknown }).name)
    : '';
  const detail = error instanceof Error ? error.message : String(error);
  switch (name) {
    case 'NotAllowedError':
    case 'SecurityError':
      return { kind: 'permission-denied', message: 'Camera permission was denied. Allow camera access for this app, then press Start.', retryable: false };
    case 'NotFoundError':
    case 'OverconstrainedError':
      return name === 'NotFoundError'
        ? { kind: 'no-camera', message: 'No camera found. Connect a camera; the app retries automatically.', retryable: true }
        : { kind: 'unsupported-resolution', message: 'The camera does not offer the chosen resolution. Pick another resolution, then press Start.', retryable: false };
    case 'NotReadableError':
    case 'AbortError':
      return { kind: 'camera-busy', message: 'The camera is in use by another program or failed to start. Retrying…', retryable: true };
    case 'TrackEnded':
      return { kind: 'unplugged', message: 'The camera was disconnected. Reconnect it; the app retries automatically.', retryable: true };
    case 'InsecureContext':
      return { kind: 'insecure-context', message: 'The camera is only available on a secure origin (localhost or https).', retryable: false };
    default:
      return { kind: 'unknown', message: `The camera could not be started: ${detail}`, retryable: true };
  }
}

/** Delay before the n-th automatic retry (0-based): exponential, capped. */
export function cameraRetryDelay(attempt: number, initialMs = 1000, maxMs = 60000, factor = 2): number {
  return Math.min(maxMs, initialMs * factor ** Math.max(0, attempt));
}
