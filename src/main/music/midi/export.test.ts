// exportMidi checked against independent readers: python3-mido for every note and tempo, fluidsynth for sound.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { NoteSequence } from '../../../shared/song';
import { emptySequence } from '../../../shared/song';
import { MidiExportError } from './errors';
import { exportMidi } from './export';
import { importMidi } from './import';

const PIANO = join(__dirname, '../../../../tests/fixtures/piano');
const PIECES = ['chpn-p7.mid', 'scn15_4.mid', 'clementi_opus36_3_2.mid'];
const MIDO_DUMP = join(__dirname, 'mido-dump.py');
const tmp = mkdtempSync(join(tmpdir(), 'midi-export-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const load = (name: string): NoteSequence => importMidi(readFileSync(join(PIANO, name)), { source: name });

interface MidoDump {
  ok: boolean;
  error?: string;
  type: number;
  ppq: number;
  tempos: [number, number][];
  notes: [number, number, number, number, number, number][];
  pedals: [number, number, number][];
  markers: [number, string][];
}

function mido(path: string): MidoDump {
  const out = execFileSync('/usr/bin/python3', [MIDO_DUMP, '--notes', path], { encoding: 'utf8' });
  const r = JSON.parse(out) as MidoDump;
  if (!r.ok) throw new Error(`mido could not read ${path}: ${r.error}`);
  return r;
}

const byTime = (a: readonly number[], b: readonly number[]): number => a[2]! - b[2]! || a[0]! - b[0]! || a[3]! - b[3]! || a[1]! - b[1]!;

describe('exportMidi', () => {
  it('writes sections as markers that mido reads, and reads them back as sections', () => {
    const seq = emptySequence();
    seq.notes.push({ pitch: 60, velocity: 80, startTick: 0, endTick: 480, track: 0 }, { pitch: 64, velocity: 80, startTick: 1920, endTick: 3840, track: 0 });
    seq.sections = [
      { name: 'A', startTick: 0, endTick: 1920 },
      { name: 'B', startTick: 1920, endTick: 3840 },
    ];
    const path = join(tmp, 'sections.mid');
    writeFileSync(path, exportMidi(seq));
    expect(mido(path).markers).toEqual([
      [0, 'A'],
      [1920, 'B'],
    ]);
    expect(importMidi(readFileSync(path)).sections).toEqual(seq.sections);
  });

  it.each(PIECES)('writes %s so that mido reads every note, tempo and pedal back', (name) => {
    const seq = load(name);
    const path = join(tmp, name);
    writeFileSync(path, exportMidi(seq));
    const back = mido(path);
    expect(back.type).toBe(1);
    expect(back.ppq).toBe(seq.ppq);

    const ours = seq.notes.map((n) => [n.pitch, n.velocity, n.startTick, n.endTick]).sort(byTime);
    const theirs = back.notes.map(([pitch, velocity, start, end]) => [pitch, velocity, start, end]).sort(byTime);
    expect(theirs.length).toBe(ours.length);
    expect(ours.length).toBeGreaterThan(100);
    let bad = 0;
    ours.forEach((o, i) => {
      const t = theirs[i]!;
      if (o[0] !== t[0] || o[1] !== t[1] || Math.abs(o[2]! - t[2]!) > 1 || Math.abs(o[3]! - t[3]!) > 1) bad++;
    });
    expect(bad).toBe(0);

    expect(back.tempos.map(([tick]) => tick)).toEqual(seq.tempos.map((t) => t.tick));
    back.tempos.forEach(([, us], i) => expect(60_000_000 / us).toBeCloseTo(seq.tempos[i]!.bpm, 2));
    expect(back.pedals.map(([tick, value]) => [tick, value])).toEqual(seq.pedals.map((p) => [p.tick, p.value]));
  });

  it.each(PIECES)('round-trips %s through import(export(seq))', (name) => {
    const seq = load(name);
    const again = importMidi(exportMidi(seq), { source: name });
    expect(again.notes).toEqual(seq.notes);
    expect(again.tracks).toEqual(seq.tracks);
    expect(again.pedals).toEqual(seq.pedals);
    expect(again.timeSignatures).toEqual(seq.timeSignatures);
    expect(again.keySignatures).toEqual(seq.keySignatures);
    expect(again.meta).toEqual(seq.meta);
    expect(again.tempos.map((t) => t.tick)).toEqual(seq.tempos.map((t) => t.tick));
    again.tempos.forEach((t, i) => expect(Math.abs(t.bpm - seq.tempos[i]!.bpm)).toBeLessThan(1e-3));
  });

  it('renders through fluidsynth to audible sound', () => {
    const full = load('chpn-p7.mid');
    // The first eight quarter notes keep the render short.
    const cut = full.ppq * 8;
    const seq: NoteSequence = { ...full, notes: full.notes.filter((n) => n.startTick < cut).map((n) => ({ ...n, endTick: Math.min(n.endTick, cut) })) };
    expect(seq.notes.length).toBeGreaterThan(5);
    const mid = join(tmp, 'short.mid');
    const wav = join(tmp, 'short.wav');
    writeFileSync(mid, exportMidi(seq));
    execFileSync('fluidsynth', ['-ni', '-r', '22050', '-F', wav, '/usr/share/sounds/sf2/FluidR3_GM.sf2', mid], { stdio: 'ignore', timeout: 30_000 });
    const { rms, peak, seconds } = wavRms(readFileSync(wav));
    expect(seconds).toBeGreaterThan(2);
    // Soft playing at fluidsynth's default gain (0.2): about -60 dBFS RMS; silence renders as exact zeros.
    expect(rms).toBeGreaterThan(1e-4);
    expect(peak).toBeGreaterThan(0.005);
  });

  it('writes drums on channel 10, zero-length notes, the title and key signatures', () => {
    const seq: NoteSequence = {
      ...emptySequence(96),
      tracks: [
        { name: 'Keys', program: 4, channel: 2, isDrum: false },
        { name: 'Kit', program: 0, channel: 9, isDrum: true },
      ],
      notes: [
        { pitch: 60, velocity: 90, startTick: 0, endTick: 96, track: 0 },
        { pitch: 60, velocity: 70, startTick: 96, endTick: 96, track: 0 },
        { pitch: 60, velocity: 0, startTick: 96, endTick: 192, track: 0 },
        { pitch: 36, velocity: 120, startTick: 0, endTick: 10, track: 1 },
      ],
      keySignatures: [{ tick: 0, tonic: 9, mode: 'minor' }, { tick: 96, tonic: 6, mode: 'major' }],
      meta: { title: 'Tiny' },
    };
    const back = importMidi(exportMidi(seq));
    expect(back.meta.title).toBe('Tiny');
    expect(back.tracks).toEqual(seq.tracks);
    expect(back.notes.map((n) => [n.pitch, n.velocity, n.startTick, n.endTick, n.track])).toEqual([
      [36, 120, 0, 10, 1],
      [60, 90, 0, 96, 0],
      [60, 70, 96, 96, 0],
      [60, 1, 96, 192, 0],
    ]);
    expect(back.keySignatures).toEqual(seq.keySignatures);
  });

  it('refuses what MIDI cannot hold, with the value', () => {
    expect(() => exportMidi({ ...emptySequence(), ppq: 40000 })).toThrow(MidiExportError);
    expect(() => exportMidi({ ...emptySequence(), notes: [{ pitch: 128, velocity: 1, startTick: 0, endTick: 1, track: 0 }] })).toThrow(/pitch 128/);
    expect(() => exportMidi({ ...emptySequence(), notes: [{ pitch: 60, velocity: 1, startTick: 0, endTick: 1, track: 3 }] })).toThrow(/track 3/);
    expect(() => exportMidi({ ...emptySequence(), timeSignatures: [{ tick: 0, numerator: 3, denominator: 5 }] })).toThrow(/3\/5/);
  });
});

/** RMS and peak (full scale 1) and length of a 16-bit PCM WAV file. */
function wavRms(wav: Buffer): { rms: number; peak: number; seconds: number } {
  expect(wav.toString('ascii', 0, 4)).toBe('RIFF');
  let pos = 12;
  let channels = 0;
  let rate = 0;
  let bits = 0;
  while (pos + 8 <= wav.length) {
    const id = wav.toString('ascii', pos, pos + 4);
    const size = wav.readUInt32LE(pos + 4);
    if (id === 'fmt ') {
      channels = wav.readUInt16LE(pos + 10);
      rate = wav.readUInt32LE(pos + 12);
      bits = wav.readUInt16LE(pos + 22);
    } else if (id === 'data') {
      expect(bits).toBe(16);
      const count = Math.floor(Math.min(size, wav.length - pos - 8) / 2);
      let sum = 0;
      let peak = 0;
      for (let i = 0; i < count; i++) {
        const s = wav.readInt16LE(pos + 8 + 2 * i) / 32768;
        sum += s * s;
        peak = Math.max(peak, Math.abs(s));
      }
      return { rms: Math.sqrt(sum / Math.max(1, count)), peak, seconds: count / channels / rate };
    }
    pos += 8 + size + (size & 1);
  }
  throw new Error('no data chunk in the WAV file');
}
