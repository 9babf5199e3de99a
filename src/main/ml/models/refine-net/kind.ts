// The Refine Net kind: a Duration Net that restores a consistent beat and a Velocity Net that stresses the theme, for polishing any music.
import { defineKind } from '../../platform/kind';
import { loadRefineNet } from './loaded';
import { evaluateSchema, polishSchema, trainSchema } from './params';
import { trainRefineKind } from './train';

export const refineNetKind = defineKind({
  id: 'refine-net',
  label: 'Refine Net',
  description: 'Polishes music you have: the Duration Net restores note and rest lengths to a consistent beat, the Velocity Net stresses the theme and softens the accompaniment.',
  representation: 'notes in onset order: pitch, place in the chord, inter-onset interval, duration, beat position',
  capabilities: ['refine'],
  trainSchema,
  generateSchema: null,
  evaluateSchema,
  refineSchema: polishSchema,
  presets: {
    tiny: { label: 'Tiny · minutes', hint: '2 x 2 GRUs of 16 units', values: { units: 16 } },
    small: { label: 'Small · half an hour', hint: '2 x 2 GRUs of 64 units: the shipped nets', values: { units: 64 } },
    study: { label: 'Study size · hours', hint: '2 x 2 GRUs of 256 units', values: { units: 256 } },
  },
  defaultPreset: 'small',
  metrics: [
    { name: 'durationMaeBeats', label: 'duration error after polish', unit: 'beats', better: 'lower' },
    { name: 'ioiMaeBeats', label: 'inter-onset error after polish', unit: 'beats', better: 'lower' },
    { name: 'onsetMaeBeats', label: 'onset error after polish', unit: 'beats', better: 'lower' },
    { name: 'velocityCorrelation', label: 'velocity correlation', better: 'higher' },
    { name: 'velocityMae', label: 'velocity error', better: 'lower' },
    { name: 'durationLoss', label: 'Duration Net loss', better: 'lower' },
    { name: 'velocityLoss', label: 'Velocity Net loss', better: 'lower' },
  ],
  trainingMetrics: [
    { name: 'duration', label: 'Duration Net loss', better: 'lower' },
    { name: 'velocity', label: 'Velocity Net loss', better: 'lower' },
  ],
  train: (ctx) => trainRefineKind(ctx),
  load: (ref) => loadRefineNet(ref),
});
