// The long-lived model worker: warm generations, sessions, cancel at any moment (start-up included), restart after a crash; the host's memory cap.
import type { Worker } from 'node:worker_threads';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { selectBackend } from '../backend';
import { ModelHostCore } from './core';
import { ModelHost } from './modelHost';

const RESOURCES = fileURLToPath(new URL('../../../../resources/', import.meta.url));
const CONDITIONAL = join(RESOURCES, 'models', 'piano-conditional-char-rnn');
const VANILLA = join(RESOURCES, 'models', 'piano-char-rnn');
const paths = { resources: RESOURCES, userData: join(RESOURCES, 'no-user-data'), cache: join(RESOURCES, 'no-cache') };

describe('ModelHost (the worker)', () => {
  let host: ModelHost;
  beforeAll(() => {
    host = new ModelHost(paths);
  });
  afterAll(async () => host.dispose());

  it('generates with progress, and the same seed gives the same notes on the warm worker', async () => {
    const messages: string[] = [];
    const a = await host.call({ op: 'generate', dir: CONDITIONAL, params: { seconds: 4, seed: 3, key: 'A minor' } }, { onProgress: (_f, m) => m && messages.push(m) });
    const b = await host.call({ op: 'generate', dir: CONDITIONAL, params: { seconds: 4, seed: 3, key: 'A minor' } });
    expect(a.sequence.notes.length).toBeGreaterThan(5);
    expect(b.sequence.notes).toEqual(a.sequence.notes);
    expect(messages).toContain('starting the engine');
    expect(messages).toContain('loading the model');
    expect(a.plagiarism?.queryLength).toBe(a.sequence.notes.length);
  });

  it('streams a session bar by bar, takes new conditions, and forgets it when closed', async () => {
    const s = await host.call({ op: 'open', dir: CONDITIONAL, params: { seed: 5, density: 4 } });
    expect(s.params.seed).toBe(5);
    const first = await host.call({ op: 'step', session: s.id, seconds: 2 });
    expect(first.fromSeconds).toBe(0);
    expect(first.toSeconds).toBeGreaterThanOrEqual(2);
    await host.call({ op: 'control', session: s.id, values: { key: 'F# major', density: 12 } });
    const second = await host.call({ op: 'step', session: s.id, seconds: 2 });
    expect(second.fromSeconds).toBe(first.toSeconds);
    // Every note that starts also ends, or is still sounding: no off without an on.
    const sounding = new Set<number>();
    for (const e of [...first.events, ...second.events]) {
      if (e.type === 'on') sounding.add(e.pitch);
      else expect(sounding.delete(e.pitch)).toBe(true);
    }
    await expect(host.call({ op: 'control', session: s.id, values: { key: 'H major' } })).rejects.toThrow(/key/);
    await host.call({ op: 'close', session: s.id });
    await expect(host.call({ op: 'step', session: s.id, seconds: 2 })).rejects.toMatchObject({ name: 'NotFoundError' });
  });

  it('refuses what a kind cannot do with a named error', async () => {
    const s = await host.call({ op: 'open', dir: VANILLA, params: { seed: 1 } });
    await expect(host.call({ op: 'control', session: s.id, values: { density: 3 } })).rejects.toThrow(/takes no conditions/);
    await host.call({ op: 'close', session: s.id });
    await expect(host.call({ op: 'generate', dir: VANILLA, params: { key: 'C major' } })).rejects.toThrow(/unknown parameter "key"/);
  });
});

describe('cancel and crashes', () => {
  it('cancels at once while the worker is still starting, and the worker stays usable', async () => {
    const host = new ModelHost(paths);
    try {
      const controller = new AbortController();
      const call = host.call({ op: 'generate', dir: CONDITIONAL, params: { seconds: 4, seed: 1 } }, { signal: controller.signal });
      await new Promise((r) => setTimeout(r, 20));
      const t0 = performance.now();
      controller.abort();
      await expect(call).rejects.toMatchObject({ name: 'CancelledError' });
      expect(performance.now() - t0).toBeLessThan(100);
      const after = await host.call({ op: 'generate', dir: CONDITIONAL, params: { seconds: 2, seed: 1 } });
      expect(after.seed).toBe(1);
    } finally {
      await host.dispose();
    }
  });

  it('cancels a long generation in the middle', async () => {
    const host = new ModelHost(paths);
    try {
      await host.call({ op: 'load', dir: CONDITIONAL });
      const controller = new AbortController();
      let progressed = 0;
      const call = host.call(
        { op: 'generate', dir: CONDITIONAL, params: { seconds: 3600, seed: 2 } },
        {
          signal: controller.signal,
          onProgress: (f) => {
            progressed = f;
            if (f > 0.12) controller.abort();
          },
        },
      );
      await expect(call).rejects.toMatchObject({ name: 'CancelledError' });
      expect(progressed).toBeLessThan(0.5);
    } finally {
      await host.dispose();
    }
  });

  it('fails the calls in flight when the worker dies, and starts a new one for the next call', async () => {
    const host = new ModelHost(paths);
    try {
      await host.call({ op: 'load', dir: CONDITIONAL });
      const call = host.call({ op: 'generate', dir: CONDITIONAL, params: { seconds: 600, seed: 2 } });
      await new Promise((r) => setTimeout(r, 50));
      await (host as unknown as { worker: Worker }).worker.terminate();
      await expect(call).rejects.toMatchObject({ name: 'ModelWorkerCrashedError' });
      const again = await host.call({ op: 'generate', dir: CONDITIONAL, params: { seconds: 2, seed: 4 } });
      expect(again.seed).toBe(4);
    } finally {
      await host.dispose();
    }
  });
});

describe('ModelHostCore memory', () => {
  beforeAll(async () => {
    await selectBackend('wasm');
  });

  it('releases the least recently used idle model when over its memory cap, never one a session holds', async () => {
    const core = new ModelHostCore({ memoryCapBytes: 8 * 1024 * 1024 });
    try {
      await core.load(VANILLA);
      const s = await core.openSession(CONDITIONAL, { seed: 1 });
      // Both are over 5 MB with their indexes: the idle one goes, the one in a session stays.
      expect(core.loadedModels().map((m) => m.dir)).toEqual([CONDITIONAL]);
      core.closeSession(s.id);
      await core.load(VANILLA);
      expect(core.loadedModels().map((m) => m.dir)).toEqual([VANILLA]);
    } finally {
      core.dispose();
    }
  });

  it('closes sessions nobody has stepped for too long', async () => {
    const core = new ModelHostCore({ sessionIdleMs: 20 });
    try {
      const s = await core.openSession(VANILLA, { seed: 1 });
      await new Promise((r) => setTimeout(r, 40));
      await core.openSession(VANILLA, { seed: 2 });
      expect(() => core.step(s.id, 1)).toThrow(/no open session/);
    } finally {
      core.dispose();
    }
  });
});
