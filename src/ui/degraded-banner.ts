/**
 * The degraded-mode banner (#degraded): which stages are failing, why, and what still works. A failing stage never
 * switches monitoring off; it degrades detection to the best that still works and says so here until it recovers.
 * State for tests: `data-degraded` lists the failing stages ("model storage"), empty when all run.
 */
export type DegradedStage = 'pose' | 'model' | 'storage';

const WHAT: Record<DegradedStage, { failing: string; consequence: string }> = {
  pose: { failing: 'Pose estimation failing', consequence: 'restarting it; nobody can be seen until it runs again' },
  model: { failing: 'Action model failing', consequence: 'falls are detected from body movement only' },
  storage: { failing: 'Event storage failing', consequence: 'alarms and carer notifications still go out; events are kept in memory and written when storage works again' },
};

export class DegradedModes {
  private readonly reasons = new Map<DegradedStage, string>();

  constructor(private readonly element: HTMLElement | null) {
    this.render();
  }

  report(stage: DegradedStage, reason: string): void {
    if (this.reasons.get(stage) === reason) return;
    this.reasons.set(stage, reason);
    this.render();
  }

  clear(stage: DegradedStage): void {
    if (this.reasons.delete(stage)) this.render();
  }

  get failing(): ReadonlyMap<DegradedStage, string> {
    return this.reasons;
  }

  private render(): void {
    const { element } = this;
    if (!element) return;
    const stages = [...this.reasons.keys()].sort();
    element.dataset.degraded = stages.join(' ');
    element.hidden = stages.length === 0;
    element.replaceChildren(
      ...stages.map((stage) => {
        const line = element.ownerDocument.createElement('p');
        line.dataset.stage = stage;
        line.textContent = `${WHAT[stage].failing}: ${this.reasons.get(stage)}. ${WHAT[stage].consequence}.`;
        return line;
      }),
    );
  }
}
