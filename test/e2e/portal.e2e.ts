import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { PORTAL_URL, screenshot, signedInPage } from './browser';
import { control, openSidecarsTab, startUpgrade } from './portalActions';

const CAMPAIGN_TIMEOUT_MS = 120_000;

/** Waits for the campaign page's header to show `label` as the phase. */
const phase = (page: Page, label: string, timeout = CAMPAIGN_TIMEOUT_MS) =>
  page.locator('header').getByText(label, { exact: true }).waitFor({ timeout });

describe('the Sidecar Campaigns portal', () => {
  // pat of the platform team may do everything; permissions.e2e.ts signs in as service owners.
  const page = signedInPage('pat');

  it("shows a service's sidecars with versions, kinds and drift on its Sidecars tab", async () => {
    await openSidecarsTab(page(), 'payments-api');
    const content = page().locator('main');
    await content.getByText('1.22.3', { exact: true }).waitFor();
    await content.getByText('3.1.4', { exact: true }).waitFor();
    assert.equal(
      await content.getByText('Injected', { exact: true }).count(),
      2,
      'both sidecars are labelled as injected',
    );
    // istio-proxy's drift; other sidecars' drift depends on what other suites left in the cluster.
    await content.getByText(/1 version behind \(newest 1\.23\.1\)/).waitFor();
    await screenshot(page(), 'entity-sidecars');
  });

  it('upgrades istio-proxy one pod at a time, pauses and resumes it, and the inventory shows the new version', async () => {
    await openSidecarsTab(page(), 'payments-api');
    await startUpgrade(page(), 'payments-api', {
      targetImage: 'docker.io/istio/proxyv2:1.23.1',
      maxUnavailable: '1',
      bakeSeconds: '5',
    });
    await phase(page(), 'Running');
    await control(page(), 'Pause', 'checking dashboards');
    await phase(page(), 'Paused');
    await page().getByText('paused: checking dashboards').first().waitFor();
    await screenshot(page(), 'campaign-paused');
    await control(page(), 'Resume', 'dashboards look fine');
    await phase(page(), 'Completed');
    await screenshot(page(), 'campaign-completed');

    await openSidecarsTab(page(), 'payments-api');
    const istio = page().locator('main tr', { hasText: 'istio-proxy' });
    await istio.getByText('1.23.1', { exact: true }).waitFor();
    assert.equal(
      await istio.getByText('1.22.3', { exact: true }).count(),
      0,
      'no pod is left on the old version',
    );
  });

  it('rolls back an upgrade to a crash-looping image and shows why', async () => {
    await openSidecarsTab(page(), 'checkout-web');
    await startUpgrade(page(), 'checkout-web', {
      targetImage: 'docker.io/istio/proxyv2:1.24.0-crashloop',
      maxUnavailable: '1',
      failureBudget: '0',
    });
    await phase(page(), 'Rolled back');
    await page()
      .getByText(/failure budget exceeded/)
      .first()
      .waitFor();
    await page()
      .getByText(/crashloop/)
      .first()
      .waitFor();
    await screenshot(page(), 'campaign-rolled-back');
  });

  it('lists campaigns and draws the fleet drift of a sidecar', async () => {
    await page().goto(`${PORTAL_URL}/sidecars`);
    const rolledBack = page().locator('tr', {
      hasText: 'docker.io/istio/proxyv2:1.24.0-crashloop',
    });
    await rolledBack.getByText('Rolled back', { exact: true }).waitFor();
    await page()
      .locator('tr', { hasText: 'docker.io/istio/proxyv2:1.23.1' })
      .getByText(/4 of 4 pods upgraded/)
      .waitFor();
    await page()
      .getByRole('button', { name: 'Start campaign' })
      .and(page().locator(':enabled'))
      .waitFor();
    await page()
      .getByRole('textbox', { name: 'Sidecar container' })
      .fill('istio-proxy');
    await page().getByText('local/checkout', { exact: true }).first().waitFor();
    await screenshot(page(), 'campaigns');
  });
});
