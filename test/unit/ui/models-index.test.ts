import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { buildModelIndex } from '../../../scripts/models-index';
import { parseModelIndex } from '../../../src/ui/model-index';

const MODELS = join(__dirname, '../../../models');
let dir = '';

afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('buildModelIndex', () => {
  it('lists valid manifests (what the picker needs) and reports invalid ones by file', () => {
    dir = mkdtempSync(join(tmpdir(), 'models-index-'));
    copyFileSync(join(MODELS, 'ttr-lite-untrained.json'), join(dir, 'ttr-lite-untrained.json'));
    writeFileSync(join(dir, 'broken.json'), '{"format": "skeleton-sentinel-model"}');
    writeFileSync(join(dir, 'index.json'), '{}');
    writeFileSync(join(dir, 'ttr-lite-untrained.parity.json'), '{"format": "skeleton-sentinel-parity"}'); // not a manifest
    const { index, problems } = buildModelIndex(dir);
    expect(index.models).toEqual([
      expect.objectContaining({ manifest: 'ttr-lite-untrained.json', name: 'ttr-lite-untrained', family: 'st-tr', trained: false }),
    ]);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toContain('models/broken.json');
    // What the script writes is what the app reads.
    expect(parseModelIndex(JSON.parse(JSON.stringify(index)))).toEqual(index.models);
  });
});
