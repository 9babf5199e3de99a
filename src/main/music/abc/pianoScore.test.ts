// Tests of the piano score writer: grand staff, chords and ties, key spelling, pickups, and notes that read back exactly at the grid.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { quantizeForScore, SCORE_GRIDS } from '../../../shared/score';
import { emptySequence, type Note, type NoteSequence } from '../../../shared/song';
import { importMidi } from '../midi';
import { parseAbc } from './parse';
import { serializePianoAbc } from './pianoScore';
import { serializeAbc } from './serialize';

const PIANO = fileURLToPath(new URL('../../../../tests/fixtures/piano/', import.meta.url));
const NOTTINGHAM = fileURLToPath(new URL('../../../../tests/fixtures/nottingham/', import.meta.url));

const notesOf = (seq: NoteSequence): string[] =>
  seq.notes.filter((n) => !seq.tracks[n.track]?.isDrum).map((n) => `${n.pitch}@${n.startTick}-${n.endTick}`).sort();

function piece(notes: Array<[number, number, number]>, extra: Partial<NoteSequence> = {}): NoteSequence {
  const seq = emptySequence(480);
  seq.notes = notes.map(([pitch, startTick, endTick]): Note => ({ pitch, startTick, endTick, velocity: 80, track: 0 }));
  return { ...seq, ...extra };
}

describe('serializePianoAbc', () => {
  it('writes a grand staff with chords, ties over the bar line and rests, and reads back the same notes', () => {
    // Right hand: a D minor chord held across the bar line, then A; left hand: D2 and A2 under it.
    const seq = piece(
      [[62, 0, 2880], [65, 0, 2880], [69, 0, 2880], [69, 2880, 3840], [38, 0, 1920], [45, 1920, 3840]],
      { keySignatures: [{ tick: 0, tonic: 2, mode: 'minor' }] },
    );
    const { text, warnings } = serializePianoAbc(seq, { title: 'Chords' });
    expect(warnings).toEqual([]);
    expect(text).toContain('%%score {RH | LH}\nV:RH clef=treble\nV:LH clef=bass\nK:Dm\n');
    expect(text).toContain('[V:RH] [D-F-A-]8 | [DFA]4 A4 |]');
    expect(text).toContain('[V:LH] D,,8 | A,,8 |]');
    expect(notesOf(parseAbc(text, { strict: true })[0]!.sequence)).toEqual(notesOf(seq));
  });

  it('gives a note held under moving ones a second voice instead of a chain of ties', () => {
    // E4 held for a bar under a quarter-note line C5 D5 E5 F5.
    const seq = piece([[64, 0, 1920], [72, 0, 480], [74, 480, 960], [76, 960, 1440], [77, 1440, 1920]]);
    const { text } = serializePianoAbc(seq);
    expect(text).toContain('%%score (RH RH2)\nV:RH clef=treble\nV:RH2 clef=treble stem=down\n');
    expect(text).toContain('[V:RH] c2 d2 e2 f2 |]');
    expect(text).toContain('[V:RH2] E8 |]');
    expect(notesOf(parseAbc(text, { strict: true })[0]!.sequence)).toEqual(notesOf(seq));
  });

  it('spells notes in the key: B♭ in D minor without an accidental, its leading tone C♯ with one, and accidentals per bar', () => {
    const seq = piece([[70, 0, 480], [73, 480, 960], [73, 960, 1440], [72, 1440, 1920], [73, 1920, 2400]], { keySignatures: [{ tick: 0, tonic: 2, mode: 'minor' }] });
    const { text } = serializePianoAbc(seq);
    expect(text).toContain('[V:RH] B2 ^c2 c2 =c2 | ^c2 z6 |]');
    expect(notesOf(parseAbc(text, { strict: true })[0]!.sequence)).toEqual(notesOf(seq));
    const dFlat = serializePianoAbc(piece([[61, 0, 480], [68, 480, 960], [62, 960, 1440]], { keySignatures: [{ tick: 0, tonic: 1, mode: 'major' }] })).text;
    expect(dFlat).toContain('K:Db\n');
    expect(dFlat).toContain('[V:RH] D2 A2 =D2 z2 |]');
  });

  it('beams by beat: eighths and sixteenths within a beat are joined, beats are apart', () => {
    const sixteenths = Array.from({ length: 8 }, (_, i): [number, number, number] => [[72, 74, 76][i % 3]!, i * 120, i * 120 + 120]);
    const text = serializePianoAbc(piece([...sixteenths, [79, 960, 1200], [77, 1200, 1440]])).text;
    expect(text).toContain('[V:RH] c/2d/2e/2c/2 d/2e/2c/2d/2 gf z2 |]');
  });

  it('keeps a pickup as an upbeat: M:4/4 in the header, a one-beat first bar, and the same bars when read back', () => {
    const alderman = parseAbc(readFileSync(`${NOTTINGHAM}playford.abc`, 'utf8')).find((t) => t.title === "The Alderman's Hat")!;
    // The melody (track 0); the chord symbols' accompaniment is left out here.
    const seq = { ...alderman.sequence, notes: alderman.sequence.notes.filter((n) => n.track === 0) };
    expect(seq.timeSignatures.slice(0, 2)).toEqual([{ tick: 0, numerator: 1, denominator: 4 }, { tick: 480, numerator: 4, denominator: 4 }]);
    for (const text of [serializePianoAbc(seq).text, serializeAbc(seq)]) {
      expect(text).toContain('M:4/4\n');
      expect(text).not.toContain('M:1/4');
      const again = parseAbc(text, { strict: true })[0]!.sequence;
      expect(again.timeSignatures).toEqual(seq.timeSignatures);
    }
    expect(serializePianoAbc(seq).text).toMatch(/\[V:RH\] D2 \| G2 B4 G2 \| \^F2 d4 D2 \|/);
  });

  it('reads back every note of real piano pieces quantized at each grid', () => {
    for (const file of ['chpn-p7.mid', 'scn15_4.mid', 'clementi_opus36_3_2.mid', 'mond_1.mid']) {
      const seq = importMidi(new Uint8Array(readFileSync(`${PIANO}${file}`)));
      for (const grid of SCORE_GRIDS) {
        const q = quantizeForScore(seq, grid, { tonic: 0, mode: 'major' });
        const { text } = serializePianoAbc(q);
        const again = parseAbc(text, { strict: true })[0]!.sequence;
        expect(notesOf(again), `${file} at 1/${grid}`).toEqual(notesOf(q));
      }
    }
  });
});

