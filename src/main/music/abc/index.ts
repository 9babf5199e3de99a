// ABC notation in and out for the song model: parseAbc / serializeAbc, their types and errors.

/**
 * Bumped whenever the reader plays a tune differently (2: grace notes, ornaments and the rest of abc2midi's
 * performance), so that datasets imported by an older reader are imported again.
 */
export const ABC_READER_VERSION = 2;
export { parseAbc, parseAbcFile, splitTunes, expandPartOrder } from './parse';
export type { ParseAbcFileResult } from './parse';
export { serializeAbc, serializeAbcWithReport } from './serialize';
export { serializePianoAbc } from './pianoScore';
export type { PianoAbcOptions } from './pianoScore';
export { parseChordSymbol, chordPitches, CHORD_INTERVALS } from './chords';
export type { ChordSymbol } from './chords';
export { parseKey, parseMeter, parseTempo, parseUnitLength } from './fields';
export { AbcParseError, AbcSerializeError, AbcUnsupportedError } from './errors';
export type { AbcLocation } from './errors';
export type {
  AbcChord,
  AbcKey,
  AbcMeter,
  AbcPlayedNote,
  AbcTempo,
  AbcTune,
  AbcUnitLength,
  ChordQuality,
  NoteLetter,
  ParseAbcOptions,
  SerializeAbcOptions,
  SerializeAbcResult,
} from './types';
