import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import {
  PORTAL_URL,
  screenshot,
  signInAs,
  signInPage,
  suiteBrowser,
} from './browser';
import { openSidecarsTab, startUpgrade } from './portalActions';

const CONTROLS = ['Pause', 'Resume', 'Roll back', 'Abort'] as const;

const upgradeButton = (page: Page, service: string) =>
  page.getByRole('button', { name: `Upgrade istio-proxy in ${service}` });
const controlButton = (page: Page, label: string) =>
  page.getByRole('button', { name: label, exact: true });

/** Which campaign controls are enabled on the campaign page `page` shows. */
async function enabledControls(page: Page): Promise<string[]> {
  await controlButton(page, 'Pause').waitFor();
  const enabled: string[] = [];
  for (const label of CONTROLS)
    if (await controlButton(page, label).isEnabled()) enabled.push(label);
  return enabled;
}

/**
 * Real sign-in as two service owners (demo provider → catalog → permission backend): alice of
 * team-payments owns payments-api and ledger, bob of team-checkout owns checkout-web and cart. Each
 * sees the controls they may use enabled and the others disabled. The campaign is scheduled far
 * ahead and aborted at the end, so it never touches a pod the other browser suite watches.
 */
describe('sign-in as service owners', () => {
  const browser = suiteBrowser();
  let alice: Page;
  let bob: Page;
  let campaignUrl: string;

  it('offers one button per demo user on the sign-in page', async () => {
    alice = await signInPage(browser());
    for (const name of ['pat', 'alice', 'bob', 'carol'])
      await alice.getByRole('button', { name: `Sign in as ${name}` }).waitFor();
    await screenshot(alice, 'sign-in');
    await signInAs(alice, 'alice');
  });

  it("alice may upgrade her services but not bob's, nor start fleet campaigns", async () => {
    await openSidecarsTab(alice, 'checkout-web');
    assert.equal(
      await upgradeButton(alice, 'checkout-web').isDisabled(),
      true,
      'checkout-web belongs to team-checkout',
    );
    await alice.goto(`${PORTAL_URL}/sidecars`);
    const fleetStart = alice.getByRole('button', { name: 'Start campaign' });
    await fleetStart.waitFor();
    assert.equal(
      await fleetStart.isDisabled(),
      true,
      "fleet campaigns are the platform team's",
    );
    await openSidecarsTab(alice, 'ledger');
    assert.equal(
      await upgradeButton(alice, 'ledger').isEnabled(),
      true,
      'ledger belongs to team-payments',
    );
  });

  it('alice starts a campaign for ledger and may pause or abort it', async () => {
    await startUpgrade(alice, 'ledger', {
      targetImage: 'docker.io/istio/proxyv2:1.24.1',
      maxUnavailable: '1',
      notBefore: '2099-01-01T00:00',
    });
    campaignUrl = alice.url();
    await alice
      .locator('header')
      .getByText('Scheduled', { exact: true })
      .waitFor();
    assert.deepEqual(await enabledControls(alice), ['Pause', 'Abort']);
    await screenshot(alice, 'campaign-owner-view');
  });

  it("bob sees alice's campaign with every control disabled, and may upgrade his own services", async () => {
    bob = await signInPage(browser());
    await signInAs(bob, 'bob');
    await bob.goto(campaignUrl);
    await bob
      .locator('header')
      .getByText('Scheduled', { exact: true })
      .waitFor();
    assert.deepEqual(await enabledControls(bob), []);
    await screenshot(bob, 'campaign-non-owner-view');
    await openSidecarsTab(bob, 'ledger');
    assert.equal(
      await upgradeButton(bob, 'ledger').isDisabled(),
      true,
      'ledger belongs to team-payments',
    );
    await openSidecarsTab(bob, 'cart');
    assert.equal(
      await upgradeButton(bob, 'cart').isEnabled(),
      true,
      'cart belongs to team-checkout',
    );
  });

  it('alice aborts her campaign', async () => {
    await alice.goto(campaignUrl);
    await controlButton(alice, 'Abort').click();
    const dialog = alice.getByRole('dialog');
    await dialog.getByRole('textbox').fill('permissions check done');
    await dialog.getByRole('button', { name: 'Abort', exact: true }).click();
    await alice
      .locator('header')
      .getByText('Aborted', { exact: true })
      .waitFor();
    assert.deepEqual(await enabledControls(alice), []);
  });
});
