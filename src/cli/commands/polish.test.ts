// `deep-symphony polish` in-process: a tiny Refine Net trained from flags polishes MIDI and ABC files; bad input writes nothing.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CliIO } from '../command';
import { main } from '../index';

const FIXTURES = fileURLToPath(new URL('../../../tests/fixtures/', import.meta.url));
const MIDO_DUMP = fileURLToPath(new URL('../../main/music/midi/mido-dump.py', import.meta.url));
let root: string;
let model: string;
const saved = process.env.DEEP_SYMPHONY_HOME;

function fakeIO() {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIO = { out: (l) => out.push(l), err: (l) => err.push(l), progress: () => {}, signal: new AbortController().signal };
  return { io, out, err };
}

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'cli-polish-'));
  process.env.DEEP_SYMPHONY_HOME = join(root, 'home');
  model = join(root, 'refine');
  const { io, err } = fakeIO();
  const code = await main(['train', '--model', 'refine-net', '--data', join(FIXTURES, 'charrnn'), '--out', model, '--cache', join(root, 'cache'), '--preset', 'tiny', '--steps', '20', '--batch', '4', '--window', '16', '--valid-every', '10'], io);
  expect(err.join('\n')).toBe('');
  expect(code).toBe(0);
}, 120_000);
afterAll(() => {
  if (saved === undefined) delete process.env.DEEP_SYMPHONY_HOME;
  else process.env.DEEP_SYMPHONY_HOME = saved;
  rmSync(root, { recursive: true, force: true });
});

/** Notes as mido reads them: [pitch, velocity, start, end, channel, track]. */
function mido(path: string): number[][] {
  return (JSON.parse(execFileSync('/usr/bin/python3', [MIDO_DUMP, '--notes', path], { encoding: 'utf8' })) as { notes: number[][] }).notes;
}

describe('deep-symphony polish', () => {
  it('polishes a MIDI file: the same pitches in the same onset order, read back by mido', async () => {
    const input = join(FIXTURES, 'charrnn', 'haydn_7_1.mid');
    const out = join(root, 'polished.mid');
    const { io, out: lines } = fakeIO();
    expect(await main(['polish', input, '--out', out, '--model', model, '--strength', '0.5'], io)).toBe(0);
    expect(lines.join('\n')).toMatch(/notes polished with refine \(durations and velocities, strength 0.5\)/);
    const before = mido(input);
    const after = mido(out);
    expect(after.length).toBe(before.length);
    expect(after.map((n) => n[0]).sort()).toEqual(before.map((n) => n[0]).sort());
  });

  it('polishes an ABC tune, only its velocities when asked', async () => {
    const out = join(root, 'tune.mid');
    const { io } = fakeIO();
    expect(await main(['polish', join(FIXTURES, 'nottingham', 'ashover.abc'), '--out', out, '--model', model, '--velocities', '--json'], io)).toBe(0);
    expect(existsSync(out)).toBe(true);
  });

  it('refuses a malformed input with the import\'s named error, and writes nothing', async () => {
    const bad = join(root, 'bad.mid');
    writeFileSync(bad, readFileSync(join(FIXTURES, 'charrnn', 'haydn_7_1.mid')).subarray(0, 100));
    const out = join(root, 'never.mid');
    const { io, err } = fakeIO();
    expect(await main(['polish', bad, '--out', out, '--model', model], io)).toBe(1);
    expect(err.join('\n')).toMatch(/MidiFormatError/);
    expect(existsSync(out)).toBe(false);
    const none = fakeIO();
    expect(await main(['polish', join(root, 'missing.mid'), '--out', out], none.io)).toBe(2);
    expect(none.err.join('\n')).toMatch(/input: no file/);
    const notMusic = fakeIO();
    expect(await main(['polish', bad, '--out', out, '--model', model, '--strength', '2'], notMusic.io)).toBe(2);
    expect(notMusic.err.join('\n')).toMatch(/--strength must be a number between 0 and 1/);
  });
});
