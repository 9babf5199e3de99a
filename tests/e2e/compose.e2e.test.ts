// The composer's path in Compose, in a real browser: import MIDI and ABC, survive a corrupt file, edit in the piano roll with undo/redo, generate with the shipped model.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { startHarness, type Harness } from './harness';
import { connected, download, FIXTURES, fragmentRow, fragmentRows, importFiles, readMidi, RollAim, rowNoteCount, screenshot, type MidoNote } from './steps';

const CHOPIN = 'Chopin Prelude No. 7';
const ASHOVER_TUNES = 46;

let h: Harness;
let page: Page;
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ds-e2e-compose-'));
  h = await startHarness();
  page = h.page;
  await connected(page);
});
afterAll(async () => {
  await h?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

const key = (n: MidoNote): string => `${n.pitch}@${n.start}-${n.end}v${n.velocity}`;
const keys = (notes: readonly MidoNote[]): string[] => notes.map(key).sort();

describe('compose: import, edit, generate', () => {
  it('imports a MIDI file as one fragment named after its title', async () => {
    await importFiles(page, [join(FIXTURES, 'piano', 'chpn-p7.mid')]);
    const row = fragmentRow(page, CHOPIN);
    await row.waitFor();
    expect(await fragmentRows(page).count()).toBe(1);
    expect(await row.textContent()).toContain('chpn-p7.mid');
    expect(await rowNoteCount(row)).toBe(167);
  });

  it('imports an ABC file as one fragment per tune', async () => {
    await importFiles(page, [join(FIXTURES, 'nottingham', 'ashover.abc')]);
    await expect.poll(() => fragmentRows(page).count(), { timeout: 20_000 }).toBe(1 + ASHOVER_TUNES);
    for (const tune of ["A and A's Waltz", 'Bobbin Mill Reel', 'Washtap Reel']) {
      expect(await fragmentRow(page, tune).textContent()).toContain('ashover.abc');
    }
    await expect.poll(() => page.getByTestId('toast').filter({ hasText: `Imported ${ASHOVER_TUNES} fragments` }).count()).toBe(1);
  });

  it('reports a corrupt MIDI file in a plain error toast and loses nothing', async () => {
    const buffer = Buffer.concat([Buffer.from('MThd\0\0\0\x06\0\x01\0\x02\x01\xe0MTrk\0\0\x10\0', 'latin1'), Buffer.alloc(40, 0xff)]);
    await importFiles(page, [{ name: 'broken.mid', mimeType: 'audio/midi', buffer }]);
    const toast = page.getByTestId('toast').filter({ hasText: 'Nothing could be imported' });
    await toast.waitFor();
    expect(await toast.getAttribute('role')).toBe('alert');
    const text = (await toast.textContent()) ?? '';
    expect(text).toContain('broken.mid (');
    // Plain words for the composer: no stack trace, no error class dump.
    expect(text).not.toMatch(/\bat .+:\d+:\d+|Error:|\[object/);
    expect(await fragmentRows(page).count()).toBe(1 + ASHOVER_TUNES);
    expect(await rowNoteCount(fragmentRow(page, CHOPIN))).toBe(167);
    await toast.getByRole('button', { name: 'Dismiss' }).click();
  });

  it('edits notes in the piano roll; undo restores them exactly and redo re-applies', async () => {
    await fragmentRow(page, CHOPIN).getByText(CHOPIN, { exact: true }).click();
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe(CHOPIN);
    const roll = page.getByRole('application', { name: 'Piano roll' });
    const count = roll.locator('.info.count');
    const exportButton = page.getByTestId('export-midi');

    const beforePath = await download(page, exportButton, dir, 'before.mid');
    const before = await readMidi(beforePath);
    expect(before.notes).toHaveLength(167);
    const aim = await RollAim.of(page, before.ppq, before.notes.map((n) => n.pitch));

    // Select all and transpose up a semitone.
    await roll.focus();
    await page.keyboard.press('Control+a');
    await expect.poll(() => count.textContent()).toBe('167 notes · 167 selected');
    await page.keyboard.press('ArrowUp');
    await page.keyboard.press('Escape');
    const transposed = before.notes.map((n) => ({ ...n, pitch: n.pitch + 1 }));

    // Click one note (alone on its row at its onset, on screen) and delete it.
    const victim = transposed.find(
      (n) => aim.shows(n.start, n.pitch, 3) && transposed.filter((o) => o.pitch === n.pitch && o.start <= n.start + 25 && o.end > n.start).length === 1,
    );
    if (!victim) throw new Error('no note of the fragment is alone on its row in the first screen');
    const at = aim.point(victim.start, victim.pitch, 3);
    await page.mouse.move(at.x, at.y);
    // Spelled in the piece's key (A major: C♯, not D♭).
    await expect.poll(() => roll.locator('.info:not(.count)').textContent()).toMatch(/^[A-G][♯♭]?\d · /);
    await page.mouse.click(at.x, at.y);
    await expect.poll(() => count.textContent()).toBe('167 notes · 1 selected');
    await page.keyboard.press('Delete');
    await expect.poll(() => count.textContent()).toBe('166 notes');

    // Double-click an empty cell high up, on beat 3 of bar 1: a quarter note lands on the 1/16 grid there.
    const newPitch = aim.topPitch - 1;
    const newStart = 2 * before.ppq;
    expect(transposed.some((n) => n.pitch === newPitch && n.start < newStart + before.ppq && n.end > newStart)).toBe(false);
    const spot = aim.point(newStart, newPitch, 5);
    await page.mouse.dblclick(spot.x, spot.y);
    await expect.poll(() => count.textContent()).toMatch(/^167 notes/);

    const editedPath = await download(page, exportButton, dir, 'edited.mid');
    const edited = await readMidi(editedPath);
    const kept = transposed.filter((n) => n !== victim);
    const added = edited.notes.filter((n) => n.pitch === newPitch && n.start === newStart);
    expect(added).toHaveLength(1);
    expect(added[0]?.end).toBe(newStart + before.ppq);
    expect(keys(edited.notes.filter((n) => !added.includes(n)))).toEqual(keys(kept));
    await expect.poll(() => rowNoteCount(fragmentRow(page, CHOPIN))).toBe(167);
    await screenshot(page, 'compose-piano-roll.png');

    // Three edits back: the export is byte for byte the original again.
    await roll.focus();
    for (let i = 0; i < 3; i++) await page.keyboard.press('Control+z');
    await expect.poll(() => count.textContent()).toMatch(/^167 notes/);
    expect(await roll.getByRole('button', { name: 'Undo' }).isDisabled()).toBe(true);
    const undonePath = await download(page, exportButton, dir, 'undone.mid');
    expect(Buffer.compare(await readFile(undonePath), await readFile(beforePath))).toBe(0);

    await roll.focus();
    for (let i = 0; i < 3; i++) await page.keyboard.press('Control+Shift+z');
    expect(await roll.getByRole('button', { name: 'Redo' }).isDisabled()).toBe(true);
    const redonePath = await download(page, exportButton, dir, 'redone.mid');
    expect(Buffer.compare(await readFile(redonePath), await readFile(editedPath))).toBe(0);
  });

  it('generates a short fragment with the shipped default model, with progress and a plagiarism badge', async () => {
    const modelSelect = page.getByTestId('generate-model');
    const noModel = page.getByText('No models yet.');
    await modelSelect.or(noModel).waitFor({ timeout: 20_000 });
    if (await noModel.isVisible()) throw new Error('the Generate panel lists no model: resources/models holds no shipped model');
    const model = (await modelSelect.locator('option:checked').textContent())?.trim() ?? '';
    expect(model).not.toBe('');
    await page.getByTestId('generate-seconds').focus();
    await page.keyboard.press('Home');
    await expect.poll(() => page.getByTestId('generate-seconds').inputValue()).toBe('5');
    await page.getByTestId('generate-seed').fill('7');

    // The progress bar may show for less than a poll interval: a mutation observer sees it anyway.
    await page.evaluate(() => {
      const seen = globalThis as unknown as { __progressSeen: boolean };
      seen.__progressSeen = false;
      new MutationObserver(() => {
        if (document.querySelector('[data-testid="generate-progress"] progress')) seen.__progressSeen = true;
      }).observe(document.body, { childList: true, subtree: true });
    });
    const rowsBefore = await fragmentRows(page).count();
    await page.getByTestId('generate-button').click();
    const row = fragmentRows(page).filter({ hasText: 'seed 7' }).first();
    await row.waitFor({ timeout: 60_000 });
    expect(await page.evaluate(() => (globalThis as unknown as { __progressSeen: boolean }).__progressSeen)).toBe(true);
    expect(await fragmentRows(page).count()).toBe(rowsBefore + 1);
    expect(await row.textContent()).toContain(model);
    expect(await rowNoteCount(row)).toBeGreaterThan(0);
    await row.getByTestId('plagiarism-badge').waitFor({ timeout: 30_000 });
    expect(await row.getByTestId('plagiarism-badge').textContent()).toMatch(/^(original|quote \d+|copy \d+)$/);
    // Named by its key, length and seed.
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toMatch(/^[A-G][♯♭]? (major|minor) · \d+ s · #7$/);
    await screenshot(page, 'compose-generated.png');
  });

  it('shows no errors in the page console', () => {
    expect(h.pageErrors).toEqual([]);
  });
});
