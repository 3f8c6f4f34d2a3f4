// When the renderer dies (render-process-gone) the window is reloaded after a delay that doubles with each
// crash in a row, so a renderer that crashes at start-up does not spin the CPU of a kiosk.

export interface RestartBackoffOptions {
  /** Delay before the first reload. */
  initialDelayMs: number;
  /** Upper bound of the delay. */
  maxDelayMs: number;
  /** A renderer that stayed up this long counts as recovered: the next crash starts from initialDelayMs again. */
  stableAfterMs: number;
}

export const DEFAULT_RESTART_BACKOFF: RestartBackoffOptions = {
  initialDelayMs: 1_000,
  maxDelayMs: 60_000,
  stableAfterMs: 120_000,
};

/** render-process-gone reasons after which the page is reloaded ('clean-exit' is a normal shutdown). */
export function shouldRestartAfter(reason: string): boolean {
  return reason !== 'clean-exit';
}

export class RestartBackoff {
  private consecutiveCrashes = 0;
  private lastStartAt: number | undefined;

  constructor(private readonly options: RestartBackoffOptions = DEFAULT_RESTART_BACKOFF) {
    if (!(options.initialDelayMs > 0 && options.maxDelayMs >= options.initialDelayMs && options.stableAfterMs >= 0)) {
      throw new RangeError('restart back-off needs 0 < initialDelayMs <= maxDelayMs and stableAfterMs >= 0');
    }
  }

  /** Call when the renderer (re)starts loading. */
  started(now: number): void {
    this.lastStartAt = now;
  }

  /** Call on a crash; returns how long to wait before reloading. */
  crashed(now: number): number {
    if (this.lastStartAt !== undefined && now - this.lastStartAt >= this.options.stableAfterMs) {
      this.consecutiveCrashes = 0;
    }
    const delay = Math.min(this.options.maxDelayMs, this.options.initialDelayMs * 2 ** this.consecutiveCrashes);
    this.consecutiveCrashes++;
    return delay;
  }
}