describe('quantizeForScore', () => {
  it('snaps to the grid, keeps a step for very short notes, and ends a note where its pitch is struck again', () => {
    const seq = piece([[60, 10, 200], [60, 230, 500], [64, 7, 9], [67, 0, 480], [67, 0, 300]]);
    const q = quantizeForScore(seq, 8, { tonic: 2, mode: 'minor' });
    expect(notesOf(q)).toEqual(['60@0-240', '60@240-480', '64@0-240', '67@0-480'].sort());
    expect(q.keySignatures).toEqual([{ tick: 0, tonic: 2, mode: 'minor' }]);
    expect(seq.notes[0]!.startTick).toBe(10);
    // A resolution the grid does not divide is brought to 480 first.
    const odd = quantizeForScore({ ...piece([[60, 0, 50]]), ppq: 100 }, 32);
    expect(odd.ppq).toBe(480);
    expect(notesOf(odd)).toEqual(['60@0-240']);
  });
});

describe('serializePianoAbc on random chromatic piano music', () => {
  it('reads back the same notes for any key, grid and clash of accidentals', () => {
    let seed = 7;
    const random = (): number => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    const keys = [
      { tonic: 7, mode: 'minor' as const },
      { tonic: 1, mode: 'major' as const },
      { tonic: 6, mode: 'major' as const },
      { tonic: 3, mode: 'minor' as const },
      { tonic: 0, mode: 'major' as const },
    ];
    for (let round = 0; round < 200; round++) {
      const key = keys[round % keys.length]!;
      const grid = SCORE_GRIDS[round % SCORE_GRIDS.length]!;
      const notes: Array<[number, number, number]> = [];
      for (let i = 0; i < 40; i++) {
        const start = Math.floor(random() * 32) * 120;
        // Clusters of neighbouring semitones (F and F♯ together) and long notes over bar lines.
        notes.push([48 + Math.floor(random() * 30), start, start + (1 + Math.floor(random() * 20)) * 120]);
      }
      const q = quantizeForScore(piece(notes, { keySignatures: [{ tick: 0, ...key }] }), grid);
      const { text } = serializePianoAbc(q);
      const again = parseAbc(text, { strict: true })[0]!.sequence;
      expect(notesOf(again), `round ${round}\n${text}`).toEqual(notesOf(q));
    }
  });
});
