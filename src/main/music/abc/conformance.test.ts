// Conformance with the reference reader abc2midi: every Nottingham tune's melody must match its MIDI note for note.
import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import midiPkg from '@tonejs/midi';
import { afterAll, describe, expect, it } from 'vitest';
import { parseAbcFile } from './parse';

const { Midi } = midiPkg;
const run = promisify(execFile);
const FIXTURES = fileURLToPath(new URL('../../../../tests/fixtures/nottingham/', import.meta.url));
const ABC2MIDI = '/usr/bin/abc2midi';

interface RefNote {
  pitch: number;
  start: number;
  end: number;
}

/**
 * abc2midi writes every note-on one tick late (its track starts with a delta of 1) and the note-off
 * one tick early, so a note at [t, t+d) comes out as [t+1, t+d); we undo the onset shift.
 */
function readReference(path: string): { notes: RefNote[]; ppq: number; tempos: Array<{ tick: number; bpm: number }> } {
  const midi = new Midi(readFileSync(path));
  const notes = midi.tracks
    .flatMap((t) => t.notes.map((n) => ({ pitch: n.midi, start: n.ticks - 1, end: n.ticks + n.durationTicks })))
    .sort((a, b) => a.start - b.start || a.pitch - b.pitch || a.end - b.end);
  return { notes, ppq: midi.header.ppq, tempos: midi.header.tempos.map((t) => ({ tick: t.ticks, bpm: t.bpm })) };
}

function bpmAt(tempos: ReadonlyArray<{ tick: number; bpm: number }>, tick: number): number {
  let bpm = 120;
  for (const t of tempos) if (t.tick <= tick) bpm = t.bpm;
  return bpm;
}

function firstDifference(ours: RefNote[], ref: RefNote[]): string | null {
  for (let i = 0; i < Math.min(ours.length, ref.length); i++) {
    const a = ours[i]!;
    const b = ref[i]!;
    if (a.pitch !== b.pitch || a.start !== b.start || a.end !== b.end) {
      return `note ${i}: ours pitch ${a.pitch} ticks ${a.start}-${a.end}, abc2midi pitch ${b.pitch} ticks ${b.start}-${b.end}`;
    }
  }
  return ours.length === ref.length ? null : `${ours.length} notes, abc2midi ${ref.length}`;
}

