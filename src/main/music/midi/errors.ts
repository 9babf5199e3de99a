// Named errors for MIDI import and export: each says what was wrong, where in the file, and with which value.
import { StudioError } from '../../../shared/errors';

/** A file that is not a well-formed Standard MIDI File; `offset` is the byte where the problem was found. */
export class MidiFormatError extends StudioError {
  readonly offset: number;
  readonly details: { offset: number; track?: number };

  constructor(message: string, offset: number, options?: { track?: number; cause?: unknown }) {
    const where = options?.track === undefined ? `at byte 0x${offset.toString(16)}` : `track ${options.track} at byte 0x${offset.toString(16)}`;
    super(`${where}: ${message}`, options?.cause === undefined ? undefined : { cause: options.cause });
    this.offset = offset;
    this.details = options?.track === undefined ? { offset } : { offset, track: options.track };
  }
}

/** A song that cannot be written as a Standard MIDI File (bad ppq, pitch or channel). */
export class MidiExportError extends StudioError {}
