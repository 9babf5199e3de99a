// Unit tests of the ABC reader: one small tune per notation feature, with the pitches and ticks abc2midi gives.
import { describe, expect, it } from 'vitest';
import { AbcParseError } from './errors';
import { parseAbc, parseAbcFile } from './parse';
import type { AbcTune } from './types';

/** [pitch, startTick, endTick] of the melody at ppq 480 (a quarter is 480, L:1/8 is 240). */
function melody(body: string, header = 'M:4/4\nL:1/8\nK:C'): number[][] {
  return notesOf(tune(`X:1\nT:t\n${header}\n${body}\n`));
}

function tune(text: string): AbcTune {
  const tunes = parseAbc(text, { strict: true });
  expect(tunes).toHaveLength(1);
  return tunes[0]!;
}

function notesOf(t: AbcTune): number[][] {
  return t.sequence.notes.filter((n) => n.track === 0).map((n) => [n.pitch, n.startTick, n.endTick]);
}

const pitches = (body: string, header?: string): number[] => melody(body, header).map((n) => n[0]!);
const lengths = (body: string, header?: string): number[] => melody(body, header).map((n) => n[2]! - n[1]!);

describe('header fields', () => {
  it('reads X, T, M, L, Q and K', () => {
    const t = tune('X:7\nT:Title one\nT:Second title\nM:6/8\nL:1/16\nQ:3/8=40\nR:Jig\nK:Dmix\nA');
    expect(t.referenceNumber).toBe(7);
    expect(t.title).toBe('Title one');
    expect(t.fields.T).toBe('Second title');
    expect(t.fields.R).toBe('Jig');
    expect(t.meter).toEqual({ numerator: 6, denominator: 8 });
    expect(t.unitLength).toEqual({ numerator: 1, denominator: 16 });
    expect(t.tempo.bpm).toBeCloseTo(60);
    expect(t.key).toMatchObject({ tonic: 2, mode: 'mixolydian', fifths: 1 });
    expect(t.sequence.tempos[0]).toEqual({ tick: 0, bpm: 60 });
    expect(t.sequence.timeSignatures[0]).toEqual({ tick: 0, numerator: 6, denominator: 8 });
    expect(t.sequence.keySignatures[0]).toEqual({ tick: 0, tonic: 2, mode: 'mixolydian' });
    expect(t.sequence.meta.title).toBe('Title one');
  });

  it('reads M:C and M:C| and takes the default L: from the meter', () => {
    expect(tune('X:1\nM:C\nK:C\nA').meter).toEqual({ numerator: 4, denominator: 4, symbol: 'C' });
    const cut = tune('X:1\nM:C|\nK:C\nA');
    expect(cut.meter).toEqual({ numerator: 2, denominator: 2, symbol: 'C|' });
    expect(cut.unitLength).toEqual({ numerator: 1, denominator: 8 });
    expect(tune('X:1\nM:2/4\nK:C\nA').unitLength).toEqual({ numerator: 1, denominator: 16 });
    expect(tune('X:1\nK:C\nA').unitLength).toEqual({ numerator: 1, denominator: 8 });
  });

  it('reads Q: forms: beat=rate, a plain number (crotchets, as abc2midi 4.84), C= relative, names, and defaults to 120', () => {
    expect(tune('X:1\nL:1/8\nQ:1/4=100\nK:C\nA').tempo.bpm).toBe(100);
    expect(tune('X:1\nL:1/8\nQ:120\nK:C\nA').tempo.bpm).toBe(120);
    expect(tune('X:1\nL:1/8\nQ:"Allegretto"\nK:C\nA').tempo.bpm).toBe(112);
    expect(tune('X:1\nL:1/8\nQ:C3=60\nK:C\nA').tempo.bpm).toBe(90);
    expect(tune('X:1\nL:1/4\nQ:C=90\nK:C\nA').tempo.bpm).toBe(90);
    expect(tune('X:1\nQ:"Allegro" 1/2=80\nK:C\nA').tempo.bpm).toBe(160);
    expect(tune('X:1\nK:C\nA').tempo.bpm).toBe(120);
  });

  it('reads key modes and explicit accidentals', () => {
    const k = (v: string) => tune(`X:1\nK:${v}\nA`).key;
    expect(k('G')).toMatchObject({ tonic: 7, mode: 'major', fifths: 1 });
    expect(k('Am')).toMatchObject({ tonic: 9, mode: 'minor', fifths: 0 });
    expect(k('F#min')).toMatchObject({ tonic: 6, mode: 'minor', fifths: 3 });
    expect(k('Bb')).toMatchObject({ tonic: 10, fifths: -2 });
    expect(k('Ador')).toMatchObject({ mode: 'dorian', fifths: 1 });
    expect(k('E phr')).toMatchObject({ mode: 'phrygian', fifths: 0 });
    expect(k('F lyd')).toMatchObject({ mode: 'lydian', fifths: 0 });
    expect(k('Bloc')).toMatchObject({ mode: 'locrian', fifths: 0 });
    expect(k('Eaeo')).toMatchObject({ mode: 'minor', fifths: 1 });
    expect(k('Cion')).toMatchObject({ mode: 'major', fifths: 0 });
    expect(k('D ^g').accidentals).toMatchObject({ F: 1, C: 1, G: 1 });
    expect(k('D exp ^f').accidentals).toMatchObject({ F: 1, C: 0 });
    expect(pitches('F c B', 'K:Gm')).toEqual([65, 72, 70]);
  });
});

