// Every call is validated against the shared contract; bad calls come back as typed errors, never as crashes.
import { describe, expect, it } from 'vitest';
import type { ApiHandlers } from '../../shared/api';
import { Dispatcher } from './dispatch';

const calls: unknown[][] = [];
const handlers = {
  app: {
    info: async () => ({ name: 'x', version: '0', mode: 'cli', backend: { name: null, label: 'none', skipped: [] }, devices: [] }),
    echo: (text: string) => {
      calls.push([text]);
      return text;
    },
  },
  jobs: {
    list: () => [],
    get: () => {
      throw new Error('unreachable');
    },
    cancel: () => {
      throw new Error('unreachable');
    },
    wait: () => {
      throw new Error('unreachable');
    },
  },
} as unknown as ApiHandlers;

describe('Dispatcher', () => {
  const d = new Dispatcher(handlers);

  it('passes validated arguments to the handler', async () => {
    expect(await d.call('app.echo', ['hello'])).toEqual({ ok: true, value: 'hello' });
    expect(calls).toContainEqual(['hello']);
  });

  it('refuses arguments of the wrong type with a typed error naming the argument', async () => {
    const r = await d.call('app.echo', [42]);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.error.name).toBe('InvalidArgumentError');
    expect(r.error.message).toMatch(/app\.echo: argument 0:/);
  });

  it('refuses the wrong number of arguments', async () => {
    const r = await d.call('app.echo', ['a', 'b']);
    expect(r).toMatchObject({ ok: false, error: { name: 'InvalidArgumentError' } });
  });

  it('refuses unknown methods, including prototype names', async () => {
    for (const m of ['app.nope', 'nope.echo', 'app', 'app.echo.x', '__proto__.toString', 'app.constructor', 'app.hasOwnProperty']) {
      const r = await d.call(m, []);
      expect(r, m).toMatchObject({ ok: false, error: { name: 'UnknownMethodError' } });
    }
  });

  it('refuses non-string method names and non-array arguments', async () => {
    expect(await d.call(7, [])).toMatchObject({ ok: false, error: { name: 'InvalidArgumentError' } });
    expect(await d.call('app.echo', { 0: 'x' })).toMatchObject({ ok: false, error: { name: 'InvalidArgumentError' } });
  });

  it('turns a handler exception into an error result', async () => {
    const r = await d.call('jobs.get', ['job-1']);
    expect(r).toMatchObject({ ok: false, error: { name: 'Error', message: 'unreachable' } });
  });
});
