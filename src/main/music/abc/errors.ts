// Named errors of the ABC reader and writer: each says which tune, where, and what text was wrong.
import { StudioError } from '../../../shared/errors';

/** Where in an ABC file something went wrong. */
export interface AbcLocation {
  /** The tune's X: number, or -1 before the first X:. */
  tune: number;
  /** 1-based line in the whole file. */
  line: number;
  /** 1-based column in that line. */
  column: number;
  /** The offending text (a short excerpt). */
  text: string;
}

/** A tune that cannot be read at all; other tunes of the same file are still read. */
export class AbcParseError extends StudioError {
  readonly details: AbcLocation;
  constructor(message: string, location: AbcLocation) {
    super(`ABC tune X:${location.tune}, line ${location.line}, column ${location.column}: ${message} (at "${location.text}")`);
    this.details = location;
  }
}

/** A sequence that cannot be written as ABC (for example, no notes on the melody track is fine, but a bad ppq is not). */
export class AbcSerializeError extends StudioError {}

/**
 * A tune that uses notation the reader cannot perform the way abc2midi does (a voice overlay (& ... &), a drum voice,
 * microtonal tuning ...): rather than play wrong or missing notes, the tune is refused, naming the feature and its place.
 */
export class AbcUnsupportedError extends AbcParseError {
  readonly feature: string;
  constructor(feature: string, location: AbcLocation) {
    super(`${feature} cannot be performed`, location);
    this.feature = feature;
  }
}