/** Decorations abc2midi turns into extra notes (rolls, trills, ~ ornaments); the reader ignores them. */
function hasOrnaments(body: string): boolean {
  return /~|![^!\n]*trill[^!\n]*!|(^|[^A-Za-z"!])[RT][A-Ga-g_^=]/m.test(body.replace(/"[^"]*"/g, ''));
}

function tuneText(file: string, ref: number): string {
  const text = readFileSync(join(FIXTURES, file), 'utf8');
  const start = text.search(new RegExp(`^X:\\s*${ref}\\s*$`, 'm'));
  if (start < 0) return '';
  const end = text.indexOf('\n\n', start);
  return text.slice(start, end < 0 ? undefined : end);
}

describe('abc2midi conformance on the Nottingham set', () => {
  const work = mkdtempSync(join(tmpdir(), 'abc2midi-'));
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  /** Tunes whose MIDI the first test wrote: file stem, tune and its abc2midi output. */
  const converted: Array<{ name: string; tune: ReturnType<typeof parseAbcFile>['tunes'][number]; mid: string }> = [];

  it('matches abc2midi melody notes (pitch, onset, duration) for at least 99% of tunes', async () => {
    const files = readdirSync(FIXTURES).filter((f) => f.endsWith('.abc')).sort();
    expect(files.length).toBeGreaterThanOrEqual(14);
    // One abc2midi process per file writes <stem>N.mid for every tune; two at a time for two cores.
    // %%MIDI chordattack 0 stops it from spreading the notes of a [chord] 10 ticks apart.
    const convert = async (file: string): Promise<void> => {
      const text = readFileSync(join(FIXTURES, file), 'utf8').replace(/^(X:.*)$/gm, '$1\n%%MIDI chordattack 0');
      writeFileSync(join(work, file), text);
      await run(ABC2MIDI, [file, '-NGUI', '-NGRA', '-silent'], { cwd: work, maxBuffer: 1 << 24 });
    };
    const queue = [...files];
    await Promise.all(
      [0, 1].map(async () => {
        for (let f = queue.shift(); f !== undefined; f = queue.shift()) await convert(f);
      }),
    );

    let total = 0;
    let matched = 0;
    const exceptions: string[] = [];
    for (const file of files) {
      const stem = file.replace(/\.abc$/, '');
      const { tunes, errors } = parseAbcFile(readFileSync(join(FIXTURES, file), 'utf8'));
      for (const e of errors) {
        total++;
        exceptions.push(`${stem} X:${e.details.tune}: our reader failed: ${e.message}`);
      }
      for (const tune of tunes) {
        total++;
        const mid = join(work, `${stem}${tune.referenceNumber}.mid`);
        if (!existsSync(mid)) {
          exceptions.push(`${stem} X:${tune.referenceNumber}: abc2midi wrote no file`);
          continue;
        }
        converted.push({ name: `${stem} X:${tune.referenceNumber}`, tune, mid });
        const ref = readReference(mid);
        expect(ref.ppq).toBe(tune.sequence.ppq);
        const ours = tune.sequence.notes
          .filter((n) => n.track === 0)
          .map((n) => ({ pitch: n.pitch, start: n.startTick, end: n.endTick }))
          .sort((a, b) => a.start - b.start || a.pitch - b.pitch || a.end - b.end);
        let diff = firstDifference(ours, ref.notes);
        // The tempo in force at each onset must agree too (abc2midi's onsets are one tick later).
        for (const n of diff === null ? ours : []) {
          const a = bpmAt(tune.sequence.tempos, n.start);
          const b = bpmAt(ref.tempos, n.start + 1);
          if (Math.abs(a - b) > 0.01) {
            diff = `tempo at tick ${n.start}: ours ${a} bpm, abc2midi ${b}`;
            break;
          }
        }
        if (diff === null) matched++;
        else {
          const why = hasOrnaments(tuneText(file, tune.referenceNumber))
            ? 'abc2midi expands ~/!trill! ornaments into extra notes; decorations are ignored here'
            : 'unexplained';
          exceptions.push(`${stem} X:${tune.referenceNumber}: ${diff} [${why}]`);
        }
      }
    }
    const share = matched / total;
    console.log(`abc2midi conformance: ${matched}/${total} tunes match exactly (${(share * 100).toFixed(2)}%)`);
    for (const e of exceptions) console.log(`  exception: ${e}`);
    expect(total).toBe(1034);
    expect(share).toBeGreaterThanOrEqual(0.99);
    expect(exceptions.filter((e) => e.includes('unexplained'))).toEqual([]);
  });

  it('puts bar lines where abc2midi counts them, pickups included (its loud first-of-bar notes fall on our bar lines)', () => {
    expect(converted.length).toBeGreaterThan(1000);
    let agree = 0;
    let pickups = 0;
    const disagree: string[] = [];
    for (const { name, tune, mid } of converted) {
      // abc2midi's beat stress: the note that starts a bar gets velocity 105, later beats 95 or 80.
      const melody = new Midi(readFileSync(mid)).tracks.find((t) => t.notes.length > 0);
      const loud = new Set((melody?.notes ?? []).filter((n) => Math.round(n.velocity * 127) === 105).map((n) => n.ticks - 1));
      const starts = barStartsOf(tune.sequence);
      const ours = tune.sequence.notes.filter((n) => n.track === 0);
      const first = ours.find((n) => !starts.has(n.startTick) === loud.has(n.startTick));
      if (tune.sequence.timeSignatures.length > 1 && tune.sequence.timeSignatures[1]!.tick < 4 * tune.sequence.ppq) pickups++;
      if (!first) agree++;
      else disagree.push(`${name}: note at tick ${first.startTick} is ${loud.has(first.startTick) ? '' : 'not '}first of its bar for abc2midi`);
    }
    console.log(`abc2midi bar lines: ${agree}/${converted.length} tunes agree; ${pickups} start with a pickup`);
    for (const d of disagree.slice(0, 30)) console.log(`  bar exception: ${d}`);
    expect(pickups).toBeGreaterThan(100);
    expect(agree / converted.length).toBeGreaterThanOrEqual(0.99);
  });

  it("reads The Alderman's Hat with its D pickup: bar 1 starts on beat 2, as abc2midi plays it", () => {
    const alderman = converted.find((c) => c.tune.title === "The Alderman's Hat");
    expect(alderman).toBeDefined();
    const seq = alderman!.tune.sequence;
    expect(seq.timeSignatures.slice(0, 2)).toEqual([
      { tick: 0, numerator: 1, denominator: 4 },
      { tick: 480, numerator: 4, denominator: 4 },
    ]);
    const starts = barStartsOf(seq);
    expect([...starts].slice(0, 4)).toEqual([0, 480, 480 + 1920, 480 + 2 * 1920]);
  });
});

/** Where bars start, from a sequence's time signatures: each signature starts a bar, and bars follow at its length. */
function barStartsOf(seq: { ppq: number; timeSignatures: Array<{ tick: number; numerator: number; denominator: number }>; notes: Array<{ endTick: number }> }): Set<number> {
  const end = Math.max(0, ...seq.notes.map((n) => n.endTick));
  const sigs = [...seq.timeSignatures].sort((a, b) => a.tick - b.tick);
  const out = new Set<number>();
  sigs.forEach((s, i) => {
    const until = sigs[i + 1]?.tick ?? end + 1;
    const bar = (seq.ppq * 4 * s.numerator) / s.denominator;
    for (let t = s.tick; t < until; t += bar) out.add(t);
  });
  return out;
}
