import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { PORTAL_URL } from './browser';

export async function openSidecarsTab(page: Page, service: string): Promise<void> {
  await page.goto(`${PORTAL_URL}/catalog/default/component/${service}/sidecars`);
  await page.getByRole('button', { name: `Upgrade istio-proxy in ${service}` }).waitFor();
}

export interface UpgradeFields {
  targetImage: string;
  maxUnavailable: string;
  bakeSeconds?: string;
  failureBudget?: string;
  /** datetime-local value, e.g. 2099-01-01T00:00. */
  notBefore?: string;
}

/** Fills the campaign form that "Upgrade" opened and starts the campaign; returns on its detail page. */
export async function startUpgrade(page: Page, service: string, fields: UpgradeFields): Promise<void> {
  await page.getByRole('button', { name: `Upgrade istio-proxy in ${service}` }).click();
  const dialog = page.getByRole('dialog');
  const field = (name: string) => dialog.getByRole('textbox', { name, exact: false }).or(dialog.getByRole('spinbutton', { name })).first();
  await field('Target image').fill(fields.targetImage);
  await field('Max unavailable').fill(fields.maxUnavailable);
  if (fields.bakeSeconds) await field('Bake time between batches').fill(fields.bakeSeconds);
  if (fields.failureBudget) await field('Failure budget').fill(fields.failureBudget);
  if (fields.notBefore) await dialog.getByLabel('Not before (optional)').fill(fields.notBefore);
  await dialog.getByRole('button', { name: 'Preview plan' }).click();
  const planned = dialog.getByLabel('Planned batches');
  await planned.or(dialog.getByRole('alert')).first().waitFor({ timeout: 60_000 });
  if (!(await planned.isVisible())) assert.fail(`the plan preview failed: ${await dialog.getByRole('alert').first().innerText()}`);
  await dialog.getByRole('button', { name: 'Start campaign' }).click();
  await page.waitForURL(/\/sidecars\/campaigns\//);
}
