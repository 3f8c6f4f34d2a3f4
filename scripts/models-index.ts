// Writes models/index.json, the list the app's model picker reads (a static server cannot list a folder).
// Run by `npm run models:index` and before every build (`prebuild`). Every manifest is validated with the
// app's own validator; an invalid one is reported and left out.
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseManifest } from '../src/model/manifest';
import type { ModelIndex, ModelIndexEntry } from '../src/ui/model-index';

export function buildModelIndex(modelsDir: string): { index: ModelIndex; problems: string[] } {
  const problems: string[] = [];
  const models: ModelIndexEntry[] = [];
  // NAME.parity.json beside a manifest is the exporter's PyTorch reference for the tests, not a manifest.
  const files = readdirSync(modelsDir).filter((f) => f.endsWith('.json') && f !== 'index.json' && !f.endsWith('.parity.json')).sort();
  for (const file of files) {
    try {
      const manifest = parseManifest(readFileSync(join(modelsDir, file), 'utf8'), `models/${file}`);
      const { name, family, variant, description, trained } = manifest;
      models.push({ manifest: file, name, family, variant, description, trained });
    } catch (error) {
      problems.push(error instanceof Error ? error.message : String(error));
    }
  }
  // Trained models first: they are the sensible default.
  models.sort((a, b) => Number(b.trained) - Number(a.trained) || a.name.localeCompare(b.name));
  return { index: { format: 'skeleton-sentinel-model-index', version: 1, models }, problems };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const modelsDir = fileURLToPath(new URL('../models', import.meta.url));
  const { index, problems } = buildModelIndex(modelsDir);
  for (const problem of problems) console.warn(`models-index: skipped ${problem}`);
  writeFileSync(join(modelsDir, 'index.json'), `${JSON.stringify(index, null, 2)}\n`);
  console.log(`models-index: ${index.models.length} model(s) in models/index.json`);
}
