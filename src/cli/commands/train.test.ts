// `deep-symphony train` and `evaluate` run in-process: a tiny model trained from flags, resumed, then scored on one split or on every piece.
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CliIO } from '../command';
import { main } from '../index';
import { formatSeconds } from './train';

const FIXTURES = fileURLToPath(new URL('../../../tests/fixtures/', import.meta.url));
let root: string;
let outDir: string;
let cache: string;
const saved = { home: process.env.DEEP_SYMPHONY_HOME };

function fakeIO() {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIO = { out: (l) => out.push(l), err: (l) => err.push(l), progress: () => {}, signal: new AbortController().signal };
  return { io, out, err };
}

const tinyFlags = ['--preset', 'tiny', '--units', '16', '--batch', '4', '--segment', '16', '--valid-every', '10', '--checkpoint-every', '10', '--lr', '0.01', '--warmup', '2'];

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'cli-train-'));
  outDir = join(root, 'model');
  cache = join(root, 'cache');
  process.env.DEEP_SYMPHONY_HOME = join(root, 'home');
});
afterAll(() => {
  if (saved.home === undefined) delete process.env.DEEP_SYMPHONY_HOME;
  else process.env.DEEP_SYMPHONY_HOME = saved.home;
  rmSync(root, { recursive: true, force: true });
});

