// Starts the studio in web mode with a throwaway user folder and drives it with headless Debian Chromium.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { startWebStudio, type WebStudio } from '../../src/main/web/main';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const SCREENSHOTS = join(process.cwd(), 'test-results', 'screenshots');

export interface Harness {
  studio: WebStudio;
  browser: Browser;
  page: Page;
  userData: string;
  /** Messages the page (or any page from openPage) printed to its console as errors, and uncaught page errors. */
  pageErrors: string[];
  /** Another tab on the studio in the same browser context (it shares the first page's session token). */
  openPage(): Promise<Page>;
  close(): Promise<void>;
}

/** Collects a page's console errors and uncaught exceptions into `sink`. */
export function watchErrors(page: Page, sink: string[]): void {
  page.on('pageerror', (e) => sink.push(e.message));
  page.on('console', (m) => {
    if (m.type() === 'error') sink.push(m.text());
  });
}

export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--autoplay-policy=no-user-gesture-required'],
  });
}

export interface HarnessOptions {
  /** A folder to use in place of the shipped resources (its models/ holds the shipped models); the app's own by default. */
  resources?: string;
}

export async function startHarness(options: HarnessOptions = {}): Promise<Harness> {
  const root = await mkdtemp(join(tmpdir(), 'ds-e2e-'));
  const userData = join(root, 'user');
  const studio = await startWebStudio({ paths: { userData, cache: join(root, 'cache'), ...(options.resources ? { resources: options.resources } : {}) } });
  const browser = await launchBrowser();
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 }, acceptDownloads: true });
  const page = await context.newPage();
  const pageErrors: string[] = [];
  watchErrors(page, pageErrors);
  await page.goto(studio.server.url);
  return {
    studio,
    browser,
    page,
    userData,
    pageErrors,
    async openPage() {
      const other = await context.newPage();
      watchErrors(other, pageErrors);
      await other.goto(studio.server.url);
      return other;
    },
    async close() {
      await browser.close();
      await studio.close();
      await rm(root, { recursive: true, force: true });
    },
  };
}
