import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { after, before } from 'node:test';
import { chromium, type Browser, type Page } from 'playwright-core';
import { REPO_ROOT } from '../stack/binaries';

export const PORTAL_URL = process.env.PORTAL_URL ?? 'http://localhost:3000';
const SCREENSHOTS = join(REPO_ROOT, 'docs/screenshots');

/** Debian's Chromium with the flags this closed network needs (no background connections). */
const CHROMIUM_FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];

/** For a suite: one browser, and a page signed in to the portal as the local guest user. */
export function signedInPage(): () => Page {
  let browser: Browser | undefined;
  let page: Page | undefined;
  before(async () => {
    browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_FLAGS });
    page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    page.setDefaultTimeout(30_000);
    await page.goto(PORTAL_URL);
    await page.getByRole('button', { name: /enter/i }).click();
    await page.getByText(/catalog/i).first().waitFor();
  });
  after(() => browser?.close());
  return () => page!;
}

export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });
}