describe('notes and pitches', () => {
  it('reads octaves with , and \'', () => {
    expect(pitches("C, C c c' c'' B,,")).toEqual([48, 60, 72, 84, 96, 47]);
  });

  it('applies accidentals for the rest of the bar in every octave, then resets at the bar line', () => {
    expect(pitches('^F F f | F')).toEqual([66, 66, 78, 65]);
    expect(pitches('^^C _B __E =B B | B')).toEqual([62, 70, 62, 71, 71, 71]);
    expect(pitches('F =F F | F', 'K:G')).toEqual([66, 65, 65, 66]);
  });

  it('carries the accidental of a tied note across the bar line, as abc2midi does', () => {
    expect(melody('^G4-|G4 G4')).toEqual([
      [68, 0, 1920],
      [67, 1920, 2880],
    ]);
  });

  it('changes key mid-tune with inline [K:] and body K: lines', () => {
    expect(pitches('F [K:G] F | F\nK:F\nB')).toEqual([65, 66, 66, 70]);
    const t = tune('X:1\nL:1/8\nK:C\nA8|[K:D]A');
    expect(t.sequence.keySignatures).toEqual([
      { tick: 0, tonic: 0, mode: 'major' },
      { tick: 1920, tonic: 2, mode: 'major' },
    ]);
  });
});

