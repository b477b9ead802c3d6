import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { after, before } from 'node:test';
import { chromium, type Browser, type Page } from 'playwright-core';
import { REPO_ROOT } from '@internal/dev-stack/stack/binaries';

export const PORTAL_URL = process.env.PORTAL_URL ?? 'http://localhost:3000';
const SCREENSHOTS = join(REPO_ROOT, 'docs/screenshots');

/** Debian's Chromium with the flags this closed network needs (no background connections). */
const CHROMIUM_FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

/** For a suite: one browser, launched before its tests and closed after them. */
export function suiteBrowser(): () => Browser {
  let browser: Browser | undefined;
  before(async () => {
    browser = await chromium.launch({
      executablePath: '/usr/bin/chromium',
      args: CHROMIUM_FLAGS,
    });
  });
  after(() => browser?.close());
  return () => browser!;
}

/** A page of its own (own storage, so its own session) at the portal's sign-in page. */
export async function signInPage(browser: Browser): Promise<Page> {
  const page = await (
    await browser.newContext({ viewport: { width: 1440, height: 900 } })
  ).newPage();
  page.setDefaultTimeout(30_000);
  await page.goto(PORTAL_URL);
  await page
    .getByRole('button', { name: /^Sign in as / })
    .first()
    .waitFor();
  return page;
}

/** Signs in on the portal's sign-in page as the demo user `name`, as a newcomer would. */
export async function signInAs(page: Page, name: string): Promise<void> {
  await page.getByRole('button', { name: `Sign in as ${name}` }).click();
  await page
    .getByText(/catalog/i)
    .first()
    .waitFor();
}

/** For a suite: one browser, and a page signed in to the portal as the demo user `name`. */
export function signedInPage(name: string): () => Page {
  const browser = suiteBrowser();
  let page: Page | undefined;
  before(async () => {
    page = await signInPage(browser());
    await signInAs(page, name);
  });
  return () => page!;
}

export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({
    path: join(SCREENSHOTS, `${name}.png`),
    fullPage: true,
  });
}
