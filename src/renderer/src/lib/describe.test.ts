// Checks the library's wording of origins, durations and plagiarism levels.
import { describe, expect, it } from 'vitest';
import { emptySequence } from '../../../shared/song';
import { asFragmentId } from '../../../shared/units';
import { describeOrigin, formatDuration, plagiarismBadge } from './describe';

describe('describe', () => {
  it('lists seed and conditions of a generated fragment', () => {
    const d = describeOrigin({ kind: 'generated', modelId: 'm', modelName: 'Char-RNN', seed: 7, options: { temperature: 0.95, key: 'C major', seed: 7, primer: null } });
    expect(d).toEqual({ source: 'Char-RNN', detail: 'seed 7 · temperature 0.95 · key C major' });
    expect(describeOrigin({ kind: 'edited', from: asFragmentId('f') }).source).toBe('Edited');
  });
  it('formats durations and grades plagiarism', () => {
    const seq = emptySequence(480);
    seq.notes = [{ pitch: 60, velocity: 80, startTick: 0, endTick: 480 * 2 * 65, track: 0 }];
    expect(formatDuration(seq)).toBe('1:05');
    const base = { longestRunPiece: null, lcsPiece: 'jigs 12', corpus: 'Nottingham' };
    expect(plagiarismBadge({ ...base, longestRun: 6, lcsRatio: 0.9 })).toMatchObject({ text: 'copy 6', level: 'low' });
    expect(plagiarismBadge({ ...base, longestRun: 0, lcsRatio: 0.8 })).toMatchObject({ text: 'original', level: 'low' });
    expect(plagiarismBadge({ ...base, longestRun: 12, lcsRatio: 0.2 }).level).toBe('mid');
    expect(plagiarismBadge({ ...base, longestRun: 40, lcsRatio: 0.5 }).level).toBe('high');
    expect(plagiarismBadge({ ...base, longestRun: 40, lcsRatio: 0.5 }).title).toMatch(/copied exactly: 40 notes[\s\S]*50%/);
  });
});
