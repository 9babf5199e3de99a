// `deep-symphony generate` with no set-up uses the shipped default model; the file reads back in an independent reader.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { CliIO } from '../command';
import { main } from '../index';

const root = mkdtempSync(join(tmpdir(), 'cli-generate-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

function fakeIO() {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIO = { out: (l) => out.push(l), err: (l) => err.push(l), progress: () => {}, signal: new AbortController().signal };
  return { io, out, err };
}

/** Note count and length of a MIDI file, as Debian's python3-mido reads it. */
function mido(file: string): { notes: number; seconds: number } {
  const script = 'import mido,sys,json; m=mido.MidiFile(sys.argv[1]); print(json.dumps({"notes": sum(1 for t in m.tracks for e in t if e.type=="note_on" and e.velocity>0), "seconds": m.length}))';
  return JSON.parse(execFileSync('/usr/bin/python3', ['-c', script, file], { encoding: 'utf8' })) as { notes: number; seconds: number };
}

describe('deep-symphony generate', () => {
  it('writes a MIDI file from the shipped default model, the same for the same seed', async () => {
    const a = join(root, 'a.mid');
    const b = join(root, 'b.mid');
    const first = fakeIO();
    expect(await main(['generate', '--out', a, '--seconds', '6', '--seed', '11', '--key', 'G major'], first.io)).toBe(0);
    expect(first.out.join('\n')).toMatch(/piano-conditional-char-rnn/);
    // The plagiarism line grades against chance and never gives the LCS as a bare share.
    expect(first.out.join('\n')).toMatch(/plagiarism check: (original|quote \d+|copy \d+)\. .*× what unrelated music of this length shares/);
    expect(first.out.join('\n')).not.toMatch(/\d\s*%/);
    expect(await main(['generate', '--out', b, '--seconds', '6', '--seed', '11', '--key', 'G major'], fakeIO().io)).toBe(0);
    expect(readFileSync(a).equals(readFileSync(b))).toBe(true);
    const read = mido(a);
    expect(read.notes).toBeGreaterThan(5);
    expect(read.seconds).toBeGreaterThan(4);
    expect(read.seconds).toBeLessThan(9);
  });

  it('names the flag that is wrong and exits with 2', async () => {
    for (const [argv, pattern] of [
      [['generate', '--seconds', '10'], /--out/],
      [['generate', '--out', join(root, 'x.mid'), '--seconds', 'ten'], /--seconds/],
      [['generate', '--out', join(root, 'x.mid'), '--key', 'H major'], /key/i],
      [['generate', '--out', join(root, 'x.mid'), '--model', 'no-such-model'], /no-such-model/],
    ] as const) {
      const { io, err } = fakeIO();
      const code = await main([...argv], io);
      expect(code, argv.join(' ')).toBeGreaterThan(0);
      expect(err.join('\n'), argv.join(' ')).toMatch(pattern);
    }
  });
});
