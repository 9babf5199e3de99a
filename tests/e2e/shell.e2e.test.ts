// The studio shell in a real browser: it renders, names the ML backend, and talks to the engine through the bridge.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { SCREENSHOTS, startHarness, type Harness } from './harness';

let h: Harness;
let page: Page;

beforeAll(async () => {
  h = await startHarness();
  page = h.page;
});
afterAll(async () => h?.close());

describe('studio shell (web mode)', () => {
  it('renders the areas as tabs and names the ML backend in the status bar', async () => {
    const nav = page.getByRole('navigation', { name: 'Studio areas' });
    await nav.waitFor();
    for (const area of ['Compose', 'Arrange', 'Train', 'Live']) {
      await expect(nav.getByRole('tab', { name: area, exact: true }).count()).resolves.toBe(1);
    }
    expect(await nav.getByRole('tab', { name: 'Compose', exact: true }).getAttribute('aria-selected')).toBe('true');
    const backend = page.getByTestId('backend');
    await expect.poll(async () => backend.textContent(), { timeout: 30_000 }).toMatch(/ML: (wasm|cpu|node|node-gpu)$/);
    await page.screenshot({ path: join(SCREENSHOTS, 'shell.png') });
  });

  it('drops the token from the address bar once connected', async () => {
    expect(page.url()).not.toContain('token=');
  });

  it('calls an engine method through the bridge and gets a typed error for a malformed call', async () => {
    const result = await page.evaluate(async () => {
      type Bridge = { invoke(m: string, a: unknown[]): Promise<unknown> };
      const bridge = (globalThis as unknown as { __studio: { connection: { bridge: Bridge } } }).__studio.connection.bridge;
      return {
        good: await bridge.invoke('app.echo', ['through the bridge']),
        bad: await bridge.invoke('app.echo', [{ not: 'text' }]),
        unknown: await bridge.invoke('app.rm', ['-rf']),
      };
    });
    expect(result.good).toEqual({ ok: true, value: 'through the bridge' });
    expect(result.bad).toMatchObject({ ok: false, error: { name: 'InvalidArgumentError' } });
    expect(result.unknown).toMatchObject({ ok: false, error: { name: 'UnknownMethodError' } });
  });

  it('refuses a page that does not hold the token', async () => {
    const other = await h.browser.newPage();
    await other.goto(h.studio.server.origin + '/');
    const alert = other.getByRole('alert');
    await alert.waitFor({ timeout: 10_000 });
    expect(await alert.textContent()).toMatch(/token/i);
    const refused = await other.evaluate(async (origin) => {
      const ws = new globalThis.WebSocket(origin.replace('http', 'ws') + '/api?token=guess');
      return new Promise<string>((resolve) => {
        ws.onopen = () => resolve('open');
        ws.onerror = () => resolve('refused');
      });
    }, h.studio.server.origin);
    expect(refused).toBe('refused');
    await other.close();
  });

  it('shows no errors in the page console', () => {
    expect(h.pageErrors).toEqual([]);
  });
});
