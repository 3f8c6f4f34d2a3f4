// The screen's one-line banner (#banner): a status message, or an error in red. A standing model problem (the app
// runs on without labels) stays on screen when a status message is cleared.
import type { DebugState } from './view-model';

export class StatusBanner {
  /** Shown instead of an empty status while set. */
  modelProblem: string | null = null;

  constructor(
    private readonly banner: HTMLElement,
    private readonly debug: DebugState,
  ) {}

  status(message: string | null): void {
    if (!message && this.modelProblem) return this.error(this.modelProblem);
    this.banner.classList.remove('error');
    this.banner.textContent = message ?? '';
    this.banner.hidden = !message;
  }

  error(message: string): void {
    this.debug.lastError = message;
    this.banner.classList.add('error');
    this.banner.textContent = message;
    this.banner.hidden = false;
  }
}

export const errorText = (error: unknown): string => (error instanceof Error ? error.message : String(error));
