// The Generate form built from a kind's schema, what it sends, and how results and training points become library and plot data.
import { describe, expect, it } from 'vitest';
import type { KindInfo } from '../../../shared/api/models';
import type { TrainPoint } from '../../../shared/jobs';
import { keyForSeed } from '../../../shared/keys';
import { describeResult, generateFields, generateParams, KEY_NONE, resolveGeneration, toPlagiarismSummary } from './generation';
import { appendPoint, plotColumns } from './trainData';

const kind: KindInfo = {
  id: 'toy',
  label: 'Toy',
  description: '',
  representation: '',
  capabilities: ['sample'],
  presets: [],
  defaultPreset: 'small',
  trainSchema: { type: 'object', properties: {} },
  generateSchema: {
    type: 'object',
    properties: {
      seconds: { type: 'number', minimum: 1, maximum: 60, default: 30, title: 'Length', unit: 's', slider: { min: 5, max: 60, step: 5 } },
      key: { type: 'string', title: 'Key', widget: 'key', group: 'Conditions' },
      seed: { type: 'integer', minimum: 0, title: 'Seed', widget: 'seed' },
      topK: { type: 'integer', minimum: 0, default: 0, title: 'Top k', advanced: true },
    },
  },
  evaluateSchema: null,
  refineSchema: null,
  metrics: [],
  trainingMetrics: [],
};

describe('generation form', () => {
  it('takes its fields from the model kind and sends only the values set', () => {
    const fields = generateFields({ kind: 'toy' }, [kind]);
    expect(fields.map((f) => [f.key, f.type, f.widget ?? null, f.group ?? null])).toEqual([
      ['seconds', 'number', null, null],
      ['key', 'string', 'key', 'Conditions'],
      ['seed', 'integer', 'seed', null],
      ['topK', 'integer', null, null],
    ]);
    expect(generateFields({ kind: 'other' }, [kind])).toEqual([]);
    expect(generateParams(fields, { seconds: 20, key: '', seed: undefined, topK: 3 })).toEqual({ seconds: 20, topK: 3 });
  });

  it('describes results by field titles and converts plagiarism reports', () => {
    const fields = generateFields({ kind: 'toy' }, [kind]);
    expect(describeResult(fields, { params: { seconds: 20, key: 'A minor', seed: 4, topK: 0 } })).toEqual({ Length: '20 s', Key: 'A minor' });
    expect(toPlagiarismSummary(undefined, 'x', false)).toBeNull();
    expect(toPlagiarismSummary({ queryLength: 100, longestRun: { pieceId: 'p', name: 'Reel 3', length: 7 }, lcs: { pieceId: 'p', name: 'Reel 3', length: 40, ratio: 0.4 } }, 'Nottingham', false)).toEqual({ longestRun: 7, longestRunPiece: 'Reel 3', lcsRatio: 0.4, lcsPiece: 'Reel 3', corpus: 'Nottingham', chanceMeasured: false });
  });

  it('picks the seed when it is left open and the key from the seed when it is on Auto', () => {
    const fields = generateFields({ kind: 'toy' }, [kind]);
    const auto = resolveGeneration(fields, { seconds: 20 }, () => 0.5);
    expect(auto.seed).toBe(2 ** 30);
    expect(auto.key).toBe(keyForSeed(2 ** 30).name);
    expect(auto.keyFromSeed).toBe(true);
    expect(auto.params).toEqual({ seconds: 20, seed: 2 ** 30, key: auto.key });
    // A seed the composer gave decides the key: the same seed, the same key.
    expect(resolveGeneration(fields, { seed: 42 }).params).toEqual({ seed: 42, key: keyForSeed(42).name });
    expect(resolveGeneration(fields, { seed: 42, key: 'F# minor' })).toMatchObject({ key: 'F# minor', keyFromSeed: false, params: { seed: 42, key: 'F# minor' } });
    // "No key" sends none: the engine conditions as it does without one.
    expect(resolveGeneration(fields, { seed: 42, key: KEY_NONE })).toEqual({ params: { seed: 42 }, seed: 42, key: null, keyFromSeed: false });
    expect(resolveGeneration([fields[0]!], { seconds: 5 })).toEqual({ params: { seconds: 5 }, seed: null, key: null, keyFromSeed: false });
  });
});

describe('training points', () => {
  const point = (step: number, metrics: Record<string, number>, valid?: Record<string, number>): TrainPoint => ({ step, phase: 'train', metrics, smoothed: metrics, ...(valid ? { valid } : {}) });

  it('keeps steps increasing on resume and lays out one series per metric', () => {
    let pts = [1, 2, 3, 4].map((s) => point(s, { loss: 5 - s }));
    pts = appendPoint(pts, point(3, { loss: 9 }, { loss: 1 }));
    expect(pts.map((p) => p.step)).toEqual([1, 2, 3]);
    const { steps, series } = plotColumns(pts);
    expect(steps).toEqual([1, 2, 3]);
    expect(series.map((s) => [s.label, s.values])).toEqual([
      ['loss', [4, 3, 9]],
      ['smoothed', [4, 3, 9]],
      ['valid', [null, null, 1]],
    ]);
  });

  it('plots any named metrics of a recipe, e.g. a critic and a generator', () => {
    const { series } = plotColumns([point(1, { critic: -1 }), point(2, { critic: -2, generator: 3 })]);
    expect(series.map((s) => s.label)).toEqual(['critic', 'critic (smoothed)', 'generator', 'generator (smoothed)']);
    expect(series[2]!.values).toEqual([null, 3]);
  });
});
