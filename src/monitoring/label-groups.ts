import labelSet from '../../training/labels/default.json';

/** Probability mass of each monitored label group (a group's labels summed). */
export interface GroupProbabilities {
  fall: number;
  lying: number;
  gettingUp: number;
}

const GROUP_KEYS = { fall: 'fall', lying: 'lying', gettingUp: 'getting_up' } as const;

/**
 * Precomputes, for a model's label list (manifest order), which logit indices belong to each group of
 * training/labels/default.json. Labels the model lacks simply do not contribute.
 */
export function groupIndexer(modelLabels: readonly string[]): (probabilities: ArrayLike<number>) => GroupProbabilities {
  const indices = Object.fromEntries(
    Object.entries(GROUP_KEYS).map(([key, group]) => [
      key,
      labelSet.groups[group].map((label) => modelLabels.indexOf(label)).filter((index) => index >= 0),
    ]),
  ) as Record<keyof GroupProbabilities, number[]>;
  return (probabilities) => {
    if (probabilities.length !== modelLabels.length) {
      throw new Error(`label groups: model gave ${probabilities.length} probabilities for ${modelLabels.length} labels`);
    }
    const sum = (list: number[]) => list.reduce((total, index) => total + (probabilities[index] ?? 0), 0);
    return { fall: sum(indices.fall), lying: sum(indices.lying), gettingUp: sum(indices.gettingUp) };
  };
}
