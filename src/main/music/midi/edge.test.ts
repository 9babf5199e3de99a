// Every file of the midi-edge fixture set: malformed ones give a MidiFormatError, valid ones the notes mido counts.
import { execFileSync } from 'node:child_process';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { StudioError } from '../../../shared/errors';
import { MidiFormatError } from './errors';
import { importMidi } from './import';

const ROOT = join(__dirname, '../../../../tests/fixtures/midi-edge');
const MIDO_DUMP = join(__dirname, 'mido-dump.py');

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((e) => (statSync(join(dir, e)).isDirectory() ? walk(join(dir, e)) : [join(dir, e)]));
}
const files = walk(ROOT)
  .filter((f) => /\.(mid|syx)$/.test(f))
  .map((f) => relative(ROOT, f))
  .sort();

/** Files that must be rejected, with what the message has to say. */
const MALFORMED: Record<string, RegExp> = {
  'jazz-soft-test-midi-files/test-corrupt-file-missing-byte.mid': /chunk length 246 runs past the end of the file \(267 bytes\)/,
  'jazz-soft-test-midi-files/test-empty-file.mid': /empty \(0 bytes\)/,
  'jazz-soft-test-midi-files/test-not-a-midi-file.mid': /no "MThd" header/,
  'jazz-soft-test-midi-files/test-syx-7e-06-01-id-request.syx': /no "MThd" header/,
  'nfroidure-midifile/MIDIBadHeaderChunk.mid': /no "MThd" header/,
  'nfroidure-midifile/MIDIBadHeaderFormat.mid': /format is 3/,
  'nfroidure-midifile/MIDIBadHeaderLength.mid': /expected a chunk/,
  'nfroidure-midifile/MIDIBadHeaderSMTPE.mid': /16 frames per second/,
  'nfroidure-midifile/MIDIBadHeaderTracksNum.mid': /declares 2 tracks but .* holds 1 "MTrk" chunk/,
  'nfroidure-midifile/MIDIBadTrackHdr.mid': /declares 1 track but .* holds 0 "MTrk" chunks \(skipped unknown chunk "mTrk" at 0xe\)/,
  'nfroidure-midifile/MIDIBadTrackLength.mid': /chunk length 16777275 runs past the end of the file \(81 bytes\)/,
};
for (const f of files) {
  const m = /test-illegal-message-(all|f[0-9a-f])/.exec(f);
  if (m) MALFORMED[f] = new RegExp(`illegal status byte 0x${m[1] === 'all' ? 'f1' : m[1]}`);
}

/** Valid files mido cannot read; their embedded text says what must be heard (a C-major scale: 8 notes). */
const MIDO_CANNOT_READ: Record<string, number> = {
  'jazz-soft-test-midi-files/test-non-midi-track.mid': 8, // an unknown chunk before MTrk (players skip it)
  'jazz-soft-test-midi-files/test-running-status-sysex.mid': 8, // running status carried over a sysex
};

/** Note counts by python3-mido, run live (Debian's interpreter; python3-mido is a CI dependency). */
function midoCounts(): Map<string, number> {
  const valid = files.filter((f) => !(f in MALFORMED) && !(f in MIDO_CANNOT_READ));
  const out = execFileSync('/usr/bin/python3', [MIDO_DUMP, ...valid.map((f) => join(ROOT, f))], { encoding: 'utf8' });
  const counts = new Map<string, number>();
  for (const line of out.trim().split('\n')) {
    const r = JSON.parse(line) as { file: string; ok: boolean; count?: number; error?: string };
    if (!r.ok || r.count === undefined) throw new Error(`mido could not read ${r.file}: ${r.error}`);
    counts.set(relative(ROOT, r.file), r.count);
  }
  return counts;
}

describe('midi-edge fixtures', () => {
  it('holds all 133 files to parse', () => {
    expect(files).toHaveLength(133);
    expect(Object.keys(MALFORMED)).toHaveLength(25);
  });

  it.each(Object.keys(MALFORMED))('rejects %s with a MidiFormatError', (f) => {
    const bytes = readFileSync(join(ROOT, f));
    let caught: unknown;
    try {
      importMidi(bytes);
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(MidiFormatError);
    expect(caught).toBeInstanceOf(StudioError);
    const err = caught as MidiFormatError;
    expect(err.message).toMatch(MALFORMED[f]!);
    expect(err.message).toMatch(/at byte 0x[0-9a-f]+: /);
    expect(err.offset).toBeGreaterThanOrEqual(0);
    expect(err.offset).toBeLessThanOrEqual(bytes.length);
  });

  it('reads every valid file with the note count python3-mido finds', () => {
    const expected = midoCounts();
    for (const [f, n] of Object.entries(MIDO_CANNOT_READ)) expected.set(f, n);
    expect(expected.size).toBe(files.length - Object.keys(MALFORMED).length);
    const mismatches: string[] = [];
    for (const [f, count] of expected) {
      const seq = importMidi(readFileSync(join(ROOT, f)), { source: f });
      if (seq.notes.length !== count) mismatches.push(`${f}: ${seq.notes.length} notes, mido ${count}`);
      expect(seq.meta.source).toBe(f);
      const broken = seq.notes.filter((n) => n.endTick < n.startTick || seq.tracks[n.track] === undefined);
      if (broken.length > 0) mismatches.push(`${f}: ${broken.length} notes end before they start or lack a track`);
    }
    expect(mismatches).toEqual([]);
  });

  it('keeps drums on channel 10 apart and reads the format-2 patterns one after another', () => {
    const drums = importMidi(readFileSync(join(ROOT, 'jazz-soft-test-midi-files/test-all-gm-percussion.mid')));
    const drumTracks = drums.tracks.filter((t) => t.isDrum);
    expect(drumTracks.length).toBeGreaterThan(0);
    expect(drumTracks.every((t) => t.channel === 9)).toBe(true);
    expect(drums.tracks.filter((t) => !t.isDrum).every((t) => t.channel !== 9)).toBe(true);

    const type2 = importMidi(readFileSync(join(ROOT, 'jazz-soft-test-midi-files/test-2-tracks-type-2.mid')));
    const starts = (ch: number): number[] => type2.notes.filter((n) => type2.tracks[n.track]!.channel === ch).map((n) => n.startTick);
    expect(Math.max(...starts(0))).toBeLessThan(Math.min(...starts(1)));
    expect(Math.min(...starts(1))).toBe(864 + 96);
  });

  it('keeps names, programs, tempo map and signatures of a real file', () => {
    const seq = importMidi(readFileSync(join(ROOT, 'tonejs-midi/debussy/claire_de_lune.mid')));
    expect(seq.ppq).toBe(480);
    expect(seq.tempos.length).toBeGreaterThan(100);
    expect(seq.tempos[0]!.tick).toBe(0);
    expect(seq.timeSignatures[0]).toMatchObject({ tick: 0, numerator: 9, denominator: 8 });
    expect(seq.meta.title).toMatch(/Clair/);
    expect(seq.tracks.map((t) => t.name)).toContain('Piano right');
    expect(seq.pedals.length).toBeGreaterThan(0);
  });
});