describe('deep-symphony train', () => {
  it('trains a model from its kind\'s flags into a model folder, and resumes it for more steps', async () => {
    const first = fakeIO();
    const code = await main(['train', '--model', 'char-rnn', '--data', join(FIXTURES, 'charrnn'), '--out', outDir, '--cache', cache, '--name', 'Tiny', '--steps', '20', ...tinyFlags], first.io);
    expect(first.err.join('\n')).toBe('');
    expect(code).toBe(0);
    expect(first.out.join('\n')).toMatch(/done in .*: 20 steps; valid loss \d\.\d{3} nats\/event/);
    const manifest = JSON.parse(await readFile(join(outDir, 'model.json'), 'utf8')) as { kind: string; name: string; config: { units: number[] }; metrics: { steps: number }; training: { preset: string; command: string } };
    expect(manifest.kind).toBe('char-rnn');
    expect(manifest.name).toBe('Tiny');
    expect(manifest.config.units).toEqual([16]);
    expect(manifest.training.preset).toBe('tiny');
    expect(manifest.training.command).toMatch(/^deep-symphony train --model char-rnn/);

    const again = fakeIO();
    expect(await main(['train', '--model', 'char-rnn', '--data', join(FIXTURES, 'charrnn'), '--out', outDir, '--cache', cache, '--steps', '30', '--resume'], again.io)).toBe(0);
    const resumed = JSON.parse(await readFile(join(outDir, 'model.json'), 'utf8')) as { name: string; metrics: { steps: number }; config: { units: number[] } };
    expect(resumed.metrics.steps).toBe(30);
    expect(resumed.name).toBe('Tiny');
    expect(resumed.config.units).toEqual([16]);
  }, 120_000);

  it('names the flag or value that is wrong, before reading any music', async () => {
    const cases: [string[], RegExp][] = [
      [['train', '--data', FIXTURES], /--model is required \(one of char-rnn, conditional-char-rnn/],
      [['train', '--model', 'gan', '--data', FIXTURES], /--model must be one of/],
      [['train', '--model', 'char-rnn'], /--data <folder> is required/],
      [['train', '--model', 'char-rnn', '--data', join(root, 'missing')], /--data: no folder/],
      [['train', '--model', 'char-rnn', '--data', FIXTURES, '--units', '3'], /units/],
      [['train', '--model', 'char-rnn', '--data', FIXTURES, '--lr', 'fast'], /--lr must be a number between 0.000001 and 1, got "fast"/],
      [['train', '--model', 'char-rnn', '--data', FIXTURES, '--steps', '-5'], /--steps must be a whole number between 1 and 10000000, got "-5"/],
      [['train', '--model', 'char-rnn', '--data', FIXTURES, '--preset', 'huge'], /--preset must be one of tiny, small, study/],
      [['train', '--model', 'char-rnn', '--data', FIXTURES, '--learning-rate', '0.1'], /unknown option --learning-rate/],
      [['train', '--model', 'char-rnn', '--data', FIXTURES, '--out', '/proc/1/nope'], /--out/],
    ];
    for (const [argv, pattern] of cases) {
      const { io, err } = fakeIO();
      expect(await main(argv, io), argv.join(' ')).toBeGreaterThan(0);
      expect(err.join('\n'), argv.join(' ')).toMatch(pattern);
      expect(err.join('\n'), argv.join(' ')).not.toMatch(/\n\s+at /);
    }
  });

  it('formats seconds and minutes without ever showing 60 seconds', () => {
    expect(formatSeconds(42.4)).toBe('42s');
    expect(formatSeconds(59.6)).toBe('1m00s');
    expect(formatSeconds(899.6)).toBe('15m00s');
    expect(formatSeconds(125)).toBe('2m05s');
    expect(formatSeconds(Infinity)).toBe('?');
  });
});

describe('deep-symphony evaluate', () => {
  it('scores every piece of a folder with --split all, and only the valid split by default', async () => {
    const folder = join(FIXTURES, 'charrnn');
    const all = fakeIO();
    expect(await main(['evaluate', '--model', outDir, '--data', folder, '--cache', cache, '--split', 'all', '--json'], all.io)).toBe(0);
    const report = JSON.parse(all.out.join('')) as { pieces: number; piecesInFolder: number; split: string; metrics: { nll: number }; count: number };
    expect(report.split).toBe('all');
    expect(report.pieces).toBe(6);
    expect(report.piecesInFolder).toBe(6);
    expect(report.metrics.nll).toBeGreaterThan(0);
    expect(report.metrics.nll).toBeLessThan(7);

    const valid = fakeIO();
    expect(await main(['evaluate', '--model', outDir, '--data', folder, '--cache', cache, '--json'], valid.io)).toBe(0);
    const v = JSON.parse(valid.out.join('')) as { pieces: number; count: number; split: string };
    expect(v.split).toBe('valid');
    expect(v.pieces).toBe(1);
    expect(v.count).toBeLessThan(report.count);

    const text = fakeIO();
    expect(await main(['evaluate', '--model', outDir, '--data', folder, '--cache', cache, '--split', 'all', '--window', '32'], text.io)).toBe(0);
    expect(text.out.join('\n')).toMatch(/every piece: 6 of 6 pieces/);
    expect(text.out.join('\n')).toMatch(/NLL \d\.\d{3} nats\/event \(window 32, batch 32\)/);
  }, 120_000);

  it('scores music the model never saw: a folder whose pieces all fall in the train split', async () => {
    const folder = join(root, 'new-music');
    cpSync(join(FIXTURES, 'piano'), folder, { recursive: true });
    const none = fakeIO();
    expect(await main(['evaluate', '--model', outDir, '--data', folder, '--cache', cache], none.io)).toBe(1);
    expect(none.err.join('\n')).toMatch(/has no piece in the valid split \(6 pieces in all\); try --split all/);
    const all = fakeIO();
    expect(await main(['evaluate', '--model', outDir, '--data', folder, '--cache', cache, '--split', 'all'], all.io)).toBe(0);
    expect(all.out.join('\n')).toMatch(/every piece: 6 of 6 pieces/);
  }, 60_000);

  it('refuses a split name it does not know and an option of another kind', async () => {
    const bad = fakeIO();
    expect(await main(['evaluate', '--model', outDir, '--data', FIXTURES, '--split', 'holdout'], bad.io)).toBe(2);
    expect(bad.err.join('\n')).toMatch(/--split must be one of all, train, valid, test/);
  });
});
