// The Char-RNN and Conditional Char-RNN kinds: what they are, their presets and metrics, training and loading.
import type { z } from 'zod';
import { defineKind, type KindDefinition, type PresetDefinition } from '../../platform/kind';
import { MODEL_PRESETS, type CharRnnKind } from './config';
import { loadCharRnnModel } from './loaded';
import { conditionalGenerate, evaluateSchema, plainGenerate, trainSchema } from './params';
import { trainCharRnn } from './train';

const presets = (kind: CharRnnKind): Record<keyof typeof MODEL_PRESETS, PresetDefinition<z.input<typeof trainSchema>>> => {
  const of = (p: keyof typeof MODEL_PRESETS) => ({ layers: MODEL_PRESETS[p].units.length, units: MODEL_PRESETS[p].units[0], dropout: MODEL_PRESETS[p].dropout });
  const mb = (p: keyof typeof MODEL_PRESETS): string => {
    const u = MODEL_PRESETS[p].units;
    const input = 388 + (kind === 'conditional-char-rnn' ? 22 : 0);
    let params = 0;
    u.forEach((units, k) => (params += 4 * units * ((k === 0 ? input : u[k - 1]!) + units + 1)));
    params += u[u.length - 1]! * 388 + 388;
    return `${u.length}×${u[0]} LSTM, ${(params / 1e6).toFixed(1)} M parameters`;
  };
  return {
    tiny: { label: 'Tiny · minutes', hint: `${mb('tiny')}: to try a folder out`, values: of('tiny') },
    small: { label: 'Small · about an hour', hint: `${mb('small')}: what a laptop trains in an hour`, values: of('small') },
    study: { label: 'Study size · many hours', hint: `${mb('study')}: the study's configuration`, values: of('study') },
  };
};

const metrics = [
  { name: 'validNll', label: 'valid loss', unit: 'nats/event', better: 'lower' },
  { name: 'trainLoss', label: 'training loss', unit: 'nats/event', better: 'lower' },
  { name: 'nll', label: 'NLL', unit: 'nats/event', better: 'lower' },
] as const;
const trainingMetrics = [{ name: 'loss', label: 'loss', unit: 'nats/event', better: 'lower' }] as const;

function charRnnDefinition<G extends z.ZodObject>(kind: CharRnnKind, generateSchema: G, text: { label: string; description: string }): KindDefinition<typeof trainSchema, G> {
  const conditional = kind === 'conditional-char-rnn';
  return {
    id: kind,
    label: text.label,
    description: text.description,
    representation: conditional
      ? 'performance events (388 tokens) with a condition vector: pitch-class histogram, pitch mean and range, note density'
      : 'performance events (388 tokens: note-on, note-off, 10 ms time-shifts, 32 velocity bins)',
    capabilities: conditional ? ['sample', 'continue', 'condition', 'stream'] : ['sample', 'continue', 'stream'],
    trainSchema,
    generateSchema,
    evaluateSchema,
    presets: presets(kind),
    defaultPreset: 'small',
    metrics,
    trainingMetrics,
    train: (ctx) => trainCharRnn(kind, ctx),
    load: (ref) => loadCharRnnModel(ref, { kind, conditional }),
  };
}

export const charRnnKind = defineKind(
  charRnnDefinition('char-rnn', plainGenerate, {
    label: 'Char-RNN',
    description: 'Learns to continue music event by event: the study’s vanilla model.',
  }),
);

export const conditionalCharRnnKind = defineKind(
  charRnnDefinition('conditional-char-rnn', conditionalGenerate, {
    label: 'Conditional Char-RNN',
    description: 'Also learns key, pitch and density, so that Generate can steer it, and they can change while it plays.',
  }),
);

