// Tests of the ABC writer: bars, ties, rests, accidentals, tuplets, and the round trip over the Nottingham set.
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { emptySequence, type Note, type NoteSequence } from '../../../shared/song';
import { parseAbc } from './parse';
import { serializeAbc, serializeAbcWithReport, splitAtBars, type Bar, type MelodyEvent } from './serialize';

const FIXTURES = fileURLToPath(new URL('../../../../tests/fixtures/nottingham/', import.meta.url));

function seqOf(notes: Array<[number, number, number]>, extra: Partial<NoteSequence> = {}): NoteSequence {
  const seq = emptySequence(480);
  seq.notes = notes.map(([pitch, startTick, endTick]): Note => ({ pitch, startTick, endTick, velocity: 80, track: 0 }));
  return { ...seq, ...extra };
}

function melodyOf(seq: NoteSequence): string[] {
  return seq.notes.filter((n) => n.track === 0).map((n) => `${n.pitch}@${n.startTick}-${n.endTick}`);
}

/** The writer's monophonic reduction: top note of each onset, cut at the next onset. */
function topVoice(seq: NoteSequence): string[] {
  const sorted = seq.notes.filter((n) => n.track === 0).sort((a, b) => a.startTick - b.startTick || b.pitch - a.pitch);
  const out: Array<{ pitch: number; start: number; end: number }> = [];
  for (const n of sorted) {
    const last = out[out.length - 1];
    if (last && last.start === n.startTick) continue;
    if (last && last.end > n.startTick) last.end = n.startTick;
    out.push({ pitch: n.pitch, start: n.startTick, end: n.endTick });
  }
  return out.map((n) => `${n.pitch}@${n.start}-${n.end}`);
}

describe('serializeAbc', () => {
  it('writes header, bar lines, rests and a tie across the bar line', () => {
    const text = serializeAbc(seqOf([[60, 0, 480], [62, 960, 2400], [64, 2400, 3840]]), { title: 'T' });
    expect(text).toBe('X:1\nT:T\nM:4/4\nL:1/8\nQ:1/4=120\nK:C\nC2 z2 D4- | D2 E6 |]\n');
  });

  it('spells accidentals against the key and the bar, and writes octaves', () => {
    const seq = seqOf([[66, 0, 240], [65, 240, 480], [65, 480, 720], [78, 720, 960], [48, 960, 1200], [84, 1200, 1440]], {
      keySignatures: [{ tick: 0, tonic: 7, mode: 'major' }],
    });
    const text = serializeAbc(seq);
    expect(text).toContain('K:G\n');
    expect(text).toContain("F =F F ^f C, c'");
    expect(melodyOf(parseAbc(text)[0]!.sequence)).toEqual(melodyOf(seq));
  });

  it('writes triplets and swung pairs as (3:2:n tuplets', () => {
    const seq = seqOf([[60, 0, 160], [62, 160, 320], [64, 320, 480], [65, 480, 800], [67, 800, 960]]);
    const text = serializeAbc(seq);
    expect(text).toContain('(3:2:5CDEF2G z4 |]');
    expect(melodyOf(parseAbc(text)[0]!.sequence)).toEqual(melodyOf(seq));
  });

  it('keeps the top voice of a polyphonic melody and says so', () => {
    const { text, warnings } = serializeAbcWithReport(seqOf([[60, 0, 480], [64, 0, 480], [67, 480, 960]]));
    expect(melodyOf(parseAbc(text)[0]!.sequence)).toEqual(['64@0-480', '67@480-960']);
    expect(warnings.join()).toContain('top voice');
  });

  it('follows the meter and key of the options and meter changes of the sequence', () => {
    const seq = seqOf([[69, 0, 1440], [71, 1440, 2880]], {
      timeSignatures: [
        { tick: 0, numerator: 3, denominator: 4 },
        { tick: 1440, numerator: 6, denominator: 8 },
      ],
    });
    const text = serializeAbc(seq, { key: 'Ador' });
    expect(text).toContain('M:3/4\nL:1/8\nQ:1/4=120\nK:Ador\n');
    expect(text).toContain('[M:6/8]');
    expect(melodyOf(parseAbc(text)[0]!.sequence)).toEqual(melodyOf(seq));
  });

  it('round-trips the Nottingham melodies: parse(serialize(parse(tune))) equals the first parse', () => {
    let total = 0;
    let exact = 0;
    let top = 0;
    for (const file of readdirSync(FIXTURES).filter((f) => f.endsWith('.abc'))) {
      for (const tune of parseAbc(readFileSync(`${FIXTURES}${file}`, 'utf8'))) {
        total++;
        const again = parseAbc(serializeAbc(tune.sequence), { strict: true })[0]!;
        const got = melodyOf(again.sequence);
        if (got.join() === melodyOf(tune.sequence).join()) exact++;
        if (got.join() === topVoice(tune.sequence).join()) top++;
      }
    }
    console.log(`ABC round trip: ${exact}/${total} melodies identical, ${top}/${total} identical to their top voice`);
    expect(total).toBe(1034);
    expect(top).toBe(total);
    expect(exact / total).toBeGreaterThanOrEqual(0.97);
  });

  it('cuts notes at bar lines in time linear in notes plus bars (counted, not timed)', () => {
    // Long notes at 1 tick per quarter: every note spans bars, the case that made the old writer quadratic.
    const melody = (n: number): { events: MelodyEvent[]; bars: Bar[] } => {
      const events: MelodyEvent[] = [];
      for (let i = 0; i < n; i++) events.push({ pitch: 60 + (i % 12), start: i * 10, end: i * 10 + 9 });
      const bars: Bar[] = [];
      for (let t = 0; t < n * 10; t += 4) bars.push({ start: t, end: t + 4 });
      return { events, bars };
    };
    const visits = (n: number) => {
      const { events, bars } = melody(n);
      const stats = { barVisits: 0 };
      const pieces = splitAtBars(events, bars, stats);
      return { visits: stats.barVisits, work: events.length + bars.length + pieces.length };
    };
    const small = visits(2_000);
    const large = visits(8_000);
    expect(small.visits).toBeLessThanOrEqual(2 * small.work);
    expect(large.visits).toBeLessThanOrEqual(2 * large.work);
    // Four times the notes, about four times the work: a quadratic writer would do sixteen times.
    expect(large.visits / small.visits).toBeLessThan(4.5);
  });

  it('writes a 200,000-note melody of long notes (50,000 bars) and reads back its bar count', () => {
    const seq = emptySequence(1);
    for (let i = 0; i < 200_000; i++) seq.notes.push({ pitch: 60 + (i % 12), velocity: 80, startTick: i, endTick: i + 1, track: 0 });
    const text = serializeAbc(seq);
    expect(text.split('|').length - 1).toBe(50_000);
  });

  it('names a fractional tick instead of failing deep inside with a bare Error', () => {
    const seq = seqOf([[60, 0, 480], [62, 480, 600.1]]);
    expect(() => serializeAbc(seq)).toThrow(expect.objectContaining({ name: 'AbcSerializeError', message: expect.stringMatching(/600\.1.*whole/) }));
  });
});
