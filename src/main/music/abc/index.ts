// ABC notation in and out for the song model: parseAbc / serializeAbc, their types and errors.
export { parseAbc, parseAbcFile, splitTunes, expandPartOrder } from './parse';
export type { ParseAbcFileResult } from './parse';
export { serializeAbc, serializeAbcWithReport } from './serialize';
export { serializePianoAbc } from './pianoScore';
export type { PianoAbcOptions } from './pianoScore';
export { parseChordSymbol, chordPitches, CHORD_INTERVALS } from './chords';
export type { ChordSymbol } from './chords';
export { parseKey, parseMeter, parseTempo, parseUnitLength } from './fields';
export { AbcParseError, AbcSerializeError } from './errors';
export type { AbcLocation } from './errors';
export type {
  AbcChord,
  AbcKey,
  AbcMeter,
  AbcTempo,
  AbcTune,
  AbcUnitLength,
  ChordQuality,
  NoteLetter,
  ParseAbcOptions,
  SerializeAbcOptions,
  SerializeAbcResult,
} from './types';
