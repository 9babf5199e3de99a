// With no model that polishes, the Polish step says so and leads to Train; a Refine Net trained there is offered to polish with, never to generate with.
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Locator, Page } from 'playwright-core';
import { startHarness, type Harness } from './harness';
import { connected, FIXTURES, fragmentRow, importFiles, rowNoteCount, screenshot } from './steps';

const CHOPIN = 'Chopin Prelude No. 7';
const MODEL_NAME = 'My polisher';

let h: Harness;
let page: Page;
let resources: string;

/** A piano-roll tool, from the toolbar, or from the "More" menu where the toolbar folded it. */
async function rollTool(roll: Locator, action: string): Promise<void> {
  const button = roll.locator(`.toolbar [data-action="${action}"]`);
  if (await button.isVisible()) return button.click();
  await roll.getByTestId('roll-more').click();
  await page.getByTestId('roll-menu').locator(`[data-action="${action}"]`).click();
}

beforeAll(async () => {
  // No shipped models at all, whatever resources/models holds one day: nothing here can polish until trained.
  resources = await mkdtemp(join(tmpdir(), 'ds-e2e-resources-'));
  await mkdir(join(resources, 'models'));
  h = await startHarness({ resources });
  page = h.page;
  await connected(page);
});
afterAll(async () => {
  await h?.close();
  if (resources) await rm(resources, { recursive: true, force: true });
});

describe('polish with no model, then with one trained in Train', () => {
  it('says plainly that no model can polish, and points to Train with the Refine Net chosen', async () => {
    await importFiles(page, [join(FIXTURES, 'piano', 'chpn-p7.mid')]);
    await fragmentRow(page, CHOPIN).waitFor();
    await fragmentRow(page, CHOPIN).getByText(CHOPIN, { exact: true }).click();
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe(CHOPIN);
    await rollTool(page.getByRole('application', { name: 'Piano roll' }), 'polish');
    const none = page.getByTestId('polish-none');
    await none.waitFor({ timeout: 20_000 });
    expect(await none.textContent()).toMatch(/^\s*No model here can polish music yet\. Polishing takes a Refine Net,/);
    expect(await page.getByTestId('polish-run').count()).toBe(0);
    for (const [width, height] of [
      [1024, 700],
      [1440, 900],
    ] as const) {
      await page.setViewportSize({ width, height });
      await page.waitForTimeout(200);
      await screenshot(page, `polish-none-${width}x${height}.png`);
    }
    await page.getByTestId('polish-open-train').click();
    await page.getByTestId('train-start').waitFor();
    expect(await page.getByTestId('train-kind-refine-net').isChecked()).toBe(true);
  });

  it('trains a Refine Net and offers "Polish with it", not "Generate with it"', async () => {
    await page.getByTestId('train-folder').fill(join(FIXTURES, 'charrnn'));
    await page.getByTestId('train-name').fill(MODEL_NAME);
    await page.getByTestId('train-preset').selectOption('tiny');
    await page.getByTestId('train-advanced').check();
    for (const [flag, value] of [
      ['steps', '20'],
      ['batch', '4'],
      ['window', '16'],
      ['valid-every', '10'],
    ] as const) {
      await page.getByTestId(`train-${flag}`).fill(value);
    }
    await page.getByTestId('train-start').click();
    const done = page.getByTestId('train-done');
    await done.waitFor({ timeout: 150_000 });
    expect(await page.getByTestId('train-generate-with').count()).toBe(0);
    expect(await done.textContent()).not.toMatch(/Generate panel/);
    const polishWith = page.getByTestId('train-polish-with');
    expect(await polishWith.isVisible()).toBe(true);
    for (const [width, height] of [
      [1024, 700],
      [1440, 900],
    ] as const) {
      await page.setViewportSize({ width, height });
      await page.waitForTimeout(200);
      await screenshot(page, `train-refine-done-${width}x${height}.png`);
    }

    // "Polish with it" opens the selected fragment with its Polish step set to the new model.
    await polishWith.click();
    const step = page.locator('#editor').getByTestId('polish-step');
    await step.getByTestId('polish-run').waitFor({ timeout: 20_000 });
    expect(await step.textContent()).toContain(`with ${MODEL_NAME}`);
    expect(await step.getByTestId('polish-durations').isChecked()).toBe(true);
    await screenshot(page, 'polish-setup-1440x900.png');
    await step.getByTestId('polish-run').click();
    await step.getByTestId('polish-review').waitFor({ timeout: 60_000 });
    expect(await step.getByTestId('polish-report').textContent()).toMatch(/On average: velocity ±\d+, onsets ±[\d.]+ beats, lengths ±[\d.]+ beats/);
    await screenshot(page, 'polish-review-durations-1440x900.png');
    // The options fold away under review; the heading brings them back, to polish again.
    await step.getByTestId('polish-options').click();
    await step.getByTestId('polish-strength').fill('0.5');
    await step.getByTestId('polish-run').waitFor();
    expect(await step.getByTestId('polish-run').textContent()).toBe('Polish again');
    await screenshot(page, 'polish-options-1440x900.png');
    await step.getByTestId('polish-run').click();
    await expect.poll(() => step.getByTestId('polish-run').count(), { timeout: 60_000 }).toBe(0);
    await step.getByTestId('polish-accept').click();
    await expect.poll(() => step.count()).toBe(0);
    expect(await rowNoteCount(fragmentRow(page, CHOPIN))).toBe(167);
    // The model polishes; the Generate panel does not offer it.
    expect(await page.getByTestId('generate-model').count()).toBe(0);
    expect(await page.getByText('No model here generates music yet.').isVisible()).toBe(true);
  });

  it('shows no errors in the page console', () => {
    expect(h.pageErrors).toEqual([]);
  });
});
