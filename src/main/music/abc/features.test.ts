// The ABC feature corpus (tests/fixtures/abc-features): every tune checked note for note against abc2midi, with the differences we keep on purpose.
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compareWithReference, conformance, convertWithAbc2midi, melodyOf, readReference, type Reference } from './abc2midi';
import { AbcParseError, AbcUnsupportedError } from './errors';
import { parseAbc, parseAbcFile, splitTunes } from './parse';
import type { AbcTune } from './types';

const CORPUS = fileURLToPath(new URL('../../../../tests/fixtures/abc-features/', import.meta.url));
const FILES = readdirSync(CORPUS)
  .filter((f) => f.endsWith('.abc'))
  .sort();

/**
 * Tunes where this reader differs from abc2midi on purpose, with the reason; each is tested below to differ only so.
 * abc2midi keeps %%MIDI transpose, trim and expand (and a header K: transpose=) from one tune to the next tunes of
 * the same file; this reader reads every tune on its own, so a tune plays the same alone or in a collection.
 */
const DIFFERENCES: Record<string, string> = {
  'cross-tune.abc X:2': "abc2midi transposes it by the previous tune's %%MIDI transpose 2",
  'cross-tune.abc X:3': "abc2midi transposes it by the first tune's %%MIDI transpose 2",
  'cross-tune.abc X:4': "abc2midi transposes it and expands its notes by the earlier tunes' %%MIDI transpose and expand",
};

/** Files whose feature changes what is played: the default (abc2midi) performance must differ from the written notes. */
const PERFORMED = ['graces.abc', 'grace-settings.abc', 'rolls.abc', 'roll-trill.abc', 'midi-articulation.abc', 'midi-ratio.abc', 'transpose.abc'];

interface Converted {
  file: string;
  text: string;
  tunes: AbcTune[];
  noGraces: AbcTune[];
  ref: Map<number, Reference>;
  refNoGraces: Map<number, Reference>;
}

const work = mkdtempSync(join(tmpdir(), 'abc-features-'));
const converted = new Map<string, Converted>();

