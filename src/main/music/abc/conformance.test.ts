// Conformance with the reference reader abc2midi: every Nottingham tune's melody must match its MIDI note for note.
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import midiPkg from '@tonejs/midi';
import { afterAll, describe, expect, it } from 'vitest';
import { causeAt, compareWithReference, convertWithAbc2midi, readReference } from './abc2midi';
import { parseAbcFile, splitTunes } from './parse';
import type { AbcTune } from './types';

const { Midi } = midiPkg;
const FIXTURES = fileURLToPath(new URL('../../../../tests/fixtures/nottingham/', import.meta.url));

describe('abc2midi conformance on the Nottingham set', () => {
  const work = mkdtempSync(join(tmpdir(), 'abc2midi-'));
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  /** Tunes whose MIDI the first test wrote: file stem, tune and its abc2midi output. */
  const converted: Array<{ name: string; tune: AbcTune; mid: string }> = [];

  it('matches abc2midi melody notes (pitch, onset, end) for at least 99.7% of tunes, none unexplained', async () => {
    const files = readdirSync(FIXTURES).filter((f) => f.endsWith('.abc')).sort();
    expect(files.length).toBeGreaterThanOrEqual(14);
    // One abc2midi process per file writes <stem>N.mid for every tune; two at a time for two cores.
    const texts = new Map(files.map((f) => [f, readFileSync(join(FIXTURES, f), 'utf8')]));
    const queue = [...files];
    const mids = new Map<string, Map<number, string>>();
    await Promise.all(
      [0, 1].map(async () => {
        for (let f = queue.shift(); f !== undefined; f = queue.shift()) mids.set(f, await convertWithAbc2midi(texts.get(f)!, f.replace(/\.abc$/, ''), work));
      }),
    );

    let total = 0;
    let matched = 0;
    const exceptions: string[] = [];
    for (const file of files) {
      const stem = file.replace(/\.abc$/, '');
      const text = texts.get(file)!;
      const { tunes, errors } = parseAbcFile(text);
      for (const e of errors) {
        total++;
        exceptions.push(`${stem} X:${e.details.tune}: our reader failed: ${e.message}`);
      }
      for (const tune of tunes) {
        total++;
        const mid = mids.get(file)!.get(tune.referenceNumber);
        if (mid === undefined) {
          exceptions.push(`${stem} X:${tune.referenceNumber}: abc2midi wrote no file`);
          continue;
        }
        converted.push({ name: `${stem} X:${tune.referenceNumber}`, tune, mid });
        const diff = compareWithReference(tune, readReference(mid));
        if (diff === null) matched++;
        else exceptions.push(`${stem} X:${tune.referenceNumber}: ${diff.message} [${causeAt(tune, text, diff, tuneText(text, tune.referenceNumber))}]`);
      }
    }
    const share = matched / total;
    console.log(`abc2midi conformance: ${matched}/${total} tunes match exactly (${(share * 100).toFixed(2)}%)`);
    for (const e of exceptions) console.log(`  exception: ${e}`);
    expect(total).toBe(1034);
    expect(share).toBeGreaterThanOrEqual(0.997);
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

/** The text of one tune of a file, for the features it uses. */
function tuneText(text: string, ref: number): string {
  const t = splitTunes(text).find((s) => s.referenceNumber === ref);
  return t ? t.lines.map((l) => l.text).join('\n') : '';
}

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
