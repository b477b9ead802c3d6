import assert from 'node:assert/strict';
import type { Locator, Page } from 'playwright-core';
import { PORTAL_URL } from './browser';

export async function openSidecarsTab(
  page: Page,
  service: string,
  sidecar = 'istio-proxy',
): Promise<void> {
  await page.goto(
    `${PORTAL_URL}/catalog/default/component/${service}/sidecars`,
  );
  // A workload that runs in several clusters has a row (and an Upgrade button) per cluster.
  await page
    .getByRole('button', { name: `Upgrade ${sidecar} in ${service}` })
    .first()
    .waitFor();
}

export interface UpgradeFields {
  /** The sidecar to upgrade; istio-proxy by default. */
  sidecar?: string;
  targetImage: string;
  maxUnavailable: string;
  bakeSeconds?: string;
  failureBudget?: string;
  /** datetime-local value, e.g. 2099-01-01T00:00. */
  notBefore?: string;
}

/**
 * Fills a field and checks that it holds exactly `text`. The target image is an autocomplete that
 * opens and re-renders on focus, which can drop the select-all of the first fill, so the text is
 * appended to the prefilled image; a second fill of the focused field replaces it.
 */
export async function fillExactly(input: Locator, text: string): Promise<void> {
  for (let attempt = 0; attempt < 3; attempt++) {
    await input.fill(text);
    if ((await input.inputValue()) === text) return;
  }
  assert.fail(
    `the field holds ${JSON.stringify(await input.inputValue())} instead of ${JSON.stringify(text)}`,
  );
}

/** Presses Preview plan in the campaign form `dialog` and waits for `planned`; fails with the form's alert if the preview is refused. */
export async function previewPlan(
  dialog: Locator,
  planned: Locator,
): Promise<void> {
  await dialog.getByRole('button', { name: 'Preview plan' }).click();
  await planned
    .or(dialog.getByRole('alert'))
    .first()
    .waitFor({ timeout: 60_000 });
  if (!(await planned.isVisible()))
    assert.fail(
      `the plan preview failed: ${await dialog.getByRole('alert').first().innerText()}`,
    );
}

/** Fills the campaign form that "Upgrade" opened and starts the campaign; returns on its detail page. */
export async function startUpgrade(
  page: Page,
  service: string,
  fields: UpgradeFields,
): Promise<void> {
  await page
    .getByRole('button', {
      name: `Upgrade ${fields.sidecar ?? 'istio-proxy'} in ${service}`,
    })
    .first()
    .click();
  const dialog = page.getByRole('dialog');
  const field = (name: string) =>
    dialog
      .getByRole('textbox', { name, exact: false })
      .or(dialog.getByRole('spinbutton', { name }))
      .first();
  await fillExactly(field('Target image'), fields.targetImage);
  await field('Max unavailable').fill(fields.maxUnavailable);
  if (fields.bakeSeconds)
    await field('Bake time between batches').fill(fields.bakeSeconds);
  if (fields.failureBudget)
    await field('Failure budget').fill(fields.failureBudget);
  if (fields.notBefore)
    await dialog.getByLabel('Not before (optional)').fill(fields.notBefore);
  await previewPlan(dialog, dialog.getByLabel('Planned batches'));
  await dialog.getByRole('button', { name: 'Start campaign' }).click();
  await page.waitForURL(/\/sidecars\/campaigns\//);
}

/** Sends a campaign control through its dialog; fails with the portal's reason when it is refused. */
export async function control(
  page: Page,
  action: 'Pause' | 'Resume' | 'Roll back' | 'Abort',
  reason: string,
): Promise<void> {
  await page.getByRole('button', { name: action, exact: true }).click();
  const dialog = page.getByRole('dialog');
  await dialog.getByRole('textbox').fill(reason);
  await dialog.getByRole('button', { name: action, exact: true }).click();
  const refusal = dialog.getByRole('alert');
  // Whichever comes first: the dialog closes, or it shows why the control was refused.
  const refused = refusal.waitFor().then(
    async () => `${action} was refused: ${await refusal.innerText()}`,
    () => undefined,
  );
  const closed = dialog.waitFor({ state: 'detached' }).then(() => undefined);
  const outcome = await Promise.race([closed, refused]);
  if (outcome) assert.fail(outcome);
}
