// The label panel: the shown label of the first labelled person, its confidence, the top-5 bars and, for a model
// that has them, the frame-importance strip and the attention heatmap.
import type { ModelManifest } from '../model/manifest';
import { topLabels, type Prediction } from '../model/prediction';
import { drawAttentionHeatmap, drawImportanceStrip } from '../overlay/draw-attention';
import type { ViewState } from '../overlay/view';
import { canvas2d, type Dom } from './dom';
import { STATS_INTERVAL_MS } from './stats-panel';
import { labelView, type DebugState } from './view-model';

/**
 * A prediction comes every frame; the panel is rebuilt at most every STATS_INTERVAL_MS, or at once when the shown
 * label changes.
 */
export class LabelPanelPace {
  private shown: Prediction | null = null;
  private shownLabel: string | null = null;
  private shownAt = -Infinity;

  /** A new model: its first prediction is shown whatever it is. */
  reset(): void {
    this.shown = null;
  }

  /** Whether to rebuild the panel for `prediction` with shown label `label` at `now` (ms); if so, it counts as shown. */
  due(prediction: Prediction, label: string, now: number): boolean {
    if (prediction === this.shown) return false;
    if (label === this.shownLabel && now - this.shownAt < STATS_INTERVAL_MS) return false;
    this.shown = prediction;
    this.shownLabel = label;
    this.shownAt = now;
    return true;
  }
}

type LabelDom = Pick<Dom, 'label' | 'confidence' | 'untrained' | 'top5' | 'stripSection' | 'strip' | 'heatmapToggle' | 'heatmapSection' | 'heatmap'>;

export class LabelPanel {
  private readonly pace = new LabelPanelPace();

  constructor(
    private readonly dom: LabelDom,
    private readonly debug: DebugState,
  ) {}

  /** Panels for the optional outputs appear only for a model that has them; old labels are cleared. */
  showModel(manifest: ModelManifest): void {
    const { dom } = this;
    dom.stripSection.hidden = !manifest.outputs.frame_importance;
    dom.heatmapToggle.disabled = !manifest.outputs.spatial_attention;
    if (dom.heatmapToggle.disabled) dom.heatmapToggle.checked = false;
    dom.heatmapSection.hidden = !dom.heatmapToggle.checked;
    dom.label.textContent = '–';
    dom.confidence.textContent = '';
    dom.top5.replaceChildren();
    this.pace.reset();
  }

  update(view: ViewState, labels: readonly string[]): void {
    const primary = view.people.find((person) => person.label);
    if (!primary?.label || !primary.prediction || !this.pace.due(primary.prediction, primary.label.label, performance.now())) return;
    const { dom } = this;
    const { label, p, probabilities } = primary.label;
    const shown = labelView({ label, p }, topLabels(probabilities, labels), primary.prediction.untrained);
    dom.label.textContent = shown.label;
    dom.confidence.textContent = shown.confidence;
    dom.untrained.hidden = !shown.untrained;
    dom.top5.replaceChildren(...shown.bars.map((bar) => barItem(bar.label, bar.p, bar.percent)));
    this.debug.lastLabel = shown.label;
    const { frameImportance, spatialAttention } = primary.prediction;
    if (frameImportance) drawImportanceStrip(canvas2d(dom.strip), frameImportance);
    if (spatialAttention && !dom.heatmapSection.hidden) {
      drawAttentionHeatmap(canvas2d(dom.heatmap), spatialAttention, Math.round(Math.sqrt(spatialAttention.length)));
    }
  }
}

function barItem(label: string, p: number, text: string): HTMLLIElement {
  const item = document.createElement('li');
  const name = document.createElement('span');
  name.textContent = label;
  const bar = document.createElement('div');
  bar.className = 'bar';
  bar.style.width = `${Math.round(p * 100)}%`;
  const value = document.createElement('span');
  value.textContent = text;
  item.append(name, bar, value);
  return item;
}
