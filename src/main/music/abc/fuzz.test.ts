// Fuzz test: mutated Nottingham tunes always come back as tunes or named AbcParseErrors, quickly and bounded.
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AbcParseError } from './errors';
import { parseAbcFile, splitTunes } from './parse';
import { serializeAbc } from './serialize';

const FIXTURES = fileURLToPath(new URL('../../../../tests/fixtures/nottingham/', import.meta.url));
const MAX_NOTES = 20_000;

/** The tunes of the set as separate texts (every 3rd tune keeps the run short but varied). */
const TUNES: string[] = readdirSync(FIXTURES)
  .filter((f) => f.endsWith('.abc'))
  .sort()
  .flatMap((f) => {
    const text = readFileSync(`${FIXTURES}${f}`, 'utf8');
    return splitTunes(text).map((t) => [`X:${t.referenceNumber}`, ...t.lines.map((l) => l.text)].join('\n'));
  })
  .filter((_, i) => i % 3 === 0);

/** Snippets that stress the reader: unbalanced repeats, huge lengths, deep tuplets, broken fields. */
const NASTY = [
  '|: :| :|', ':|', '|:', '::', '[1', '[2', ':|2', '|]', '||', 'A99999', 'z99999', 'Z9999', '(9(9(9(9', '(3:2:9999',
  '((3', '[[[', ']]]', '{{{', '}}}', '"', '"Am', '!trill', '-', '--', '>>>>', '<<<', 'A/99999', 'A////////////',
  '^^^^', '__', '=', "c''''''''", 'C,,,,,,,,,', '[K:', '[K:H#m]', '[M:0/0]', '[L:0/1]', '\nK:\n', '\nM:99999/1\n',
  '\nL:1/99999999\n', '\nQ:0\n', '\nP:A\n', '\nX:\n', '\n\n', '%', '\\', '&', '$', '+', '[CEG', 'x', 'y',
];

const mutation = fc.oneof(
  fc.record({ kind: fc.constant('delete' as const), at: fc.nat(), len: fc.integer({ min: 1, max: 40 }) }),
  fc.record({ kind: fc.constant('duplicate' as const), at: fc.nat(), len: fc.integer({ min: 1, max: 80 }) }),
  fc.record({ kind: fc.constant('insert' as const), at: fc.nat(), text: fc.string({ maxLength: 6 }) }),
  fc.record({ kind: fc.constant('nasty' as const), at: fc.nat(), text: fc.constantFrom(...NASTY) }),
);

type Mutation = typeof mutation extends fc.Arbitrary<infer T> ? T : never;

function apply(text: string, m: Mutation): string {
  const at = m.at % (text.length + 1);
  switch (m.kind) {
    case 'delete':
      return text.slice(0, at) + text.slice(at + m.len);
    case 'duplicate':
      return text.slice(0, at) + text.slice(at, at + m.len) + text.slice(at);
    case 'insert':
    case 'nasty':
      return text.slice(0, at) + m.text + text.slice(at);
  }
}

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
      { numRuns: 400, seed: 20260501 },
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
