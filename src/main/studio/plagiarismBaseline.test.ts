// The chance level the badge compares with was measured on the index the shipped models carry; a new index needs a new measurement.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { BASELINE_CORPUS, BASELINE_MODEL_IDS, BASELINE_REFERENCE, chanceAt } from '../../shared/plagiarism';
import { PlagiarismIndex } from '../ml/eval/plagiarism';

const MODELS = fileURLToPath(new URL('../../../resources/models/', import.meta.url));

describe('the measured plagiarism baseline', () => {
  it('belongs to the index the shipped models carry (else run scripts/plagiarism-baseline.ts again)', () => {
    expect(BASELINE_MODEL_IDS.length).toBeGreaterThan(0);
    for (const id of BASELINE_MODEL_IDS) {
      const bytes = readFileSync(`${MODELS}${id}/plagiarism.bin`);
      expect(createHash('sha256').update(bytes).digest('hex'), id).toBe(BASELINE_CORPUS.sha256);
      const index = PlagiarismIndex.fromBinary(new Uint8Array(bytes));
      expect([index.pieceCount, index.corpusLength]).toEqual([BASELINE_CORPUS.pieces, BASELINE_CORPUS.notes]);
    }
  });

  it('falls with length, as the LCS share of unrelated music does, and interpolates between lengths', () => {
    const rows = BASELINE_REFERENCE.rows;
    expect(rows.length).toBeGreaterThanOrEqual(6);
    for (let i = 1; i < rows.length; i++) {
      expect(rows[i]!.length).toBeGreaterThan(rows[i - 1]!.length);
      expect(rows[i]!.lcsRatio.mean).toBeLessThanOrEqual(rows[i - 1]!.lcsRatio.mean);
      expect(rows[i]!.samples).toBeGreaterThanOrEqual(100);
    }
    const mid = chanceAt(Math.round(Math.sqrt(rows[3]!.length * rows[4]!.length)));
    expect(mid.lcsMean).toBeLessThan(rows[3]!.lcsRatio.mean);
    expect(mid.lcsMean).toBeGreaterThan(rows[4]!.lcsRatio.mean);
    expect(chanceAt(1).lcsMean).toBe(rows[0]!.lcsRatio.mean);
    expect(chanceAt(1e9).lcsMean).toBe(rows[rows.length - 1]!.lcsRatio.mean);
  });
});
