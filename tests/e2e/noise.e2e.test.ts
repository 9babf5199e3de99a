// Noise vectors in Arrange, in a real browser: sections A and B played by the shipped DCRNN, C moving from its vector to B's, the form A B C A B rendered, exported and read back with mido.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Locator, Page } from 'playwright-core';
import { startHarness, type Harness } from './harness';
import { connected, download, readMidi, screenshot, type MidoNote } from './steps';

const FORM = ['A', 'B', 'C', 'A', 'B'];
const BARS = 2;

let h: Harness;
let page: Page;
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ds-e2e-noise-'));
  h = await startHarness();
  page = h.page;
  await connected(page);
});
afterAll(async () => {
  await h?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

const card = (label: string): Locator => page.locator(`[data-testid="arranger-section"][data-section-label="${label}"]`);
const text = (notes: readonly MidoNote[], offset: number): string[] => notes.map((n) => `${n.pitch}@${n.start - offset}-${n.end - offset}`).sort();

describe('arrange with noise vectors', () => {
  it('makes three noise sections, re-rolls one, and moves C from its vector to B\'s', async () => {
    await page.getByTestId('area-arrange').click();
    for (const label of ['A', 'B', 'C']) {
      await page.getByTestId('section-add-noise').click();
      await card(label).getByTestId('noise-bars').fill(String(BARS));
      await card(label).getByTestId('noise-bars').press('Enter');
    }
    const before = await card('B').getByTestId('noise-seed').inputValue();
    await card('B').getByTestId('noise-reroll').click();
    await expect.poll(() => card('B').getByTestId('noise-seed').inputValue()).not.toBe(before);
    await card('A').getByTestId('noise-seed').fill('7');
    await card('A').getByTestId('noise-seed').press('Enter');
    await card('C').getByTestId('noise-to').selectOption({ label: `Moves to B's vector` });
    for (const label of FORM) await card(label).getByTestId('section-append').click();
    expect(await page.getByTestId('arranger-form').textContent()).toBe(FORM.join(' '));
    await screenshot(page, 'arrange-noise-sections-1440.png');
    await page.setViewportSize({ width: 1024, height: 700 });
    await screenshot(page, 'arrange-noise-sections-1024.png');
    await page.setViewportSize({ width: 1440, height: 900 });
  });

  it('renders the form, the same vector playing the same bars each time, and exports it with its sections marked', async () => {
    await page.getByTestId('render-button').click();
    const song = page.getByRole('region', { name: 'Rendered song' });
    const roll = song.getByRole('application', { name: 'Piano roll' });
    await roll.waitFor({ timeout: 60_000 });
    await expect.poll(async () => Number((await roll.locator('.info.count').textContent())?.split(' ')[0] ?? 0)).toBeGreaterThan(0);
    await screenshot(page, 'arrange-noise-rendered-1440.png');
    await page.setViewportSize({ width: 1024, height: 700 });
    await screenshot(page, 'arrange-noise-rendered-1024.png');
    await page.setViewportSize({ width: 1440, height: 900 });

    const file = await readMidi(await download(page, song.getByTestId('export-midi'), dir, 'noise.mid'));
    const bar = file.ppq * 4;
    expect(file.markers).toEqual(FORM.map((label, i) => [i * BARS * bar, label]));
    const span = (i: number) => file.notes.filter((n) => n.start >= i * BARS * bar && n.start < (i + 1) * BARS * bar);
    for (let i = 0; i < FORM.length; i++) expect(span(i).length, `section ${FORM[i]}`).toBeGreaterThan(0);
    // A fixed vector plays the same bars each time it comes back.
    expect(text(span(3), 3 * BARS * bar)).toEqual(text(span(0), 0));
    expect(text(span(4), 4 * BARS * bar)).toEqual(text(span(1), BARS * bar));
    expect(text(span(1), BARS * bar)).not.toEqual(text(span(0), 0));
  });

  it('keeps the vectors in the project', async () => {
    const noise = await page.evaluate(async () => {
      type Api = { studio: { recovery(): Promise<{ arrangement: { sections: { label: string; noise?: { seed: number; bars: number; to?: { seed: number } | null } | null }[] } } | null> } };
      const api = (globalThis as unknown as { __studio: { api: Api } }).__studio.api;
      for (let i = 0; i < 50; i++) {
        const r = await api.studio.recovery();
        if (r && r.arrangement.sections.length === 3) return r.arrangement.sections.map((s) => ({ label: s.label, seed: s.noise?.seed, bars: s.noise?.bars, to: s.noise?.to?.seed ?? null }));
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
      return null;
    });
    expect(noise).not.toBeNull();
    expect(noise![0]).toEqual({ label: 'A', seed: 7, bars: BARS, to: null });
    expect(noise![2]!.to).toBe(noise![1]!.seed);
  });

  it('shows no errors in the page console', () => {
    expect(h.pageErrors).toEqual([]);
  });
});
