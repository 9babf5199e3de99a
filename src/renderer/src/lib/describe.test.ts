// Checks the library's wording: short names, origins with their primer, durations, and plagiarism graded against chance, never "100%".
import { describe, expect, it } from 'vitest';
import { chanceAt } from '../../../shared/plagiarism';
import { emptySequence, type NoteSequence } from '../../../shared/song';
import type { FragmentOrigin, PlagiarismSummary } from '../../../shared/studio';
import { asFragmentId } from '../../../shared/units';
import { describeOrigin, formatDuration, generatedName, originTooltip, plagiarismBadge } from './describe';

function notes(count: number): NoteSequence {
  const seq = emptySequence(480);
  seq.notes = Array.from({ length: count }, (_, i) => ({ pitch: 60 + (i % 12), velocity: 80, startTick: i * 240, endTick: i * 240 + 240, track: 0 }));
  return seq;
}
const generated: FragmentOrigin = { kind: 'generated', modelId: 'piano-conditional-char-rnn', modelName: 'Piano', seed: 7, options: {} };
const imported: FragmentOrigin = { kind: 'imported', fileName: 'chpn-p7.mid', format: 'midi' };
const summary = (p: Partial<PlagiarismSummary>): PlagiarismSummary => ({ longestRun: 0, longestRunPiece: null, lcsRatio: 0, lcsPiece: 'Prelude', corpus: 'piano', chanceMeasured: true, ...p });

describe('describe', () => {
  it('lists seed, conditions and the primer of a generated fragment', () => {
    const d = describeOrigin({ kind: 'generated', modelId: 'm', modelName: 'Char-RNN', seed: 7, options: { Temperature: 0.95, Key: 'Eb major' }, primer: { fragmentId: asFragmentId('f'), name: 'Theme', notes: 12 } });
    expect(d).toEqual({ source: 'Char-RNN', detail: 'seed 7 · Temperature 0.95 · Key E♭ major · continues “Theme”' });
    expect(describeOrigin({ kind: 'edited', from: asFragmentId('f') }).source).toBe('Edited');
    expect(originTooltip({ name: 'D minor · 20 s · #7', origin: generated, createdAt: 0 })).toMatch(/^D minor · 20 s · #7\nPiano\nseed 7\nMade /);
  });

  it('names generated fragments by key, length and seed', () => {
    expect(generatedName('D minor', 19.6, 42)).toBe('D minor · 20 s · #42');
    expect(generatedName('Bb major', 125, 3)).toBe('B♭ major · 2:05 · #3');
    expect(generatedName(null, 5, 9)).toBe('5 s · #9');
    const seq = emptySequence(480);
    seq.notes = [{ pitch: 60, velocity: 80, startTick: 0, endTick: 480 * 2 * 65, track: 0 }];
    expect(formatDuration(seq)).toBe('1:05');
  });

  it('grades the longest copied run against what unrelated music of the same length reaches', () => {
    const seq = notes(300);
    const chance = chanceAt(300);
    expect(plagiarismBadge(summary({ longestRun: 0, lcsRatio: 0.9 }), { origin: generated, sequence: seq })).toMatchObject({ badge: 'original', level: 'low' });
    expect(plagiarismBadge(summary({ longestRun: chance.runP95 }), { origin: generated, sequence: seq }).badge).toBe('original');
    expect(plagiarismBadge(summary({ longestRun: chance.runP95 + 1 }), { origin: generated, sequence: seq })).toMatchObject({ badge: `quote ${chance.runP95 + 1}`, level: 'mid' });
    expect(plagiarismBadge(summary({ longestRun: chance.runMax + 1 }), { origin: generated, sequence: seq })).toMatchObject({ badge: `copy ${chance.runMax + 1}`, level: 'high' });
    // Imported music found in the corpus is not called a copy.
    expect(plagiarismBadge(summary({ longestRun: 1518, lcsRatio: 1 }), { origin: imported, sequence: notes(1600) })).toMatchObject({ badge: 'in training set', level: 'info' });
    // Without a measured chance level, fixed thresholds and no LCS figure.
    const unmeasured = plagiarismBadge(summary({ longestRun: 12, chanceMeasured: false }), { origin: generated, sequence: seq });
    expect(unmeasured.badge).toBe('quote 12');
    expect(unmeasured.title).toMatch(/not shown/);
  });

  it('never says "100%": the LCS is told as a multiple of chance', () => {
    for (const length of [20, 60, 130, 400, 2000]) {
      for (const ratio of [0.5, 0.93, 1]) {
        const b = plagiarismBadge(summary({ longestRun: 7, lcsRatio: ratio }), { origin: generated, sequence: notes(length) });
        expect(`${b.badge}\n${b.title}`).not.toMatch(/\d+\s*%/);
        expect(b.lcsTimesChance).toBeCloseTo(ratio / chanceAt(length).lcsMean, 6);
      }
    }
    const short = plagiarismBadge(summary({ longestRun: 0, lcsRatio: 1 }), { origin: generated, sequence: notes(130) });
    expect(short.title).toMatch(/1\.0\d× what unrelated music of this length shares, as it does by chance/);
  });
});
