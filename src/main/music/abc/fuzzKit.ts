// Mutations of real ABC tunes for fuzzing the reader: shared by the fuzz test and the long fuzzing script.
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { splitTunes } from './parse';

const FIXTURES = fileURLToPath(new URL('../../../../tests/fixtures/nottingham/', import.meta.url));
/** A bound on notes per tune, so that a mutant like A99999 cannot make a song of unbounded size. */
export const MAX_NOTES = 20_000;

/** The tunes of the set as separate texts (every 3rd tune keeps the run short but varied). */
export const TUNES: string[] = readdirSync(FIXTURES)
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

export const mutation = fc.oneof(
  fc.record({ kind: fc.constant('delete' as const), at: fc.nat(), len: fc.integer({ min: 1, max: 40 }) }),
  fc.record({ kind: fc.constant('duplicate' as const), at: fc.nat(), len: fc.integer({ min: 1, max: 80 }) }),
  fc.record({ kind: fc.constant('insert' as const), at: fc.nat(), text: fc.string({ maxLength: 6 }) }),
  fc.record({ kind: fc.constant('nasty' as const), at: fc.nat(), text: fc.constantFrom(...NASTY) }),
);

export type Mutation = typeof mutation extends fc.Arbitrary<infer T> ? T : never;

export function apply(text: string, m: Mutation): string {
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
