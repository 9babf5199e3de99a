// Dataset import: pieces and splits, skipped files, cache reuse and invalidation, augmentation, loading, cancel.
import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CancelledError } from '../../../shared/errors';
import { parseAbc } from '../abc';
import { importMidi } from '../midi';
import { encodePerformance, VOCAB_SIZE } from '../performance';
import { importDataset, loadDataset, splitOfHash, splitTokens } from '.';
import { DATASET_FORMAT_VERSION, DatasetFolderError, DatasetNotFoundError, NoMusicFilesError, type Dataset } from './types';

const fixtures = new URL('../../../../tests/fixtures/', import.meta.url).pathname;
let root: string;
let folder: string;
let cacheDir: string;
let first: Dataset;

/** Three piano pieces (one in a sub-folder), one ABC file of 13 tunes, one garbage .mid, one ignored .txt. */
function makeFolder(dir: string): void {
  mkdirSync(join(dir, 'haydn'), { recursive: true });
  cpSync(join(fixtures, 'piano/haydn_7_1.mid'), join(dir, 'haydn/haydn_7_1.mid'));
  cpSync(join(fixtures, 'piano/haydn_8_1.mid'), join(dir, 'haydn/haydn_8_1.MID'));
  cpSync(join(fixtures, 'piano/mond_1.mid'), join(dir, 'mond_1.midi'));
  cpSync(join(fixtures, 'nottingham/xmas.abc'), join(dir, 'xmas.abc'));
  writeFileSync(join(dir, 'garbage.mid'), 'this is not a MIDI file at all');
  writeFileSync(join(dir, 'notes.txt'), 'not music');
}

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'ds-import-'));
  folder = join(root, 'music');
  cacheDir = join(root, 'cache');
  makeFolder(folder);
  first = await importDataset(folder, { cacheDir });
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('importDataset', () => {
  it('imports MIDI files and each ABC tune as a piece, recursively', () => {
    expect(first.fromCache).toBe(false);
    expect(first.summary.files).toBe(5);
    const files = [...new Set(first.pieces.map((p) => p.file))].sort();
    expect(files).toEqual(['haydn/haydn_7_1.mid', 'haydn/haydn_8_1.MID', 'mond_1.midi', 'xmas.abc']);
    const tunes = first.pieces.filter((p) => p.file === 'xmas.abc');
    expect(tunes).toHaveLength(13);
    expect(new Set(tunes.map((p) => p.id)).size).toBe(13);
    expect(tunes.every((p) => p.title && p.id.startsWith('xmas.abc#'))).toBe(true);
    expect(first.summary.pieces).toBe(16);
    expect(first.summary.bySplit.train.pieces + first.summary.bySplit.valid.pieces + first.summary.bySplit.test.pieces).toBe(16);
  });

  it('skips a bad file with its error, without stopping', () => {
    expect(first.skipped).toHaveLength(1);
    expect(first.skipped[0]).toMatchObject({ file: 'garbage.mid', error: 'MidiFormatError' });
    expect(first.skipped[0]!.message.length).toBeGreaterThan(0);
    expect(first.summary.skipped).toBe(1);
  });

  it('stores the Performance encoding of each piece, with consistent counts', () => {
    const mond = first.pieces.find((p) => p.id === 'mond_1.midi')!;
    const seq = importMidi(readFileSync(join(folder, 'mond_1.midi')));
    expect(Array.from(first.tokensOf(mond))).toEqual(Array.from(encodePerformance(seq, { sustain: 'extend' })));
    expect(mond.noteCount).toBe(seq.notes.length);
    expect(mond.seconds).toBeGreaterThan(300);
    const sum = (f: (p: (typeof first.pieces)[number]) => number) => first.pieces.reduce((a, p) => a + f(p), 0);
    expect(first.summary.events).toBe(sum((p) => p.tokenCount));
    expect(first.summary.notes).toBe(sum((p) => p.noteCount));
  });

  it('splits deterministically by content, about 80/10/10', () => {
    let counts = { train: 0, valid: 0, test: 0 };
    for (let i = 0; i < 10_000; i++) counts[splitOfHash(((i * 2654435761) >>> 0).toString(16).padStart(8, '0'))]++;
    expect(counts.train / 10_000).toBeCloseTo(0.8, 1);
    expect(counts.valid / 10_000).toBeCloseTo(0.1, 1);
    counts = { train: 0, valid: 0, test: 0 };
    for (const p of first.pieces) counts[p.split]++;
    expect(counts.train).toBeGreaterThan(0);
  });

  it('loads the second import of an unchanged folder from the cache', async () => {
    const t0 = performance.now();
    const again = await importDataset(folder, { cacheDir });
    const ms = performance.now() - t0;
    expect(again.fromCache).toBe(true);
    expect(again.cacheKey).toBe(first.cacheKey);
    expect(again.pieces).toEqual(first.pieces);
    expect(ms).toBeLessThan(1000);
    // Written atomically: only finished datasets in the cache, no temporary folders left.
    expect(readdirSync(cacheDir)).toEqual([first.cacheKey]);
  });

  it('keeps splits when files are renamed, and makes a new dataset when a file changes', async () => {
    const other = join(root, 'renamed');
    makeFolder(other);
    renameSync(join(other, 'mond_1.midi'), join(other, 'moonlight.mid'));
    const renamed = await importDataset(other, { cacheDir });
    expect(renamed.cacheKey).not.toBe(first.cacheKey);
    expect(renamed.pieces.find((p) => p.file === 'moonlight.mid')!.split).toBe(first.pieces.find((p) => p.file === 'mond_1.midi')!.split);
    for (const p of first.pieces.filter((q) => q.file === 'xmas.abc')) expect(renamed.pieces.find((q) => q.id === p.id)!.split).toBe(p.split);
    // One content under many names: a name-based split would scatter these.
    const copies = join(root, 'copies');
    mkdirSync(copies);
    for (let i = 0; i < 12; i++) cpSync(join(folder, 'mond_1.midi'), join(copies, `copy-${i}.mid`));
    const same = await importDataset(copies, { cacheDir });
    expect(new Set(same.pieces.map((p) => p.split))).toEqual(new Set([first.pieces.find((p) => p.file === 'mond_1.midi')!.split]));

    writeFileSync(join(other, 'xmas.abc'), readFileSync(join(other, 'xmas.abc'), 'utf8').replace(/^X: *1\b[^]*?(?=^X:)/m, ''));
    const changed = await importDataset(other, { cacheDir });
    expect(changed.fromCache).toBe(false);
    expect(changed.cacheKey).not.toBe(renamed.cacheKey);
    expect(changed.pieces.filter((p) => p.file === 'xmas.abc')).toHaveLength(12);
    // The other tunes keep their split: it comes from each tune's own content, not from the file.
    for (const p of changed.pieces.filter((q) => q.file === 'xmas.abc')) expect(p.split).toBe(renamed.pieces.find((q) => q.id === p.id)!.split);
  });

  it('augments the train split only, and the options are part of the cache key', async () => {
    const aug = await importDataset(folder, { cacheDir, augment: { transpose: [-1, 1], stretch: [0.9] } });
    expect(aug.cacheKey).not.toBe(first.cacheKey);
    const copies = aug.pieces.filter((p) => p.augmentation);
    expect(copies.every((p) => p.split === 'train')).toBe(true);
    const train = aug.pieces.filter((p) => p.split === 'train' && !p.augmentation);
    // 3 transpositions x 2 tempi, minus the original.
    expect(copies).toHaveLength(train.length * 5);
    expect(aug.summary.bySplit.train.variants).toBe(train.length * 6);
    expect(aug.summary.pieces).toBe(first.summary.pieces);
    const base = train[0]!;
    const up = aug.pieces.find((p) => p.id === `${base.id}@+1x1`)!;
    const a = aug.tokensOf(base);
    const b = aug.tokensOf(up);
    expect(b.length).toBe(a.length);
    // Note-on tokens move up by one semitone, everything else stays.
    for (let i = 0; i < a.length; i++) expect(b[i]).toBe(a[i]! < 256 ? a[i]! + 1 : a[i]);
    const slow = aug.pieces.find((p) => p.id === `${base.id}@+0x0.9`)!;
    expect(slow.seconds).toBeCloseTo(base.seconds / 0.9);
    expect(splitTokens(aug, 'train')).toHaveLength(train.length * 6);
    expect(splitTokens(aug, 'valid')).toHaveLength(aug.summary.bySplit.valid.pieces);
  });

  it('loads a dataset by key and reports missing or unusable caches', async () => {
    const loaded = await loadDataset(cacheDir, first.cacheKey);
    expect(loaded.summary).toEqual(first.summary);
    for (const p of loaded.pieces) expect(Array.from(loaded.tokensOf(p))).toEqual(Array.from(first.tokensOf(p)));
    await expect(loadDataset(cacheDir, '0'.repeat(32))).rejects.toThrow(DatasetNotFoundError);
    const broken = join(root, 'broken-cache');
    cpSync(join(cacheDir, first.cacheKey), join(broken, first.cacheKey), { recursive: true });
    writeFileSync(join(broken, first.cacheKey, 'train.u16'), new Uint8Array(3));
    await expect(loadDataset(broken, first.cacheKey)).rejects.toThrow(/train.u16 has 3 bytes/);
    // Importing again over the damaged cache rebuilds it.
    const rebuilt = await importDataset(folder, { cacheDir: broken });
    expect(rebuilt.fromCache).toBe(false);
    expect(rebuilt.cacheKey).toBe(first.cacheKey);
    expect((await loadDataset(broken, first.cacheKey)).summary).toEqual(first.summary);
  });

  it('rejects a missing folder and a folder without music', async () => {
    await expect(importDataset(join(root, 'nope'), { cacheDir })).rejects.toThrow(DatasetFolderError);
    const empty = join(root, 'empty');
    mkdirSync(empty);
    writeFileSync(join(empty, 'readme.txt'), 'hello');
    await expect(importDataset(empty, { cacheDir })).rejects.toThrow(NoMusicFilesError);
  });

  it('stops when cancelled and leaves nothing behind', async () => {
    const controller = new AbortController();
    const cache = join(root, 'cancel-cache');
    const seen: number[] = [];
    const run = importDataset(folder, {
      cacheDir: cache,
      signal: controller.signal,
      onProgress: (p) => {
        seen.push(p.fraction);
        if (p.fraction > 0.2) controller.abort();
      },
    });
    await expect(run).rejects.toThrow(CancelledError);
    expect(seen.length).toBeGreaterThan(0);
    expect(existsSync(cache) ? readdirSync(cache) : []).toEqual([]);
  });
});

