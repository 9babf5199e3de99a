// Projects in a real browser: save, open in a fresh page and find everything intact; recover unsaved work after the page dies.
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { startHarness, type Harness } from './harness';
import { connected, FIXTURES, fragmentRow, fragmentRows, importFiles, screenshot } from './steps';

const PROJECT = 'E2E Song';
const PIECES = ['chpn-p7.mid', 'scn15_4.mid', 'clementi_opus36_3_2.mid'];

let h: Harness;
let page: Page;

beforeAll(async () => {
  h = await startHarness();
  page = h.page;
  await connected(page);
});
afterAll(async () => h?.close());

interface LibraryLine {
  name: string;
  notes: number;
}

/** The library as the composer sees it: each row's name and note count, top to bottom. */
async function library(p: Page): Promise<LibraryLine[]> {
  const texts = await fragmentRows(p).evaluateAll((rows) => rows.map((r) => [r.querySelector('.name')?.textContent ?? '', r.querySelector('.meta')?.textContent ?? '']));
  return texts.map(([name = '', meta = '']) => ({ name, notes: Number(/(\d+) notes/.exec(meta)?.[1] ?? NaN) }));
}

async function sectionFragments(p: Page): Promise<string[]> {
  return p.getByTestId('section-fragment').evaluateAll((els) => els.map((e) => (e instanceof HTMLSelectElement ? (e.selectedOptions[0]?.textContent ?? '') : '')));
}

/** The autosave the engine holds, as the fragment names and the form's length; null when there is none. */
async function autosaved(p: Page): Promise<{ names: string[]; slots: number } | null> {
  return p.evaluate(async () => {
    type Api = { studio: { recovery(): Promise<{ fragments: { name: string }[]; arrangement: { form: string[] } } | null> } };
    const api = (globalThis as unknown as { __studio: { api: Api } }).__studio.api;
    const r = await api.studio.recovery();
    return r && { names: r.fragments.map((f) => f.name), slots: r.arrangement.form.length };
  });
}

let saved: LibraryLine[] = [];

