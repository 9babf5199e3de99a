// Reads a Standard MIDI File into the song model: strict structural check first, then @tonejs/midi.
import * as tonejs from '@tonejs/midi';
import type { KeyMode, KeySignatureEvent, Note, NoteSequence, PedalEvent, TempoEvent, TimeSignatureEvent, Track } from '../../../shared/song';
import { DEFAULT_BPM } from '../../../shared/song';
import { MidiFormatError } from './errors';
import { canonicalBytes, hangingNotes, scanSmf } from './smf';
import type { SmfLayout } from './smf';
import { extendNotesWithSustain } from './sustain';

// Node loads the CommonJS build (Midi under `default`); bundlers load the ES build (named export).
const tonejsNs = tonejs as typeof tonejs & { default?: typeof tonejs };
const Midi = tonejs.Midi ?? tonejsNs.default?.Midi;

export interface ImportMidiOptions {
  /**
   * 'keep' (default): notes end at their note-off and the pedal is only kept as PedalEvents.
   * 'extend': notes released under the sustain pedal last until pedal-up or the next onset of the same pitch.
   */
  sustain?: 'keep' | 'extend';
  /** Provenance stored in meta.source, e.g. the file name. */
  source?: string;
}

const SUSTAIN_CC = 64;
const DRUM_CHANNEL = 9;

/** Pitch class of the major key with `sf` sharps (negative: flats). */
function majorTonic(sf: number): number {
  return (((sf * 7) % 12) + 12) % 12;
}

const KEY_NAMES = ['Cb', 'Gb', 'Db', 'Ab', 'Eb', 'Bb', 'F', 'C', 'G', 'D', 'A', 'E', 'B', 'F#', 'C#'];

/**
 * @throws MidiFormatError when the bytes are not a well-formed SMF (the message names the byte offset).
 */
export function importMidi(bytes: Uint8Array, options: ImportMidiOptions = {}): NoteSequence {
  const layout = scanSmf(bytes);
  const input = layout.needsRewrite || layout.format === 2 ? canonicalBytes(bytes, layout) : bytes;
  let midi: InstanceType<typeof Midi>;
  try {
    midi = new Midi(input);
  } catch (err) {
    // scanSmf rejects everything midi-file is known to choke on; this is the safety net.
    const text = err instanceof Error ? err.message : String(err);
    throw new MidiFormatError(`@tonejs/midi could not read the file: ${text}`, 0, { cause: err });
  }
  return toSequence(midi, layout, bytes, options);
}

function toSequence(midi: InstanceType<typeof Midi>, layout: SmfLayout, bytes: Uint8Array, options: ImportMidiOptions): NoteSequence {
  const smpte = layout.division.kind === 'smpte' ? layout.division : undefined;
  // SMPTE files count absolute time: one "quarter" is one second of subframes, at 60 bpm.
  const ppq = smpte ? Math.round(smpte.framesPerSecond === 29 ? 30 : smpte.framesPerSecond) * smpte.ticksPerFrame : midi.header.ppq;

  const tracks: Track[] = [];
  const notes: Note[] = [];
  const pedals: PedalEvent[] = [];
  for (const t of midi.tracks) {
    const sustain = t.controlChanges[SUSTAIN_CC];
    if (t.notes.length === 0 && (sustain === undefined || sustain.length === 0)) continue;
    const index = tracks.length;
    tracks.push({ name: t.name, program: t.instrument.number, channel: t.channel, isDrum: t.channel === DRUM_CHANNEL });
    for (const n of t.notes) {
      notes.push({ pitch: n.midi, velocity: Math.round(n.velocity * 127), startTick: n.ticks, endTick: n.ticks + n.durationTicks, track: index });
    }
    if (sustain) for (const cc of sustain) pedals.push({ tick: cc.ticks, value: Math.round(cc.value * 127), track: index });
  }
  if (layout.tracks.some((t) => t.hanging > 0)) addHangingNotes(bytes, layout, tracks, notes);
  notes.sort((a, b) => a.startTick - b.startTick || a.pitch - b.pitch || a.track - b.track || a.endTick - b.endTick);
  pedals.sort((a, b) => a.tick - b.tick || a.track - b.track);

  let tempos: TempoEvent[];
  if (smpte) {
    tempos = [{ tick: 0, bpm: smpte.framesPerSecond === 29 ? (60 * 29.97) / 30 : 60 }];
  } else {
    tempos = midi.header.tempos.map((t) => ({ tick: t.ticks, bpm: t.bpm }));
    tempos.sort((a, b) => a.tick - b.tick);
    if (tempos.length > 0 && tempos[0]!.tick > 0) tempos.unshift({ tick: 0, bpm: DEFAULT_BPM });
  }
  const timeSignatures: TimeSignatureEvent[] = [];
  for (const ts of midi.header.timeSignatures) {
    const [numerator, denominator] = ts.timeSignature;
    // Denominators are powers of two written as exponents; absurd exponents are dropped, not guessed.
    if (numerator !== undefined && denominator !== undefined && numerator > 0 && denominator >= 1 && denominator <= 128) {
      timeSignatures.push({ tick: ts.ticks, numerator, denominator });
    }
  }
  timeSignatures.sort((a, b) => a.tick - b.tick);
  const keySignatures: KeySignatureEvent[] = [];
  for (const ks of midi.header.keySignatures) {
    const sf = KEY_NAMES.indexOf(ks.key) - 7;
    if (sf < -7) continue; // sharps/flats outside -7..7: not a key
    const mode: KeyMode = ks.scale === 'minor' ? 'minor' : 'major';
    keySignatures.push({ tick: ks.ticks, tonic: mode === 'minor' ? (majorTonic(sf) + 9) % 12 : majorTonic(sf), mode });
  }
  keySignatures.sort((a, b) => a.tick - b.tick);

  const meta: NoteSequence['meta'] = {};
  if (midi.header.name) meta.title = midi.header.name;
  if (options.source !== undefined) meta.source = options.source;

  const finalNotes = options.sustain === 'extend' ? extendNotesWithSustain(notes, pedals) : notes;
  // Markers are sections (as the studio writes them for an arrangement): each runs to the next, the last to the end.
  const markers = midi.header.meta.filter((m) => m.type === 'marker').sort((a, b) => a.ticks - b.ticks);
  const end = finalNotes.reduce((e, n) => Math.max(e, n.endTick), markers.at(-1)?.ticks ?? 0);
  const sections = markers.map((m, i) => ({ name: m.text, startTick: m.ticks, endTick: Math.max(m.ticks, markers[i + 1]?.ticks ?? end) }));

  return {
    ppq,
    notes: finalNotes,
    tracks,
    tempos,
    timeSignatures,
    keySignatures,
    pedals,
    sections,
    meta,
  };
}

/** Notes no note-off closes (which @tonejs/midi drops) end at their track's last tick. */
function addHangingNotes(bytes: Uint8Array, layout: SmfLayout, tracks: Track[], notes: Note[]): void {
  let shift = 0;
  for (const chunk of layout.tracks) {
    if (chunk.hanging > 0) {
      for (const h of hangingNotes(bytes, chunk)) {
        let index = tracks.findIndex((t) => t.channel === h.channel);
        if (index < 0) {
          index = tracks.length;
          tracks.push({ name: '', program: 0, channel: h.channel, isDrum: h.channel === DRUM_CHANNEL });
        }
        notes.push({ pitch: h.pitch, velocity: h.velocity, startTick: shift + h.startTick, endTick: shift + chunk.endTick, track: index });
      }
    }
    if (layout.format === 2) shift += chunk.endTick;
  }
}
