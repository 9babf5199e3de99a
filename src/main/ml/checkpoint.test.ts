// Checkpoints round-trip, and a crash at any moment (simulated between the steps, or a real SIGKILL) leaves the last good one loadable.
import { spawn } from 'node:child_process';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CheckpointError, findCheckpoint, loadCheckpoint, saveCheckpoint, type Checkpoint, type SaveStage } from './checkpoint';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ckpt-test-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

function checkpointNumber(i: number, size = 1000): Checkpoint {
  return {
    config: { i },
    weights: [
      { name: 'a/kernel', shape: [size], dtype: 'float32', data: new Float32Array(size).fill(i) },
      { name: 'b/count', shape: [2, 2], dtype: 'int32', data: Int32Array.of(i, i, i, i) },
    ],
    optimizer: [{ name: 'm/a/kernel', shape: [size], dtype: 'float32', data: new Float32Array(size).fill(-i) }],
    training: { i },
  };
}

/** The checkpoint's number, after checking that all its files agree on it. */
async function loadedNumber(path: string): Promise<number> {
  const c = await loadCheckpoint(path, { optimizer: true });
  const i = (c.config as { i: number }).i;
  expect((c.training as { i: number }).i).toBe(i);
  const a = c.weights.find((w) => w.name === 'a/kernel')!;
  expect(a.data.every((x) => x === i)).toBe(true);
  expect(Array.from(c.weights.find((w) => w.name === 'b/count')!.data)).toEqual([i, i, i, i]);
  expect(c.optimizer![0]!.data.every((x) => x === -i)).toBe(true);
  return i;
}

describe('checkpoint', () => {
  it('round-trips weights, optimizer and state with names, shapes and dtypes', async () => {
    const path = join(dir, 'roundtrip');
    await saveCheckpoint(path, checkpointNumber(3, 7));
    const c = await loadCheckpoint(path, { optimizer: true });
    expect(c.weights.map((w) => [w.name, w.shape, w.dtype])).toEqual([
      ['a/kernel', [7], 'float32'],
      ['b/count', [2, 2], 'int32'],
    ]);
    expect(await loadedNumber(path)).toBe(3);
    // Without asking, the optimizer state is not read (shipped models leave it out).
    expect((await loadCheckpoint(path)).optimizer).toBeUndefined();
  });

  it('says where it looked when there is no checkpoint', async () => {
    await expect(loadCheckpoint(join(dir, 'nothing'))).rejects.toThrow(CheckpointError);
    await expect(loadCheckpoint(join(dir, 'nothing'))).rejects.toThrow(/nothing/);
  });

  it('keeps the previous checkpoint loadable when a save stops after any stage', async () => {
    const stages: SaveStage[] = ['tmp-written', 'old-moved', 'new-in-place', 'done'];
    for (const stop of stages) {
      const path = join(dir, `crash-${stop}`);
      await saveCheckpoint(path, checkpointNumber(1));
      await expect(
        saveCheckpoint(path, checkpointNumber(2), {
          onStage: (s) => {
            if (s === stop) throw new Error(`simulated crash after ${s}`);
          },
        }),
      ).rejects.toThrow('simulated crash');
      const n = await loadedNumber(path);
      // Before the new folder is in place the old one is found; after, the new one.
      expect(n).toBe(stop === 'tmp-written' || stop === 'old-moved' ? 1 : 2);
      // The next save recovers from whatever the crash left behind.
      await saveCheckpoint(path, checkpointNumber(3));
      expect(await loadedNumber(path)).toBe(3);
      expect((await readdir(dir)).filter((f) => f.startsWith(`crash-${stop}`))).toEqual([`crash-${stop}`]);
    }
  });

  it('survives SIGKILL of a process in the middle of saving', async () => {
    const checkpointModule = pathToFileURL(fileURLToPath(new URL('./checkpoint.ts', import.meta.url))).href;
    const child = join(dir, 'child.mts');
    // Saves checkpoints 1, 2, 3, ... (4 MB each) as fast as it can and reports each completed one.
    await writeFile(
      child,
      `import { saveCheckpoint } from '${checkpointModule}';
const path = process.argv[2];
for (let i = 1; ; i++) {
  const size = 1_000_000;
  await saveCheckpoint(path, {
    config: { i },
    weights: [
      { name: 'a/kernel', shape: [size], dtype: 'float32', data: new Float32Array(size).fill(i) },
      { name: 'b/count', shape: [2, 2], dtype: 'int32', data: Int32Array.of(i, i, i, i) },
    ],
    optimizer: [{ name: 'm/a/kernel', shape: [size], dtype: 'float32', data: new Float32Array(size).fill(-i) }],
    training: { i },
  });
  process.stdout.write('saved ' + i + '\\n');
}
`,
    );
    for (const delayMs of [0, 37, 113]) {
      const path = join(dir, `killed-${delayMs}`);
      const proc = spawn(process.execPath, ['--import', 'tsx', child, path], { cwd: fileURLToPath(new URL('../../..', import.meta.url)), stdio: ['ignore', 'pipe', 'inherit'] });
      let lastSaved = 0;
      await new Promise<void>((resolve, reject) => {
        proc.on('error', reject);
        proc.on('exit', () => resolve());
        proc.stdout.on('data', (chunk: Buffer) => {
          const numbers = chunk.toString().match(/saved (\d+)/g) ?? [];
          for (const m of numbers) lastSaved = Number(m.slice(6));
          // Kill during a later save, at a different moment in each round.
          if (lastSaved >= 2) setTimeout(() => proc.kill('SIGKILL'), delayMs);
        });
      });
      expect(lastSaved).toBeGreaterThanOrEqual(2);
      expect(await findCheckpoint(path)).not.toBeNull();
      const n = await loadedNumber(path);
      // Every checkpoint reported as saved is durable; at most the one being written is lost.
      expect(n).toBeGreaterThanOrEqual(lastSaved);
    }
  });
});
