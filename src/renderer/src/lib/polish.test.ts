// Which models generate and which polish, the model a polish uses, what the Train view offers after a run, the polish form and its report in words.
import { describe, expect, it } from 'vitest';
import type { Capability, KindInfo, ModelInfo } from '../../../shared/api/models';
import { describePolishReport, generatorModels, nextStepAfterTraining, pickPolishModel, polishFields, polishKind, polishModels, polishSummary } from './polish';

type M = Pick<ModelInfo, 'id' | 'source' | 'createdAt' | 'capabilities'>;
const model = (id: string, capabilities: Capability[], source: M['source'] = 'shipped', createdAt = '2024-01-01T00:00:00.000Z'): M => ({ id, capabilities, source, createdAt });

const writer = model('writer', ['sample', 'continue', 'stream']);
const gan = model('gan', ['sample', 'noise']);
const shippedPolisher = model('shipped-polisher', ['refine']);
const oldMine = model('old-mine', ['refine'], 'user', '2024-03-01T10:00:00.000Z');
const newMine = model('new-mine', ['refine'], 'user', '2024-05-01T10:00:00.000Z');

function kind(id: string, capabilities: Capability[], refineSchema: KindInfo['refineSchema'] = null): KindInfo {
  return {
    id,
    label: `${id} label`,
    description: '',
    representation: '',
    capabilities,
    presets: [],
    defaultPreset: 'tiny',
    trainSchema: { type: 'object', properties: {} },
    generateSchema: null,
    evaluateSchema: null,
    refineSchema,
    metrics: [],
    trainingMetrics: [],
  };
}

describe('model lists', () => {
  it('the Generate panel lists the models that sample, never one that only polishes', () => {
    expect(generatorModels([writer, shippedPolisher, gan, newMine]).map((m) => m.id)).toEqual(['writer', 'gan']);
    expect(generatorModels([shippedPolisher])).toEqual([]);
  });

  it('the Polish step lists the models that refine', () => {
    expect(polishModels([writer, shippedPolisher, gan, newMine]).map((m) => m.id)).toEqual(['shipped-polisher', 'new-mine']);
  });

  it('polishes with the chosen model, else the newest of the composer\'s own, else a shipped one', () => {
    const all = [shippedPolisher, oldMine, newMine];
    expect(pickPolishModel(all, 'old-mine')?.id).toBe('old-mine');
    expect(pickPolishModel(all, null)?.id).toBe('new-mine');
    expect(pickPolishModel(all, 'deleted-since')?.id).toBe('new-mine');
    expect(pickPolishModel([shippedPolisher], null)?.id).toBe('shipped-polisher');
    expect(pickPolishModel([], null)).toBeUndefined();
  });
});

describe('after training', () => {
  it('offers to generate with a model that samples, to polish with one that only refines, else nothing', () => {
    expect(nextStepAfterTraining(['sample', 'condition'])).toBe('generate');
    expect(nextStepAfterTraining(['refine'])).toBe('polish');
    expect(nextStepAfterTraining(['encode'])).toBeNull();
    expect(nextStepAfterTraining(undefined)).toBeNull();
  });
});

describe('the polish form', () => {
  const refineSchema: KindInfo['refineSchema'] = {
    type: 'object',
    properties: {
      durations: { type: 'boolean', default: true, title: 'Durations' },
      velocities: { type: 'boolean', default: true, title: 'Velocities' },
      strength: { type: 'number', minimum: 0, maximum: 1, default: 1, title: 'Strength', slider: { min: 0, max: 1, step: 0.05 } },
    },
  };
  const kinds = [kind('writer-kind', ['sample']), kind('polish-kind', ['refine'], refineSchema)];

  it('comes from the kind\'s refine schema, field by field', () => {
    const fields = polishFields({ kind: 'polish-kind' }, kinds);
    expect(fields.map((f) => [f.key, f.type, f.default])).toEqual([
      ['durations', 'boolean', true],
      ['velocities', 'boolean', true],
      ['strength', 'number', 1],
    ]);
    expect(fields[2]?.slider).toEqual({ min: 0, max: 1, step: 0.05 });
    expect(polishFields({ kind: 'writer-kind' }, kinds)).toEqual([]);
    expect(polishFields(undefined, kinds)).toEqual([]);
  });

  it('names the kind to train when nothing can polish', () => {
    expect(polishKind(kinds)?.label).toBe('polish-kind label');
    expect(polishKind([kinds[0]!])).toBeUndefined();
  });
});

describe('the polish report in words', () => {
  const all = { notes: 42, onsetShiftBeats: 0.031, durationChangeBeats: 0.24, velocityChange: 8.6 };

  it('sums up what moved, by how much on average', () => {
    expect(polishSummary(all, { durations: true, velocities: true, strength: 1 })).toBe('On average: velocity ±9, onsets ±0.031 beats, lengths ±0.2 beats');
    expect(describePolishReport(all, { durations: true, velocities: true, strength: 1 })).toBe(
      'Velocities changed by 9, onsets moved 0.031 beats, lengths changed 0.2 beats on average; 42 notes, none added, dropped or re-pitched',
    );
  });

  it('leaves out what the options turned off', () => {
    expect(polishSummary({ notes: 1, onsetShiftBeats: 0, durationChangeBeats: 0, velocityChange: 12 }, { durations: false, velocities: true })).toBe('On average: velocity ±12');
    expect(describePolishReport({ notes: 1, velocityChange: 12 }, { durations: false })).toBe('Velocities changed by 12 on average; 1 note, none added, dropped or re-pitched');
    expect(polishSummary(all, { durations: false, velocities: false })).toBe('Nothing was changed');
    expect(describePolishReport(all, { durations: false, velocities: false })).toMatch(/^Nothing was changed; 42 notes/);
  });

  it('says so when the piece has no notes', () => {
    expect(polishSummary({ notes: 0 }, {})).toBe('Nothing to polish: the piece has no notes');
    expect(describePolishReport({ notes: 0 }, {})).toBe('Nothing to polish: the piece has no notes');
  });
});
