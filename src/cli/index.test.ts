// Bad command lines and damaged inputs get one clear line and an exit code, never a stack trace, and no work is done first.
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CliIO } from './command';
import { describeError, main } from './index';

const RESOURCES = fileURLToPath(new URL('../../resources/models/', import.meta.url));
let root: string;

function fakeIO() {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIO = { out: (l) => out.push(l), err: (l) => err.push(l), progress: () => {}, signal: new AbortController().signal };
  return { io, out, err };
}

async function run(argv: string[]): Promise<{ code: number; err: string; out: string }> {
  const { io, out, err } = fakeIO();
  const code = await main(argv, io);
  return { code, err: err.join('\n'), out: out.join('\n') };
}

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'cli-errors-'));
  // A model folder whose weights are all NaN, and one that lost its weights manifest.
  cpSync(join(RESOURCES, 'piano-char-rnn'), join(root, 'nan'), { recursive: true });
  const bin = join(root, 'nan', 'checkpoint', 'weights.bin');
  const nan = new Float32Array(readFileSync(bin).byteLength / 4).fill(NaN);
  writeFileSync(bin, new Uint8Array(nan.buffer));
  cpSync(join(RESOURCES, 'piano-char-rnn'), join(root, 'incomplete'), { recursive: true });
  rmSync(join(root, 'incomplete', 'checkpoint', 'weights.json'));
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('the CLI on bad input', () => {
  it.each([
    [['generate', '--out', '/nonexistent/dir/x.mid'], 2, /--out: the folder "\/nonexistent\/dir" does not exist/],
    [['generate', '--out', '/tmp'], 2, /--out "\/tmp" is a folder/],
    [['generate', '--out', 'x.mid', '--primer', '/nonexistent.mid'], 2, /--primer: no file "\/nonexistent.mid"/],
    [['generate', '--out', 'x.mid', '--seconds', '-5'], 2, /--seconds must be a number between 0.1 and 3600, got "-5"/],
    [['generate', '--out', 'x.mid', '--seconds'], 2, /--seconds needs a value/],
    [['generate', '--out', 'x.mid', '--seed', '1.5'], 2, /--seed must be a whole number/],
    [['generate', '--out', 'x.mid', '--model', '../etc'], 1, /no model folder at/],
    [['import', '/proc/1'], 1, /./],
    [['import'], 2, /expected one folder/],
    [['nope'], 2, /unknown command "nope"/],
  ] as const)('%j', async (argv, code, pattern) => {
    const r = await run([...argv]);
    expect(r.code).toBe(code);
    expect(r.err).toMatch(pattern);
    expect(r.err).not.toMatch(/\n\s+at |\bat .*\.(ts|js):\d+/);
    expect(r.err.length).toBeLessThan(1200);
  });

  it('checks the output before generating: a bad --out leaves no file and loads no model', async () => {
    const r = await run(['generate', '--out', join(root, 'missing', 'x.mid'), '--model', join(root, 'nan')]);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/--out/);
  });

  it('refuses a model whose weights are NaN instead of writing an empty file', async () => {
    const out = join(root, 'nan.mid');
    const r = await run(['generate', '--model', join(root, 'nan'), '--out', out, '--seconds', '2']);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/CheckpointError: weights ".*" hold NaN/);
    expect(existsSync(out)).toBe(false);
  });

  it('names the missing file of an incomplete model folder', async () => {
    const r = await run(['generate', '--model', join(root, 'incomplete'), '--out', join(root, 'i.mid')]);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/CheckpointError: the checkpoint in ".*" has no weights.json/);
  });

  it('describes any error in one line, and file errors by what could not be done to which path', () => {
    const enoent = Object.assign(new Error("ENOENT: no such file or directory, open '/x/y'"), { code: 'ENOENT', syscall: 'open', path: '/x/y' });
    expect(describeError(enoent)).toBe('cannot open "/x/y": no such file or folder');
    const internal = new Error('line one\n    at some.js:1:2\n' + 'x'.repeat(40_000));
    expect(describeError(internal)).toMatch(/^internal error: line one \(run with DEEP_SYMPHONY_DEBUG=1 for details\)$/);
  });
});
