// Public shapes of a parsed ABC tune: header fields, key, chord symbols and the resulting NoteSequence.
import type { KeyMode, NoteSequence } from '../../../shared/song';
import type { Bpm, MidiNote, Ticks } from '../../../shared/units';

export type NoteLetter = 'C' | 'D' | 'E' | 'F' | 'G' | 'A' | 'B';

export interface AbcMeter {
  numerator: number;
  denominator: number;
  /** How it was written when not a plain fraction. */
  symbol?: 'C' | 'C|' | 'none';
}

/** A note length as a fraction of a whole note (L:1/8 is { numerator: 1, denominator: 8 }). */
export interface AbcUnitLength {
  numerator: number;
  denominator: number;
}

export interface AbcKey {
  /** Pitch class of the tonic, 0 = C .. 11 = B. */
  tonic: number;
  /** The tonic as written, e.g. "F#", "Bb"; "C" for K:none. */
  tonicName: string;
  mode: KeyMode;
  /** Sharps (positive) or flats (negative) of the signature before explicit accidentals. */
  fifths: number;
  /** Semitone shift the signature applies to each letter (-2..2), explicit accidentals included. */
  accidentals: Record<NoteLetter, number>;
}

export interface AbcTempo {
  /** Quarter notes per minute. */
  bpm: Bpm;
  /** The beat the Q: field counts, as a fraction of a whole note. */
  beat: { numerator: number; denominator: number };
  /** Beats per minute as written. */
  beatsPerMinute: number;
}

export type ChordQuality =
  | 'major'
  | 'minor'
  | 'dominant7'
  | 'major7'
  | 'minor7'
  | 'diminished'
  | 'diminished7'
  | 'halfDiminished7'
  | 'augmented'
  | 'augmented7'
  | 'sixth'
  | 'minor6'
  | 'ninth'
  | 'minor9'
  | 'major9'
  | 'dominant7flat9'
  | 'sus4'
  | 'sus2'
  | 'dominant7sus4'
  | 'power';

/** A quoted chord symbol such as "Am", "G7", "D/F#", with the span it sounds for in played order. */
export interface AbcChord {
  startTick: Ticks;
  endTick: Ticks;
  /** The symbol as written, without quotes. */
  symbol: string;
  /** Pitch class of the root. */
  root: number;
  quality: ChordQuality;
  /** Pitch class of the bass note after "/", when given. */
  bass?: number;
  /** The block chord played on the accompaniment track (bass note first). */
  pitches: MidiNote[];
}

/** A melody note as played, with where it comes from: its place in the file and whether it was written, a grace or an ornament's. */
export interface AbcPlayedNote {
  pitch: MidiNote;
  startTick: Ticks;
  endTick: Ticks;
  /** written: a note of the music; grace: a grace note {...}; ornament: a note a roll, trill or ~ cut added. */
  origin: 'written' | 'grace' | 'ornament';
  /** 1-based line and column of the note (or of its ornament) in the file. */
  line: number;
  column: number;
}

export interface AbcTune {
  /** The X: number. */
  referenceNumber: number;
  title: string;
  meter: AbcMeter | null;
  unitLength: AbcUnitLength;
  key: AbcKey;
  /** The first tempo (Q: in the header, else abc2midi's default 1/4=120). */
  tempo: AbcTempo;
  /** Track 0 melody; track 1 accompaniment when the tune has chord symbols. */
  sequence: NoteSequence;
  chords: AbcChord[];
  /** Other header fields by letter (S:, R:, N:, ...), several values joined by newlines. */
  fields: Record<string, string>;
  /** Problems that did not stop reading (abc2midi would print most of them too). */
  warnings: string[];
  /** The melody (track 0) in played order, with each note's origin and place. */
  melody: AbcPlayedNote[];
  /** How many melody notes each origin gave (grace notes and ornament notes are short notes of their own). */
  noteCounts: { written: number; grace: number; ornament: number };
}

export interface ParseAbcOptions {
  /** Ticks per quarter of the sequences made; default 480 (abc2midi's own division). */
  ppq?: number;
  /** Velocity of melody notes; default 90. */
  velocity?: number;
  /** Velocity of accompaniment notes; default 64. */
  chordVelocity?: number;
  /** Throw the first AbcParseError instead of skipping the bad tune. */
  strict?: boolean;
  /** Called with each tune that could not be read (it is left out of the result). */
  onError?: (error: import('./errors').AbcParseError) => void;
  /** Stop a runaway tune after this many played notes; default 100000. */
  maxNotes?: number;
  /** Source name stored in sequence.meta.source. */
  source?: string;
  /**
   * How to perform the notation (docs/abc.md lists each feature's decision). 'abc2midi', the default, plays what
   * abc2midi plays: grace notes, rolls, trills and ~ cuts as short notes, staccato, fermata, hornpipe swing, %%MIDI
   * ratio, grace, trim, expand and transpose. 'written' keeps the written notes only: no graces or ornament notes,
   * every note its written length and pitch (for a score without ornaments expanded).
   */
  performance?: 'abc2midi' | 'written';
  /** With performance 'abc2midi': false leaves out grace notes {...} as abc2midi -NGRA does (~ cuts stay). Default true. */
  graces?: boolean;
}

export interface SerializeAbcOptions {
  title?: string;
  /** Default: the sequence's first time signature, else 4/4. */
  meter?: AbcMeter | string;
  /** A K: value such as "G", "Amin", "D mix"; default: the sequence's first key signature, else C. */
  key?: string;
  /** Default 1/8 (1/16 for meters below 3/4, as ABC's own default). */
  unitLength?: AbcUnitLength | string;
  /** X: number; default 1. */
  referenceNumber?: number;
  /** Bars per line of music; default 4. */
  barsPerLine?: number;
}

export interface SerializeAbcResult {
  text: string;
  /** What was changed to make the melody writable (top voice taken, lengths rounded ...). */
  warnings: string[];
}
