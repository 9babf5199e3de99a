// Unit aliases and branded ids shared by the engine and the UI (after Tone.js Units.ts).

/** Time in MIDI ticks; the song's native clock. */
export type Ticks = number;
/** Time in seconds, always derived from ticks through a tempo map. */
export type Seconds = number;
/** A MIDI note number, 0..127 (60 = middle C). */
export type MidiNote = number;
/** A MIDI velocity, 0..127. */
export type Velocity = number;
/** Beats per minute. */
export type Bpm = number;
/** A number in 0..1. */
export type NormalRange = number;

declare const brand: unique symbol;
/** A nominal type: a T that can only be made on purpose, never by accident. */
export type Brand<T, B extends string> = T & { readonly [brand]: B };

export type NoteId = Brand<string, 'NoteId'>;
export type FragmentId = Brand<string, 'FragmentId'>;
export type SectionId = Brand<string, 'SectionId'>;
export type JobId = Brand<string, 'JobId'>;
export type ModelId = Brand<string, 'ModelId'>;

export const asNoteId = (s: string): NoteId => s as NoteId;
export const asFragmentId = (s: string): FragmentId => s as FragmentId;
export const asSectionId = (s: string): SectionId => s as SectionId;
export const asJobId = (s: string): JobId => s as JobId;
export const asModelId = (s: string): ModelId => s as ModelId;

/** Ticks per quarter note used by sequences the studio creates itself. */
export const DEFAULT_PPQ = 480;