describe('lengths and rhythm', () => {
  it('reads lengths A2 A/2 A/ A3/2 A// A3', () => {
    expect(lengths('A2 A/2 A/ A3/2 A// A3')).toEqual([480, 120, 120, 360, 60, 720]);
  });

  it('follows L: and M: changes in the body', () => {
    expect(lengths('A\nL:1/4\nA [L:1/16] A\nM:3/4\nA')).toEqual([240, 480, 120, 120]);
  });

  it('reads broken rhythm > < >> <<', () => {
    expect(lengths('A>B A<B A>>B A<<B')).toEqual([360, 120, 120, 360, 420, 60, 60, 420]);
  });

  it('swings eighth pairs in R:Hornpipe tunes, as abc2midi does', () => {
    expect(lengths('ABcd', 'M:4/4\nL:1/8\nR:Hornpipe\nK:C')).toEqual([320, 160, 320, 160]);
  });

  it('joins ties, also across bar lines, and leaves an unmatched tie as two notes', () => {
    expect(melody('A2-A2 B-|B C-D')).toEqual([
      [69, 0, 960],
      [71, 960, 1440],
      [60, 1440, 1680],
      [62, 1680, 1920],
    ]);
  });

  it('reads rests z and x and a multi-measure rest Z', () => {
    expect(melody('z2 A x A | Z2 | A')).toEqual([
      [69, 480, 720],
      [69, 960, 1200],
      [69, 1200 + 2 * 1920, 1440 + 2 * 1920],
    ]);
  });

  it('reads tuplets (3, (3:2:3, (2 and (5', () => {
    expect(lengths('(3ABc (3:2:3def')).toEqual([160, 160, 160, 160, 160, 160]);
    expect(lengths('(2AB', 'M:6/8\nL:1/8\nK:C')).toEqual([360, 360]);
    expect(lengths('(5ABcde')).toEqual([96, 96, 96, 96, 96]);
    expect(lengths('(3:2:2A2B (3ABc')).toEqual([320, 160, 160, 160, 160]);
  });

  it('reads chords with lengths; the chord lasts as long as its first note', () => {
    expect(melody('[CEG]2 [C2E2] [CE]/2 A')).toEqual([
      [60, 0, 480],
      [64, 0, 480],
      [67, 0, 480],
      [60, 480, 960],
      [64, 480, 960],
      [60, 960, 1080],
      [64, 960, 1080],
      [69, 1080, 1320],
    ]);
  });

  it('plays grace notes, ~ cuts and trills as short notes, as abc2midi 4.84 does; bowing and dynamics change nothing', () => {
    // Expected values are abc2midi's: a grace is a quarter of its written length, taken from the note after it.
    expect(melody('{[ce]g}A {g[ce]}B')).toEqual([
      [72, 0, 60], [76, 0, 60], [79, 60, 120], [69, 120, 240],
      [79, 240, 300], [72, 300, 360], [76, 300, 360], [71, 360, 480],
    ]);
    expect(melody('{ga}A {/g}B ~c !trill!d Te uA !p!B')).toEqual([
      [79, 0, 60], [81, 60, 120], [69, 120, 240], [79, 240, 300], [71, 300, 480], [74, 480, 540], [72, 540, 720],
      [76, 720, 780], [74, 780, 840], [76, 840, 900], [74, 900, 960], [77, 960, 1020], [76, 1020, 1080], [77, 1080, 1140], [76, 1140, 1200],
      [69, 1200, 1440], [71, 1440, 1680],
    ]);
    expect(tune('X:1\nL:1/8\nK:C\n{ga}A {/g}B ~c !trill!d Te uA !p!B\n').noteCounts).toEqual({ written: 7, grace: 3, ornament: 7 });
    // abc2midi plays a staccato note for half its length and holds a fermata twice as long.
    expect(melody('.A B HA')).toEqual([
      [69, 0, 120],
      [71, 240, 480],
      [69, 480, 960],
    ]);
  });

  it("keeps the written notes only with performance: 'written', and leaves graces out with graces: false (abc2midi -NGRA)", () => {
    const text = 'X:1\nL:1/8\nK:C\n{ga}A {/g}B ~c !trill!d Te uA .B HA\n';
    const written = parseAbc(text, { strict: true, performance: 'written' })[0]!;
    expect(notesOf(written)).toEqual([69, 71, 72, 74, 76, 69, 71, 69].map((p, i) => [p, 240 * i, 240 * (i + 1)]));
    expect(written.noteCounts).toEqual({ written: 8, grace: 0, ornament: 0 });
    const noGraces = parseAbc(text, { strict: true, graces: false })[0]!;
    // The ~ cut stays: abc2midi -NGRA leaves out {...} only.
    expect(noGraces.noteCounts).toEqual({ written: 8, grace: 0, ornament: 7 });
    expect(notesOf(noGraces).slice(0, 2)).toEqual([
      [69, 0, 240],
      [71, 240, 480],
    ]);
    expect(() => parseAbc(text, { performance: 'score' as 'written' })).toThrow(/performance must be/);
  });
});

