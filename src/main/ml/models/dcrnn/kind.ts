// The DCRNN kind: a Wasserstein GAN over piano rolls, whose noise vectors compose (forms, interpolations) and follow a player live.
import { defineKind } from '../../platform/kind';
import { loadDcrnnModel } from './loaded';
import { evaluateSchema, generateSchema, trainSchema } from './params';
import { trainDcrnnKind } from './train';

const size = (unitsA: number, stripChannels: number, rnnUnits: number, criticWidth: number, noise: number) => ({ unitsA, stripChannels, rnnUnits, criticWidth, noise });

export const dcrnnKind = defineKind({
  id: 'dcrnn',
  label: 'DCRNN',
  description: 'A Wasserstein GAN over piano rolls: each noise vector is a rhythm; compose forms and interpolations from them, or play them live.',
  representation: 'binary piano rolls, 88 keys, sixteenths at 120 bpm, segments of 3 bars',
  capabilities: ['sample', 'condition', 'noise', 'interpolate', 'stream'],
  trainSchema,
  generateSchema,
  evaluateSchema,
  presets: {
    tiny: { label: 'Tiny · minutes', hint: 'to try a folder out', values: size(16, 2, 16, 4, 16) },
    small: { label: 'Small · about an hour', hint: 'the shipped model\'s size', values: size(96, 8, 128, 16, 32) },
    study: { label: 'Study size · many hours', hint: 'wider networks, a 64-value noise vector', values: size(256, 16, 512, 32, 64) },
  },
  defaultPreset: 'small',
  metrics: [
    { name: 'diversity', label: 'diversity across z (1 = as real music)', better: 'higher' },
    { name: 'wasserstein', label: 'Wasserstein estimate', better: 'lower' },
    { name: 'density', label: 'notes, against real music', better: 'higher' },
    { name: 'emptyBarRate', label: 'empty bars', better: 'lower' },
    { name: 'pitchClassesPerBar', label: 'pitch classes per bar', better: 'higher' },
    { name: 'qualifiedNoteRate', label: 'qualified notes', better: 'higher' },
    { name: 'polyphony', label: 'polyphony', better: 'higher' },
    { name: 'inScaleRate', label: 'in scale', better: 'higher' },
    { name: 'tonalDistance', label: 'tonal distance', better: 'lower' },
  ],
  trainingMetrics: [
    { name: 'wasserstein', label: 'Wasserstein estimate', better: 'lower' },
    { name: 'penalty', label: 'gradient penalty', better: 'lower' },
    { name: 'critic', label: 'critic loss', better: 'lower' },
    { name: 'generator', label: 'generator loss', better: 'lower' },
    { name: 'diversity', label: 'diversity', better: 'higher' },
  ],
  train: (ctx) => trainDcrnnKind(ctx),
  load: (ref) => loadDcrnnModel(ref),
});
