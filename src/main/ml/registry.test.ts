// The shipped models: listed with the conditional one as default, loadable, reproducible, with their plagiarism index; manifests cannot point outside their folder.
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { selectBackend } from './backend';
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { ModelHostCore } from './host/core';
import { loadPlagiarismIndex } from './platform/corpus';
import { DEFAULT_MODEL_ID, listModels, ModelPathError, readManifest, resolveModel } from './registry';

const RESOURCES = fileURLToPath(new URL('../../../resources/', import.meta.url));
const paths = { resources: RESOURCES, userData: join(RESOURCES, 'no-user-data-here'), cache: join(RESOURCES, 'no-cache-here') };

beforeAll(async () => {
  await selectBackend('wasm');
});

describe('shipped models', () => {
  it('lists the shipped models, the conditional Char-RNN as default, each with its data licence', async () => {
    const models = await listModels(paths);
    expect(models.map((m) => [m.id, m.kindLabel, m.source, m.isDefault, m.hasPlagiarismIndex, m.capabilities.includes('condition')])).toEqual([
      ['piano-char-rnn', 'Char-RNN', 'shipped', false, true, false],
      ['piano-conditional-char-rnn', 'Conditional Char-RNN', 'shipped', true, true, true],
      ['piano-dcrnn', 'DCRNN', 'shipped', false, true, true],
      ['piano-refine-net', 'Refine Net', 'shipped', false, false, false],
    ]);
    expect((await resolveModel(undefined, paths)).id).toBe(DEFAULT_MODEL_ID);
    for (const m of models) expect(m.data?.licence).toMatch(/CC BY-SA 3.0 DE, Bernd Krueger/);
    const [vanilla, conditional] = models;
    for (const m of [vanilla!, conditional!]) expect(m.metrics.validNll).toBeLessThan(3);
    // The study's ordering: conditioning lowers the cross-entropy.
    expect(conditional!.metrics.validNll!).toBeLessThan(vanilla!.metrics.validNll!);
  });

  it('loads without optimizer state and generates the same music from the same seed, checked for copying', async () => {
    const info = await resolveModel(DEFAULT_MODEL_ID, paths);
    const params = { seed: 3, seconds: 3, key: 'A minor' };
    const host = new ModelHostCore();
    const a = await host.generate(info.dir, params, {});
    host.dispose();
    // A fresh host loads the model again: the notes come from the seed, not from state left over.
    const again = new ModelHostCore();
    const b = await again.generate(info.dir, params, {});
    again.dispose();
    expect(a.sequence.notes.length).toBeGreaterThan(5);
    expect(a.sequence.notes).toEqual(b.sequence.notes);
    expect(a.plagiarism?.queryLength).toBe(a.sequence.notes.length);
    const manifest = await readManifest(info.dir);
    const index = await loadPlagiarismIndex(info.dir, manifest);
    expect(index?.pieceCount).toBe(manifest.data?.trainPieces);
  });
});

describe('model folder paths', () => {
  it('refuses a plagiarism index named outside the model folder, without reading it', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'model-paths-'));
    try {
      const copy = join(dir, 'copy');
      await cp(join(RESOURCES, 'models', 'piano-char-rnn'), copy, { recursive: true });
      const manifest = JSON.parse(await readFile(join(copy, 'model.json'), 'utf8')) as Record<string, unknown>;
      for (const bad of ['../../../../etc/passwd', '/etc/passwd', '..']) {
        await writeFile(join(copy, 'model.json'), JSON.stringify({ ...manifest, plagiarismIndex: bad }));
        const m = await readManifest(copy);
        const err = await loadPlagiarismIndex(copy, m).catch((e: unknown) => e);
        expect(err, bad).toBeInstanceOf(ModelPathError);
        expect(String((err as Error).message)).not.toMatch(/root:/);
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('never reads an id that looks like a path as a folder unless the caller allows folders (the CLI)', async () => {
    for (const id of ['.', '..', './resources/models/piano-char-rnn', '../main']) {
      await expect(resolveModel(id, paths)).rejects.toThrow(/no model/);
    }
    expect((await resolveModel(join(RESOURCES, 'models', 'piano-char-rnn'), paths, { allowFolder: true })).id).toBe('piano-char-rnn');
  });
});
