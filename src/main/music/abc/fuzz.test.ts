// Fuzz test: mutated Nottingham tunes always come back as tunes or named AbcParseErrors, quickly and bounded.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AbcParseError } from './errors';
import { apply, MAX_NOTES, mutation, TUNES } from './fuzzKit';
import { parseAbcFile } from './parse';
import { serializeAbc } from './serialize';

describe('parseAbc under mutation', () => {
  it('returns tunes or named errors within 100 ms per tune and bounded notes', () => {
    expect(TUNES.length).toBeGreaterThan(300);
    const heapBefore = process.memoryUsage().heapUsed;
    fc.assert(
      fc.property(fc.nat({ max: TUNES.length - 1 }), fc.array(mutation, { minLength: 1, maxLength: 8 }), (index, mutations) => {
        const text = mutations.reduce(apply, TUNES[index]!);
        const t0 = performance.now();
        const { tunes, errors } = parseAbcFile(text, { maxNotes: MAX_NOTES });
        const elapsed = performance.now() - t0;
        const count = Math.max(1, tunes.length + errors.length);
        expect(elapsed).toBeLessThan(100 * count);
        for (const e of errors) {
          expect(e).toBeInstanceOf(AbcParseError);
          expect(e.message).not.toContain('internal error');
          expect(e.details.line).toBeGreaterThan(0);
        }
        for (const t of tunes) {
          const melody = t.sequence.notes.filter((n) => n.track === 0);
          expect(melody.length).toBeLessThanOrEqual(MAX_NOTES);
          const bad = t.sequence.notes.find((n) => !(Number.isFinite(n.startTick) && n.endTick >= n.startTick && n.pitch >= 0 && n.pitch <= 127));
          expect(bad).toBeUndefined();
        }
      }),
      { numRuns: 5000, seed: 20260501 },
    );
    expect(process.memoryUsage().heapUsed - heapBefore).toBeLessThan(512 * 1024 * 1024);
  });

  it('writes every parsed mutant back without throwing', () => {
    fc.assert(
      fc.property(fc.nat({ max: TUNES.length - 1 }), fc.array(mutation, { minLength: 1, maxLength: 4 }), (index, mutations) => {
        const { tunes } = parseAbcFile(mutations.reduce(apply, TUNES[index]!), { maxNotes: MAX_NOTES });
        for (const t of tunes) {
          if (t.sequence.notes.length > 2000 || t.sequence.notes.some((n) => n.endTick > 1e7)) continue;
          expect(typeof serializeAbc(t.sequence)).toBe('string');
        }
      }),
      { numRuns: 150, seed: 7 },
    );
  });
});
