// Checks the Generate form's translation into GenerateOptions and the engine's results into library data.
import { describe, expect, it } from 'vitest';
import { emptySequence } from '../../../shared/song';
import { DEFAULT_FORM, KEY_CHOICES, describeOptions, isGenerationResult, toGenerateOptions, toPlagiarismSummary } from './generation';
import { appendPoint, lossColumns, lossPointOf, samplePreviewOf, type LossPoint } from './trainData';

describe('generation form', () => {
  it('offers all 24 keys and sends conditions only to conditional models', () => {
    expect(KEY_CHOICES).toHaveLength(24);
    const form = { ...DEFAULT_FORM, key: '9-minor', pitchMean: 64, density: 4, seed: 42 };
    expect(toGenerateOptions(form, true)).toEqual({ temperature: 1, lengthSeconds: 20, seed: 42, conditions: { keyPreset: { tonic: 9, mode: 'minor' }, pitchMean: 64, density: 4 } });
    expect(toGenerateOptions(form, false)).toEqual({ temperature: 1, lengthSeconds: 20, seed: 42 });
    const primer = emptySequence();
    expect(toGenerateOptions({ ...DEFAULT_FORM, primer }, true).primer).toBeUndefined();
    primer.notes.push({ pitch: 60, velocity: 80, startTick: 0, endTick: 10, track: 0 });
    expect(toGenerateOptions({ ...DEFAULT_FORM, primer }, true).primer).toBe(primer);
  });

  it('describes results and converts plagiarism reports', () => {
    expect(describeOptions({ options: { temperature: 0.9, lengthSeconds: 30, conditions: { keyPreset: { tonic: 9, mode: 'minor' }, density: 4 } } })).toEqual({ temperature: 0.9, length: '30s', key: 'A minor', density: '4/s' });
    expect(toPlagiarismSummary(undefined, 'x')).toBeNull();
    expect(toPlagiarismSummary({ queryLength: 100, longestRun: { pieceId: 'p', name: 'Reel 3', length: 7 }, lcs: { pieceId: 'p', name: 'Reel 3', length: 40, ratio: 0.4 } }, 'Nottingham')).toEqual({ longestRun: 7, longestRunPiece: 'Reel 3', lcsRatio: 0.4, lcsPiece: 'Reel 3', corpus: 'Nottingham' });
    expect(isGenerationResult({ seed: 1, sequence: emptySequence(), options: {} })).toBe(true);
    expect(isGenerationResult({ seed: 1, sequence: null, options: {} })).toBe(false);
  });
});

describe('training data', () => {
  it('reads loss points and sample previews, and keeps steps increasing on resume', () => {
    expect(lossPointOf({ step: 3, loss: 2.5, smoothedLoss: 2.7 })).toEqual({ step: 3, loss: 2.5, smoothed: 2.7, valid: null });
    expect(lossPointOf({ loss: 1 })).toBeNull();
    expect(samplePreviewOf({ sample: emptySequence() })?.ppq).toBe(480);
    expect(samplePreviewOf({ sample: { notes: 'x' } })).toBeNull();
    let pts: LossPoint[] = [1, 2, 3, 4].map((s) => ({ step: s, loss: 5 - s, smoothed: null, valid: null }));
    pts = appendPoint(pts, { step: 3, loss: 9, smoothed: null, valid: 1 });
    expect(pts.map((p) => p.step)).toEqual([1, 2, 3]);
    expect(lossColumns(pts)).toEqual([[1, 2, 3], [4, 3, 9], [null, null, null], [null, null, 1]]);
  });
});
