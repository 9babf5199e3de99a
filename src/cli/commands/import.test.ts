// `deep-symphony import` run in-process on a small folder: summary, skipped files, JSON output, flags and errors.
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CliIO } from '../command';
import { main } from '../index';
import { defaultDatasetCache, parseStretch, parseTranspose } from './import';

const fixtures = new URL('../../../tests/fixtures/', import.meta.url).pathname;
let root: string;
let folder: string;
let cacheDir: string;

function fakeIO() {
  const out: string[] = [];
  const err: string[] = [];
  const progress: string[] = [];
  const io: CliIO = { out: (l) => out.push(l), err: (l) => err.push(l), progress: (t) => progress.push(t), signal: new AbortController().signal };
  return { io, out, err, progress };
}

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'cli-import-'));
  folder = join(root, 'music');
  cacheDir = join(root, 'cache');
  mkdirSync(join(folder, 'piano'), { recursive: true });
  for (const f of ['haydn_7_1.mid', 'haydn_8_1.mid', 'mond_1.mid']) cpSync(join(fixtures, 'piano', f), join(folder, 'piano', f));
  cpSync(join(fixtures, 'nottingham/xmas.abc'), join(folder, 'xmas.abc'));
  writeFileSync(join(folder, 'broken.mid'), new Uint8Array([0x4d, 0x54, 0x68, 0x64, 0, 0, 0, 6, 0, 1]));
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('deep-symphony import', () => {
  it('imports a folder and prints the summary with the skipped file', async () => {
    const { io, out, progress } = fakeIO();
    expect(await main(['import', folder, '--cache', cacheDir], io)).toBe(0);
    const text = out.join('\n');
    expect(text).toMatch(/\(imported\)/);
    expect(text).toMatch(/files +5\n/);
    expect(text).toMatch(/pieces +16 +\(train \d+, valid \d+, test \d+\)/);
    expect(text).toMatch(/notes +[\d,]+/);
    expect(text).toMatch(/events +[\d,]+/);
    expect(text).toMatch(/skipped +1\n +broken\.mid: MidiFormatError: /);
    expect(progress.some((p) => /importing \d+%/.test(p))).toBe(true);
  });

  it('prints JSON, loads from cache the second time, and augments with flags', async () => {
    const again = fakeIO();
    expect(await main(['import', folder, '--cache', cacheDir, '--json'], again.io)).toBe(0);
    const summary = JSON.parse(again.out.join(''));
    expect(summary.fromCache).toBe(true);
    expect(summary.summary).toMatchObject({ files: 5, pieces: 16, skipped: 1 });
    expect(summary.skipped).toEqual([{ file: 'broken.mid', error: 'MidiFormatError', message: expect.any(String) }]);
    const { train, valid, test } = summary.summary.bySplit;
    expect(train.pieces + valid.pieces + test.pieces).toBe(16);

    const aug = fakeIO();
    expect(await main(['import', folder, '--cache', cacheDir, '--transpose', '-1..1', '--stretch', '0.95,1.05', '--json'], aug.io)).toBe(0);
    const a = JSON.parse(aug.out.join(''));
    expect(a.fromCache).toBe(false);
    expect(a.options.augment).toEqual({ transpose: [-1, 0, 1], stretch: [0.95, 1, 1.05] });
    expect(a.summary.bySplit.train.variants).toBe(train.pieces * 9);
    expect(a.summary.bySplit.valid.variants).toBe(valid.pieces);
  });

  it('explains a missing folder, a folder without music and bad flags', async () => {
    const missing = fakeIO();
    expect(await main(['import', join(root, 'nowhere'), '--cache', cacheDir], missing.io)).toBe(1);
    expect(missing.err.join('\n')).toMatch(/DatasetFolderError: ".*nowhere" is not a folder/);

    const emptyDir = join(root, 'empty');
    mkdirSync(emptyDir);
    const empty = fakeIO();
    expect(await main(['import', emptyDir, '--cache', cacheDir], empty.io)).toBe(1);
    expect(empty.err.join('\n')).toMatch(/NoMusicFilesError: .* holds no music files \(\.mid, \.midi, \.kar or \.abc\)/);

    const none = fakeIO();
    expect(await main(['import'], none.io)).toBe(2);
    expect(none.err.join('\n')).toMatch(/expected one folder, got none/);

    const bad = fakeIO();
    expect(await main(['import', folder, '--transpose', 'up'], bad.io)).toBe(2);
    expect(bad.err.join('\n')).toMatch(/--transpose takes whole semitones/);
  });

  it('parses flag values and the default cache folder', () => {
    expect(parseTranspose('-3..3')).toEqual([-3, -2, -1, 0, 1, 2, 3]);
    expect(parseTranspose('-2,0,2')).toEqual([-2, 0, 2]);
    expect(() => parseTranspose('3..-3')).toThrow(/backwards/);
    expect(parseStretch('0.95,1.05')).toEqual([0.95, 1.05]);
    expect(() => parseStretch('0,1')).toThrow(/positive/);
    expect(defaultDatasetCache({ DEEP_SYMPHONY_CACHE: '/x/cache' })).toBe('/x/cache/datasets');
    expect(defaultDatasetCache({})).toMatch(/\.cache\/deep-symphony\/datasets$/);
  });
});
