// models/index.json: written by scripts/models-index.ts at build time, read by the model picker.

export interface ModelIndexEntry {
  /** Manifest file name relative to models/. */
  manifest: string;
  name: string;
  family: string;
  variant: string;
  description: string;
  trained: boolean;
}

export interface ModelIndex {
  format: 'skeleton-sentinel-model-index';
  version: 1;
  models: ModelIndexEntry[];
}

/** The model picker's option text; an untrained model says so. */
export function modelOptionText(model: ModelIndexEntry): string {
  return `${model.name} (${model.family} ${model.variant})${model.trained ? '' : ' — untrained'}`;
}

/** Parses models/index.json (scripts/models-index.ts) with a clear error for anything else. */
export function parseModelIndex(value: unknown): ModelIndexEntry[] {
  const models = (value as { format?: unknown; models?: unknown } | null)?.models;
  if ((value as { format?: unknown } | null)?.format !== 'skeleton-sentinel-model-index' || !Array.isArray(models)) {
    throw new Error('models/index.json is not a model index; run "npm run models:index"');
  }
  return models.map((entry: unknown, i) => {
    const m = entry as Partial<ModelIndexEntry>;
    if (typeof m.manifest !== 'string' || typeof m.name !== 'string' || typeof m.trained !== 'boolean') {
      throw new Error(`models/index.json: entry ${i} lacks manifest, name or trained`);
    }
    return {
      manifest: m.manifest,
      name: m.name,
      family: String(m.family ?? ''),
      variant: String(m.variant ?? ''),
      description: String(m.description ?? ''),
      trained: m.trained,
    };
  });
}

