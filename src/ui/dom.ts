// Typed handles to the elements of index.html; a missing element is a build mistake, reported by name.

function element<T extends HTMLElement>(id: string, type: new () => T): T {
  const found = document.getElementById(id);
  if (!(found instanceof type)) throw new Error(`index.html lacks #${id} (${type.name})`);
  return found;
}

export function queryDom() {
  return {
    source: element('source', HTMLSelectElement),
    camera: element('camera', HTMLSelectElement),
    resolution: element('resolution', HTMLSelectElement),
    file: element('file', HTMLInputElement),
    model: element('model', HTMLSelectElement),
    poseModel: element('pose-model', HTMLSelectElement),
    mirror: element('mirror', HTMLInputElement),
    privacy: element('privacy', HTMLInputElement),
    heatmapToggle: element('heatmap-toggle', HTMLInputElement),
    start: element('start', HTMLButtonElement),
    record: element('record', HTMLButtonElement),
    kioskExit: element('kiosk-exit', HTMLButtonElement),
    banner: element('banner', HTMLDivElement),
    degraded: element('degraded', HTMLDivElement),
    stage: element('stage', HTMLElement),
    video: element('video', HTMLVideoElement),
    overlay: element('overlay', HTMLCanvasElement),
    tags: element('tags', HTMLDivElement),
    label: element('label', HTMLSpanElement),
    confidence: element('confidence', HTMLSpanElement),
    untrained: element('untrained', HTMLSpanElement),
    top5: element('top5', HTMLOListElement),
    stripSection: element('strip-section', HTMLElement),
    strip: element('strip', HTMLCanvasElement),
    heatmapSection: element('heatmap-section', HTMLElement),
    heatmap: element('heatmap', HTMLCanvasElement),
    statFps: element('stat-fps', HTMLElement),
    statPose: element('stat-pose', HTMLElement),
    statModel: element('stat-model', HTMLElement),
    statE2e: element('stat-e2e', HTMLElement),
    statDropped: element('stat-dropped', HTMLElement),
    statBackend: element('stat-backend', HTMLElement),
    statStartup: element('stat-startup', HTMLElement),
    alerts: element('alerts', HTMLElement),
  };
}

export type Dom = ReturnType<typeof queryDom>;

export function fillSelect(select: HTMLSelectElement, options: readonly { value: string; text: string }[]): void {
  const previous = select.value;
  select.replaceChildren(
    ...options.map(({ value, text }) => {
      const option = document.createElement('option');
      option.value = value;
      option.textContent = text;
      return option;
    }),
  );
  if (options.some((o) => o.value === previous)) select.value = previous;
}

export function canvas2d(canvas: HTMLCanvasElement): CanvasRenderingContext2D {
  const ctx = canvas.getContext('2d');
  if (!ctx) throw new Error('no 2D canvas context');
  return ctx;
}
