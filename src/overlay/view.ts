/** The view model the overlay draws: per tracked person the latest pose, smoothed label and prediction. */
import { scan, type OperatorFunction } from 'rxjs';
import type { Prediction } from '../model/prediction';
import type { PipelineEvent } from '../pipeline/pipeline';
import { createPipelineStats, type PipelineStats } from '../pipeline/stats';
import type { Landmark, PoseFrame } from '../skeleton/types';
import { smoothLabel, validateLabelSmoothing, type LabelSmoothingConfig, type SmoothedLabel } from './label-smoothing';

export interface PersonView {
  id: number;
  /** MediaPipe image landmarks for drawing (null while the tracked person is missing from the latest frame). */
  landmarks: Landmark[] | null;
  /** Canonical pose (docs/skeleton.md), smoothed when the One Euro filter is on. */
  canonical: Landmark[] | null;
  label: SmoothedLabel | null;
  prediction: Prediction | null;
}

export interface ViewState {
  frame: PoseFrame | null;
  people: PersonView[];
  stats: PipelineStats;
}

export const EMPTY_VIEW: ViewState = { frame: null, people: [], stats: createPipelineStats() };

/** Pure reducer: one pipeline event → the next view state. People no longer tracked are forgotten. */
export function reduceView(
  state: ViewState,
  event: PipelineEvent,
  labels: readonly string[],
  smoothing: LabelSmoothingConfig,
): ViewState {
  if (event.kind === 'frame') {
    const previous = new Map(state.people.map((person) => [person.id, person]));
    const people = event.tracked.activeIds.map((id): PersonView => {
      const seen = event.tracked.people.find((person) => person.id === id);
      const before = previous.get(id);
      return {
        id,
        landmarks: seen ? event.frame.people[seen.index]!.landmarks : null,
        canonical: seen ? seen.canonical : null,
        label: before?.label ?? null,
        prediction: before?.prediction ?? null,
      };
    });
    return { frame: event.frame, people, stats: event.stats };
  }
  const byPerson = new Map(event.predictions.map((prediction) => [prediction.personId, prediction]));
  const people = state.people.map((person) => {
    const prediction = byPerson.get(person.id);
    if (!prediction) return person;
    return { ...person, prediction, label: smoothLabel(person.label, prediction.probabilities, prediction.t, labels, smoothing) };
  });
  return { ...state, people, stats: event.stats };
}

export function toView(labels: readonly string[], smoothing: LabelSmoothingConfig): OperatorFunction<PipelineEvent, ViewState> {
  validateLabelSmoothing(smoothing);
  return scan((state: ViewState, event: PipelineEvent) => reduceView(state, event, labels, smoothing), EMPTY_VIEW);
}