describe('importDataset with ABC grace notes and ornaments', () => {
  it('plays graces and ornaments as short notes and counts them in the summary, also when loaded from the cache', async () => {
    const dir = join(root, 'fiddle');
    mkdirSync(dir);
    for (const f of ['graces.abc', 'rolls.abc', 'roll-trill.abc']) cpSync(join(fixtures, 'abc-features', f), join(dir, f));
    const tunes = ['graces.abc', 'rolls.abc', 'roll-trill.abc'].flatMap((f) => parseAbc(readFileSync(join(dir, f), 'utf8')));
    const grace = tunes.reduce((s, t) => s + t.noteCounts.grace, 0);
    const ornament = tunes.reduce((s, t) => s + t.noteCounts.ornament, 0);
    expect(grace).toBeGreaterThan(10);
    expect(ornament).toBeGreaterThan(50);
    const cache = join(root, 'fiddle-cache');
    const imported = await importDataset(dir, { cacheDir: cache });
    expect(imported.summary.abc).toEqual({ tunes: tunes.length, graceNotes: grace, ornamentNotes: ornament });
    // Every played note is in the pieces' note counts, graces and ornament notes included.
    const played = tunes.reduce((s, t) => s + t.sequence.notes.filter((n) => n.track === 0).length, 0);
    expect(imported.summary.notes).toBe(played);
    const again = await importDataset(dir, { cacheDir: cache });
    expect(again.fromCache).toBe(true);
    expect(again.summary.abc).toEqual(imported.summary.abc);
  });

  it('keys a folder with ABC files by the ABC reader version too, and a MIDI-only folder as before', async () => {
    // The key as it was computed before the ABC reader had a version: sha256 of version, vocabulary, options and files.
    const oldKey = (dir: string, files: string[], d: Dataset): string =>
      createHash('sha256')
        .update(JSON.stringify({ version: DATASET_FORMAT_VERSION, vocab: VOCAB_SIZE, options: d.options, files: files.map((f) => [f, createHash('sha256').update(readFileSync(join(dir, f))).digest('hex')]) }))
        .digest('hex')
        .slice(0, 32);
    const midiOnly = join(root, 'midi-only');
    mkdirSync(midiOnly);
    cpSync(join(fixtures, 'piano/mond_1.mid'), join(midiOnly, 'mond_1.mid'));
    const withAbc = join(root, 'with-abc');
    mkdirSync(withAbc);
    cpSync(join(fixtures, 'abc-features/graces.abc'), join(withAbc, 'graces.abc'));
    const a = await importDataset(midiOnly, { cacheDir: join(root, 'key-cache') });
    const b = await importDataset(withAbc, { cacheDir: join(root, 'key-cache') });
    expect(a.summary.abc).toEqual({ tunes: 0, graceNotes: 0, ornamentNotes: 0 });
    expect(a.cacheKey).toBe(oldKey(midiOnly, ['mond_1.mid'], a));
    expect(b.cacheKey).not.toBe(oldKey(withAbc, ['graces.abc'], b));
  });
});