beforeAll(async () => {
  const queue = [...FILES];
  const convertOne = async (file: string): Promise<void> => {
    const text = readFileSync(join(CORPUS, file), 'utf8');
    const stem = file.replace(/\.abc$/, '');
    const read = (mids: Map<number, string>): Map<number, Reference> => new Map([...mids].map(([x, path]) => [x, readReference(path)]));
    const ref = read(await convertWithAbc2midi(text, stem, work));
    const refNoGraces = read(await convertWithAbc2midi(text, `${stem}-ngra`, work, { graces: false }));
    converted.set(file, { file, text, tunes: parseAbc(text, { strict: true }), noGraces: parseAbc(text, { strict: true, graces: false }), ref, refNoGraces });
  };
  // Two at a time for two cores.
  await Promise.all([0, 1].map(async () => {
    for (let f = queue.shift(); f !== undefined; f = queue.shift()) await convertOne(f);
  }));
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('the ABC feature corpus against abc2midi 4.84', () => {
  it('has a tune for each feature of issue 11, every one read without error', () => {
    expect(FILES.length).toBeGreaterThanOrEqual(30);
    for (const c of converted.values()) {
      expect(c.tunes.length, c.file).toBe(splitTunes(c.text).length);
      expect(c.tunes.length, c.file).toBeGreaterThan(0);
    }
  });

  for (const file of FILES) {
    it(`${file}: every tune matches abc2midi note for note, with grace notes and without (-NGRA)`, () => {
      const c = converted.get(file)!;
      for (const [tunes, refs, mode] of [
        [c.tunes, c.ref, 'default'],
        [c.noGraces, c.refNoGraces, 'graces: false'],
      ] as const) {
        for (const tune of tunes) {
          const name = `${file} X:${tune.referenceNumber}`;
          const ref = refs.get(tune.referenceNumber);
          expect(ref, `${name}: abc2midi wrote no file`).toBeDefined();
          const diff = compareWithReference(tune, ref!);
          if (DIFFERENCES[name] !== undefined) expect(diff, `${name} (${mode}) should differ: ${DIFFERENCES[name]}`).not.toBeNull();
          else expect(diff?.message ?? null, `${name} (${mode})`).toBeNull();
        }
      }
    });
  }

  it('differs from abc2midi on later tunes of a file only by what abc2midi carried over: read alone, abc2midi agrees', async () => {
    const c = converted.get('cross-tune.abc')!;
    const alone = splitTunes(c.text);
    let checked = 0;
    for (const tune of c.tunes) {
      const t = alone.find((a) => a.referenceNumber === tune.referenceNumber)!;
      const text = [`X:${t.referenceNumber}`, ...t.lines.map((l) => l.text)].join('\n');
      const mid = (await convertWithAbc2midi(text, `alone${t.referenceNumber}`, work)).get(t.referenceNumber)!;
      expect(compareWithReference(tune, readReference(mid)), `X:${tune.referenceNumber} alone`).toBeNull();
      checked++;
    }
    expect(checked).toBe(4);
    // And in the file, abc2midi plays X:2 two semitones up: the transposition of X:1 carried over.
    const x2 = c.tunes.find((t) => t.referenceNumber === 2)!;
    expect(c.ref.get(2)!.notes.map((n) => n.pitch)).toEqual(melodyOf(x2).map((n) => n.pitch + 2));
  });

  it('exercises what each performed feature changes: abc2midi plays other notes than the written ones', () => {
    for (const file of PERFORMED) {
      const c = converted.get(file)!;
      const written = parseAbc(c.text, { strict: true, performance: 'written' });
      const differs = c.tunes.some((t, i) => JSON.stringify(melodyOf(t)) !== JSON.stringify(melodyOf(written[i]!)));
      expect(differs, file).toBe(true);
    }
  });
});

describe('the conformance run of scripts/abc-conformance.ts', () => {
  it('counts the agreeing tunes of a folder and groups the others by cause', async () => {
    const report = await conformance([join(CORPUS, 'graces.abc'), join(CORPUS, 'cross-tune.abc')]);
    expect(report.tunes).toBe(7);
    expect(report.matched).toBe(4);
    expect(report.causes).toHaveLength(2);
    expect(report.causes[0]!.cause).toMatch(/^carried over from X:1 by abc2midi/);
    expect(report.causes[0]!.tunes.map((t) => t.referenceNumber)).toEqual([2, 3]);
    expect(report.results.filter((r) => r.difference === null).map((r) => `${r.file} X:${r.referenceNumber}`)).toEqual([
      'graces.abc X:1', 'graces.abc X:2', 'graces.abc X:3', 'cross-tune.abc X:1',
    ]);
  });
});

describe("performance: 'written' (the written notes only)", () => {
  it('gives every tune of the corpus exactly its written notes: no grace or ornament notes, as many notes as the performance has written ones', () => {
    for (const c of converted.values()) {
      const written = parseAbc(c.text, { strict: true, performance: 'written' });
      written.forEach((w, i) => {
        const performed = c.tunes[i]!;
        expect(w.noteCounts.grace + w.noteCounts.ornament, `${c.file} X:${w.referenceNumber}`).toBe(0);
        expect(w.melody.length, `${c.file} X:${w.referenceNumber}`).toBe(performed.noteCounts.written);
      });
    }
  });

  it('plays rolls, trills and cuts as the plain written note, at its written length', () => {
    const t = parseAbc('X:1\nM:4/4\nL:1/8\nK:D\n~d2 Te2 Rf2 {g}a2|.b2 Hc2 d4|]\n', { strict: true, performance: 'written' })[0]!;
    expect(t.melody.map((n) => [n.pitch, n.startTick, n.endTick])).toEqual([
      [74, 0, 480], [76, 480, 960], [78, 960, 1440], [81, 1440, 1920],
      [83, 1920, 2400], [73, 2400, 2880], [74, 2880, 3840],
    ]);
  });

  it('counts grace and ornament notes in the default performance, each a short note of its own', () => {
    const graces = converted.get('graces.abc')!.tunes;
    expect(graces.every((t) => t.noteCounts.grace > 0)).toBe(true);
    for (const t of graces) expect(t.melody.filter((n) => n.origin === 'grace').every((n) => n.endTick - n.startTick <= 120)).toBe(true);
    const rolls = converted.get('roll-trill.abc')!.tunes;
    expect(rolls.every((t) => t.noteCounts.ornament > 0)).toBe(true);
  });
});

describe('what the reader cannot perform: a named error with the feature and its place', () => {
  const cases: Array<[string, string, string, number]> = [
    ['extended voice overlay (& ... &)', 'X:1\nK:C\nCDEF|(&GABc&)|\n', 'extended voice overlay', 3],
    ['a drum voice', 'X:1\nK:C\nCDEF|\n%%MIDI channel 10\nGABc|\n', '%%MIDI channel 10', 4],
    ['microtonal tuning', 'X:1\nK:C\n%%MIDI temperamentlinear 1200.0 700.0\nCDEF|\n', 'microtonal', 3],
    ['harp mode', 'X:1\nK:C\n%%MIDI harpmode 1\n~C2 D2|\n', '%%MIDI harpmode', 3],
    ['a transposing instrument (sound=)', 'X:1\nK:C\nV:1 sound=c C\nCDEF|\n', 'sound= in V:', 3],
  ];
  for (const [what, text, feature, line] of cases) {
    it(`refuses ${what} rather than play other notes`, () => {
      const { tunes, errors } = parseAbcFile(text);
      expect(tunes).toHaveLength(0);
      expect(errors).toHaveLength(1);
      const e = errors[0]!;
      expect(e).toBeInstanceOf(AbcUnsupportedError);
      expect(e).toBeInstanceOf(AbcParseError);
      expect(e.name).toBe('AbcUnsupportedError');
      expect((e as AbcUnsupportedError).feature).toContain(feature);
      expect(e.details.line).toBe(line);
      expect(e.details.column).toBeGreaterThan(0);
      expect(e.message).toMatch(new RegExp(`line ${line}, column \\d+: .*cannot be performed`));
    });
  }

  it('keeps the other tunes of the file', () => {
    const { tunes, errors } = parseAbcFile('X:1\nK:C\nCDEF|(&GABc&)|\n\nX:2\nK:C\nCDEF|\n');
    expect(tunes.map((t) => t.referenceNumber)).toEqual([2]);
    expect(errors.map((e) => e.details.tune)).toEqual([1]);
  });
});