describe('projects: save, open, recover', () => {
  it('saves a project with fragments and an arrangement under a name', async () => {
    await importFiles(page, PIECES.map((f) => join(FIXTURES, 'piano', f)));
    await expect.poll(() => fragmentRows(page).count(), { timeout: 20_000 }).toBe(PIECES.length);
    saved = await library(page);
    expect(saved.every((l) => l.name.length > 0 && l.notes > 0)).toBe(true);
    // The Generate panel's settings are part of the project.
    await page.getByTestId('generate-key').selectOption('D minor');
    await page.getByTestId('generate-temperature').focus();
    for (let i = 0; i < 4; i++) await page.keyboard.press('ArrowLeft');
    expect(await page.getByTestId('generate-temperature').inputValue()).toBe('0.8');

    await page.getByTestId('area-arrange').click();
    for (const [label, fragment] of [['A', saved[0]!.name], ['B', saved[1]!.name]] as const) {
      await page.getByTestId('section-add').click();
      await page.locator(`[data-testid="arranger-section"][data-section-label="${label}"]`).getByTestId('section-fragment').selectOption({ label: fragment });
    }
    for (const label of ['A', 'B', 'A']) {
      await page.locator(`[data-testid="arranger-section"][data-section-label="${label}"]`).getByTestId('section-append').click();
    }
    expect(await page.getByTestId('arranger-form').textContent()).toBe('A B A');

    await page.getByTestId('project-save').click();
    const dialog = page.getByTestId('project-dialog');
    await dialog.getByTestId('project-name').fill(PROJECT);
    await dialog.getByTestId('project-save-confirm').click();
    await page.getByTestId('toast').filter({ hasText: `Saved “${PROJECT}”` }).waitFor();
    expect(await dialog.isVisible()).toBe(false);
    expect((await page.getByTestId('project-title').textContent())?.trim()).toBe(PROJECT);
    expect(await page.getByTestId('project-dirty').count()).toBe(0);
  });

  it('opens the saved project intact in a fresh page', async () => {
    await page.close();
    page = await h.openPage();
    await connected(page);
    expect((await page.getByTestId('project-title').textContent())?.trim()).toBe('Untitled');
    expect(await fragmentRows(page).count()).toBe(0);
    // Saving forgot the autosave: nothing to recover.
    expect(await autosaved(page)).toBeNull();
    expect(await page.getByTestId('recovery-dialog').isVisible()).toBe(false);

    await page.getByTestId('project-open').click();
    const entry = page.getByTestId('project-entry').filter({ hasText: PROJECT });
    expect(await entry.textContent()).toContain(`${PIECES.length} fragments`);
    await entry.getByRole('button', { name: PROJECT }).click();
    await expect.poll(async () => (await page.getByTestId('project-title').textContent())?.trim()).toBe(PROJECT);
    expect(await page.getByTestId('project-dialog').isVisible()).toBe(false);
    expect(await library(page)).toEqual(saved);

    await page.getByTestId('area-arrange').click();
    expect(await page.getByTestId('arranger-form').textContent()).toBe('A B A');
    expect(await sectionFragments(page)).toEqual([saved[0]!.name, saved[1]!.name]);
    await page.getByTestId('area-compose').click();
    expect(await page.getByTestId('generate-key').inputValue()).toBe('D minor');
    expect(await page.getByTestId('generate-temperature').inputValue()).toBe('0.8');
    expect(await page.getByTestId('project-dirty').count()).toBe(0);
    await page.getByTestId('area-arrange').click();
  });

  it('offers to restore unsaved work after the page dies, and restores it', async () => {
    await page.locator('[data-testid="arranger-section"][data-section-label="B"]').getByTestId('section-append').click();
    await page.getByTestId('area-compose').click();
    const renamed = 'Prelude, edited';
    await fragmentRow(page, saved[0]!.name).getByText(saved[0]!.name, { exact: true }).click();
    await page.getByTestId('fragment-rename').click();
    await page.getByTestId('fragment-rename-input').fill(renamed);
    await page.keyboard.press('Enter');
    await fragmentRow(page, renamed).waitFor();
    expect(await page.getByTestId('project-dirty').count()).toBe(1);

    // The studio autosaves every few seconds while there are changes.
    await expect.poll(() => autosaved(page), { timeout: 15_000, interval: 500 }).toEqual({ names: [renamed, saved[1]!.name, saved[2]!.name], slots: 4 });

    // Gone without saving (no beforeunload prompt, as after a crash).
    await page.close();
    page = await h.openPage();
    await connected(page);
    const dialog = page.getByTestId('recovery-dialog');
    await dialog.waitFor();
    expect(await dialog.textContent()).toMatch(/3 fragments[\s\S]*4 slots/);
    await screenshot(page, 'recovery-dialog.png');
    // Restore has the focus: Enter keeps the work.
    await expect.poll(() => dialog.getByTestId('recovery-restore').evaluate((el) => el === document.activeElement)).toBe(true);
    await page.keyboard.press('Enter');
    await expect.poll(() => dialog.isVisible()).toBe(false);

    expect(await library(page)).toEqual([{ name: renamed, notes: saved[0]!.notes }, saved[1], saved[2]]);
    expect(await page.getByTestId('project-dirty').count()).toBe(1);
    await page.getByTestId('area-arrange').click();
    expect(await page.getByTestId('arranger-form').textContent()).toBe('A B A B');
    expect(await sectionFragments(page)).toEqual([renamed, saved[1]!.name]);

    // The restored work is still the saved project: Ctrl+S saves over it, without asking for a name.
    await page.keyboard.press('Control+s');
    await page.getByTestId('toast').filter({ hasText: `Saved “${PROJECT}”` }).waitFor();
    expect(await page.getByTestId('project-dialog').isVisible()).toBe(false);
    expect(await page.getByTestId('project-dirty').count()).toBe(0);
  });

  it('shows the Train area', async () => {
    await page.getByTestId('area-train').click();
    await page.getByTestId('train-start').waitFor();
    await screenshot(page, 'train.png');
  });

  it('shows no errors in the page console', () => {
    expect(h.pageErrors).toEqual([]);
  });
});
