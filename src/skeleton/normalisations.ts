/** The coordinate normalisations a manifest can name (docs/skeleton.md) and the window → model input function of each. */
import { frameWindowFeatures } from './frame-normalise';
import { windowFeatures, type FeatureSpec, type RawWindow } from './normalise';
import { viewWindowFeatures } from './view-normalise';

export const NORMALISATION_METHODS = ['torso-v1', 'torso-frame-v1', 'agcn-v1'] as const;
export type NormalisationMethod = (typeof NORMALISATION_METHODS)[number];

const FEATURES: Readonly<Record<NormalisationMethod, (raw: RawWindow, spec: FeatureSpec) => Float32Array | null>> = {
  'torso-v1': windowFeatures,
  'torso-frame-v1': frameWindowFeatures,
  'agcn-v1': viewWindowFeatures,
};

export function windowFeaturesFor(method: NormalisationMethod): (raw: RawWindow, spec: FeatureSpec) => Float32Array | null {
  return FEATURES[method];
}
