// The pose stage as the app runs it: a pose worker that crashes or hangs is replaced by a new one (same model and
// delegate), at most once per POSE_RESTART_MS; the failure and the recovery are reported for the degraded banner.
import { PoseEstimator, type PoseEstimate } from '../pose/pose-estimator';

export const POSE_RESTART_MS = 2000;

export class RestartingPoseEstimator {
  private restarting = false;
  private lastRestartAt = -Infinity;
  private recovering = false;
  private closed = false;

  /** `onProblem`: the reason while the stage is down, null once a new worker answers. */
  constructor(
    private current: PoseEstimator,
    private readonly onProblem: (reason: string | null) => void,
  ) {}

  get estimator(): PoseEstimator {
    return this.current;
  }

  async estimate(bitmap: ImageBitmap, t: number): Promise<PoseEstimate> {
    const crashed = this.current.crashed;
    if (crashed) {
      bitmap.close();
      this.restart(crashed);
      throw new Error(`${crashed.message}; restarting it`);
    }
    const estimate = await this.current.estimate(bitmap, t);
    if (this.recovering) {
      this.recovering = false;
      this.onProblem(null);
    }
    return estimate;
  }

  close(): void {
    this.closed = true;
    this.current.close();
  }

  private restart(reason: Error): void {
    this.onProblem(reason.message);
    if (this.restarting || performance.now() - this.lastRestartAt < POSE_RESTART_MS) return;
    this.restarting = true;
    this.lastRestartAt = performance.now();
    PoseEstimator.create(this.current.options)
      .then((next) => {
        if (this.closed) return next.close(); // the run stopped while the new worker started
        this.current.close();
        this.current = next;
        this.recovering = true;
      }, () => undefined) // tried again after POSE_RESTART_MS
      .finally(() => (this.restarting = false));
  }
}
