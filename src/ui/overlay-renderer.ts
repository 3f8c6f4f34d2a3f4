// The drawing over the video: every tracked person's skeleton on the canvas (joint importance when the model gives
// it) and an HTML tag with the person's label over each head (HTML, so it is not mirrored with the canvas).
import type { ModelManifest } from '../model/manifest';
import { drawSkeletons } from '../overlay/draw-skeleton';
import { personTagPosition } from '../overlay/person-tags';
import type { ViewState } from '../overlay/view';
import type { PoseFrame } from '../skeleton/types';
import { canvas2d, type Dom } from './dom';
import { personTagText } from './view-model';

type OverlayDom = Pick<Dom, 'overlay' | 'tags' | 'stage' | 'mirror'>;

export class OverlayRenderer {
  private drawnFrame: PoseFrame | null = null;

  /** `enabled`: false for ?overlay=off (nothing is drawn). */
  constructor(
    private readonly dom: OverlayDom,
    private readonly enabled: boolean,
  ) {}

  /** Draws the view's frame; `input`: the model's input spec (layout, visibility threshold), none without a model. */
  draw(view: ViewState, input: ModelManifest['input'] | undefined): void {
    const frame = view.frame;
    // A prediction event repeats the last frame: draw each frame once.
    if (frame && frame !== this.drawnFrame && this.enabled) this.drawFrame(view, frame, input);
    this.drawnFrame = frame;
  }

  clearTags(): void {
    this.dom.tags.replaceChildren();
  }

  private drawFrame(view: ViewState, frame: PoseFrame, input: ModelManifest['input'] | undefined): void {
    const { overlay } = this.dom;
    if (overlay.width !== frame.width || overlay.height !== frame.height) {
      overlay.width = frame.width;
      overlay.height = frame.height;
    }
    const ctx = canvas2d(overlay);
    ctx.clearRect(0, 0, overlay.width, overlay.height);
    const minVisibility = input?.normalisation.minVisibility ?? 0.5;
    drawSkeletons(
      ctx,
      view.people.flatMap((person) => (person.landmarks ? [{ landmarks: person.landmarks, importance: person.prediction?.jointImportance }] : [])),
      { layout: input?.layout ?? 'blazepose33', minVisibility },
    );
    this.placeTags(view, frame, minVisibility);
  }

  private placeTags(view: ViewState, frame: PoseFrame, minVisibility: number): void {
    const { tags, stage, mirror } = this.dom;
    const stageSize = { width: stage.clientWidth, height: stage.clientHeight };
    const labelled = view.people.filter((person) => person.landmarks && person.label);
    while (tags.children.length > labelled.length) tags.lastElementChild!.remove();
    labelled.forEach((person, i) => {
      const tag = (tags.children[i] as HTMLElement | undefined) ?? tags.appendChild(Object.assign(document.createElement('div'), { className: 'tag' }));
      const position = personTagPosition(person.landmarks!, minVisibility, frame, stageSize, mirror.checked);
      tag.hidden = !position;
      if (!position) return;
      tag.style.left = `${position.left}px`;
      tag.style.top = `${position.top}px`;
      tag.textContent = personTagText(person.id, person.label!, labelled.length);
    });
  }
}
