// The shipped models: listed with the conditional one as default, loadable, reproducible, with their plagiarism index.
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { selectBackend } from './backend';
import { generateWithModel, loadCharRnn, loadPlagiarismIndex } from './charRnn/pipeline';
import { DEFAULT_MODEL_ID, listModels, resolveModel } from './registry';

const RESOURCES = fileURLToPath(new URL('../../../resources/', import.meta.url));
const paths = { resources: RESOURCES, userData: join(RESOURCES, 'no-user-data-here'), cache: join(RESOURCES, 'no-cache-here') };

beforeAll(async () => {
  await selectBackend('wasm');
});

describe('shipped models', () => {
  it('lists the vanilla and the conditional piano model, the conditional one as default', async () => {
    const models = await listModels(paths);
    expect(models.map((m) => [m.id, m.kind, m.source, m.isDefault, m.hasPlagiarismIndex])).toEqual([
      ['piano-char-rnn', 'char-rnn', 'shipped', false, true],
      ['piano-conditional-char-rnn', 'conditional-char-rnn', 'shipped', true, true],
    ]);
    expect((await resolveModel(undefined, paths)).id).toBe(DEFAULT_MODEL_ID);
    for (const m of models) {
      expect(m.metrics.validNll).toBeLessThan(3);
      expect(m.data?.licence).toMatch(/CC BY-SA 3.0 DE, Bernd Krueger/);
    }
    // The study's ordering: conditioning lowers the cross-entropy.
    expect(models[1]!.metrics.validNll!).toBeLessThan(models[0]!.metrics.validNll!);
  });

  it('loads without optimizer state and generates the same music from the same seed, checked for copying', async () => {
    const info = await resolveModel(DEFAULT_MODEL_ID, paths);
    const options = { seed: 3, lengthSeconds: 3, conditions: { keyPreset: { tonic: 9, mode: 'minor' as const } } };
    const a = await generateWithModel(info, options);
    const b = await generateWithModel(info, options);
    expect(a.sequence.notes.length).toBeGreaterThan(5);
    expect(a.sequence.notes).toEqual(b.sequence.notes);
    expect(a.plagiarism?.queryLength).toBe(a.sequence.notes.length);
    const { model, manifest } = await loadCharRnn(info.dir);
    const index = await loadPlagiarismIndex(info.dir, manifest);
    expect(index?.pieceCount).toBe(manifest.data?.trainPieces);
    model.dispose();
  });
});
