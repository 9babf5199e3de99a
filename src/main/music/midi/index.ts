// MIDI file import and export for the song model.
export { importMidi } from './import';
export type { ImportMidiOptions } from './import';
export { exportMidi } from './export';
export { MidiExportError, MidiFormatError } from './errors';
export { extendNotesWithSustain } from './sustain';