describe('repeats', () => {
  it('unrolls |: :| and first and second endings', () => {
    expect(pitches('|: C D :| E |: F |1 G :|2 A |]')).toEqual([60, 62, 60, 62, 64, 65, 67, 65, 69]);
    expect(pitches('|: C [1 D :| [2 E || F')).toEqual([60, 62, 60, 64, 65]);
  });

  it('unrolls :: as end and start of repeats', () => {
    expect(pitches('|: C :: D :| E')).toEqual([60, 60, 62, 62, 64]);
  });

  it('repeats from the start, anacrusis included, when |: is missing', () => {
    expect(pitches('B | C D :| E')).toEqual([71, 60, 62, 71, 60, 62, 64]);
  });

  it('repeats from the last || when a later section has no |:', () => {
    expect(pitches('|: C :| D || E :| F')).toEqual([60, 60, 62, 64, 64, 65]);
  });

  it('plays parts in the order of a P: field in the header', () => {
    expect(pitches('P:A\nC D|\nP:B\nE F|', 'P:ABA\nL:1/8\nK:C')).toEqual([60, 62, 64, 65, 60, 62]);
    expect(pitches('P:A\nC|\nP:B\nD|', 'P:AB2\nL:1/8\nK:C')).toEqual([60, 62, 62]);
  });

  it('does not crash on unbalanced repeats', () => {
    expect(pitches('|: C :| :| :| D')).toEqual([60, 60, 62]);
    // Expected values are what abc2midi 4.84 plays for these inputs.
    expect(pitches(':| C |: D |: E |2 F :: :|')).toEqual([60, 62, 62, 64]);
    expect(pitches('[2 C |1 D :|3 E')).toEqual([62, 60]);
  });
});

describe('text handling', () => {
  it('ignores comments, line continuations, lyrics and other body fields', () => {
    expect(pitches('C D % a comment with | bars\nw: some lyrics\nE \\\nF\n%%MIDI program 1\nN:note\nG')).toEqual([60, 62, 64, 65, 67]);
  });

  it('reads several tunes and keeps going past a bad one', () => {
    const text = 'free text\n\nX:1\nT:one\nK:C\nC\n\nX:2\nT:bad, no K:\nM:4/4\n\nX:3\nT:three\nK:G\nF\n';
    const { tunes, errors } = parseAbcFile(text);
    expect(tunes.map((t) => t.referenceNumber)).toEqual([1, 3]);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toBeInstanceOf(AbcParseError);
    expect(errors[0]!.name).toBe('AbcParseError');
    expect(errors[0]!.details).toMatchObject({ tune: 2, line: 8 });
    expect(() => parseAbc(text, { strict: true })).toThrow(AbcParseError);
    const seen: AbcParseError[] = [];
    expect(parseAbc(text, { onError: (e) => seen.push(e) })).toHaveLength(2);
    expect(seen).toHaveLength(1);
  });

  it('warns about characters it cannot read instead of failing', () => {
    const t = tune('X:1\nK:C\nC # D ?\n');
    expect(notesOf(t).map((n) => n[0])).toEqual([60, 62]);
    expect(t.warnings.some((w) => w.includes('unrecognized character: #'))).toBe(true);
  });
});

describe('chord symbols', () => {
  it('parses chord symbols and adds an accompaniment track', () => {
    const t = tune('X:1\nM:4/4\nL:1/4\nK:C\n"Am"A B "G7"c d|"D/F#"e4|"C/e"c2 "Cd"B2|\n');
    expect(t.chords.map((c) => [c.symbol, c.root, c.quality, c.bass, c.startTick, c.endTick])).toEqual([
      ['Am', 9, 'minor', undefined, 0, 960],
      ['G7', 7, 'dominant7', undefined, 960, 1920],
      ['D/F#', 2, 'major', 6, 1920, 3840],
      ['C/e', 0, 'major', 4, 3840, 4800],
      ['Cd', 0, 'diminished', undefined, 4800, 5760],
    ]);
    expect(t.chords[0]!.pitches).toEqual([57, 60, 64]);
    expect(t.chords[2]!.pitches).toEqual([42, 50, 54, 57]);
    expect(t.sequence.tracks.map((tr) => tr.name)).toEqual(['Melody', 'Chords']);
    const acc = t.sequence.notes.filter((n) => n.track === 1);
    expect(acc.filter((n) => n.startTick === 0).map((n) => n.pitch)).toEqual([57, 60, 64]);
  });

  it('has no accompaniment track without chord symbols, and ignores annotations', () => {
    const t = tune('X:1\nK:C\n"^fine"A "_text"B\n');
    expect(t.chords).toEqual([]);
    expect(t.sequence.tracks).toHaveLength(1);
  });

  it('places chord symbols in played order through repeats', () => {
    const t = tune('X:1\nL:1/4\nK:C\n|:"G"G2 "D7"A2:|\n');
    expect(t.chords.map((c) => [c.symbol, c.startTick])).toEqual([
      ['G', 0],
      ['D7', 960],
      ['G', 1920],
      ['D7', 2880],
    ]);
  });
});
