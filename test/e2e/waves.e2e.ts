import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { listPods, testCluster } from '../support/cluster';
import {
  injectedFleet,
  sameFleetIn,
  sidecarImage,
  type InjectedFleet,
} from '../support/fleet';
import {
  PORTAL_URL,
  screenshot,
  signInAs,
  signInPage,
  suiteBrowser,
} from './browser';
import { control, fillExactly, previewPlan } from './portalActions';

const CAMPAIGN_TIMEOUT_MS = 120_000;
const OLD = 'registry.example.com/proxy:1.0.0';
const NEW = 'registry.example.com/proxy:1.1.0';
const REPLICAS = 2;

const local = testCluster();
const kwok2 = testCluster('kwok-2');

const phase = (page: Page, label: string) =>
  page
    .locator('header')
    .getByText(label, { exact: true })
    .waitFor({ timeout: CAMPAIGN_TIMEOUT_MS });

const lanePhase = (page: Page, cluster: string, label: string) =>
  page
    .getByRole('group', { name: `lane ${cluster}` })
    .getByText(label, { exact: true })
    .waitFor({ timeout: CAMPAIGN_TIMEOUT_MS });

async function proxyImages(fleet: InjectedFleet): Promise<string[]> {
  const images: string[] = [];
  for (const cluster of [local, kwok2])
    for (const pod of await listPods(cluster, fleet.namespace, fleet.selector))
      images.push(sidecarImage(pod, 'proxy') ?? 'none');
  return images;
}

/** One wave of the open campaign form: its name and its cluster, typed as a user would. */
async function fillWave(
  page: Page,
  index: number,
  name: string,
  cluster: string,
) {
  const wave = page
    .getByRole('dialog')
    .getByRole('group', { name: `Wave ${index}` });
  await wave.getByRole('textbox', { name: 'Wave name' }).fill(name);
  const clusters = wave.getByLabel(/^Clusters/);
  await clusters.fill(cluster);
  await clusters.press('Enter');
  await wave.getByRole('button', { name: cluster, exact: true }).waitFor();
}

/**
 * The platform team's fleet campaign in two waves, through the form: staging in local, then prod
 * in kwok-2 behind an approval. The pods are a namespace of the test's own, the same in both
 * clusters (a sidecar `proxy` injected), so no other suite's pods or buttons change; the campaign
 * is rolled back and the namespaces deleted at the end.
 */
describe('a fleet campaign in waves over two clusters', () => {
  const browser = suiteBrowser();
  let pat: Page;
  let fleet: InjectedFleet;
  let campaignUrl: string;

  before(async () => {
    fleet = await injectedFleet(local, 'e2e-waves', REPLICAS, {
      name: 'proxy',
      image: OLD,
    });
    await sameFleetIn(kwok2, fleet, { name: 'proxy', image: OLD }, REPLICAS);
    pat = await signInPage(browser());
    await signInAs(pat, 'pat');
  });

  after(async () => {
    for (const cluster of [local, kwok2])
      await cluster.core
        .deleteNamespace({ name: fleet.namespace })
        .catch(() => undefined);
  });

  it('plans each wave by cluster and starts the campaign from the form', async () => {
    await pat.goto(`${PORTAL_URL}/sidecars`);
    await pat
      .getByRole('button', { name: 'Start campaign' })
      .and(pat.locator(':enabled'))
      .click();
    const dialog = pat.getByRole('dialog');
    const textbox = (name: string) =>
      dialog.getByRole('textbox', { name, exact: true });
    await textbox('Sidecar container').fill('proxy');
    await fillExactly(textbox('Target image'), NEW);
    await textbox('Namespaces (optional)').fill(fleet.namespace);
    await textbox('Pod label selector (optional)').fill(fleet.selector);
    await textbox('Max unavailable').fill('1');
    await dialog
      .getByRole('spinbutton', { name: 'Bake time between batches' })
      .fill('0');

    await dialog.getByLabel(/^Upgrade in waves/).check();
    await fillWave(pat, 1, 'staging', 'local');
    await dialog.getByRole('button', { name: 'Add wave' }).click();
    await fillWave(pat, 2, 'prod', 'kwok-2');
    assert.equal(
      await dialog
        .getByRole('group', { name: 'Wave 2' })
        .getByLabel('Wait for approval before this wave')
        .isChecked(),
      true,
      'a wave after the first waits for approval unless told otherwise',
    );

    const waves = dialog.getByRole('list', { name: 'Planned waves' });
    await previewPlan(dialog, waves);
    await waves
      .getByText(/^Gate before wave prod: waits for approval/)
      .waitFor();
    for (const [wave, cluster] of [
      ['staging', 'local'],
      ['prod', 'kwok-2'],
    ]) {
      // Cluster, pods to upgrade, batches, max unavailable, skipped.
      const [, pods, , maxUnavailable] = await waves
        .getByRole('table', { name: `Wave ${wave} by cluster` })
        .getByRole('row', { name: new RegExp(`^${cluster} `) })
        .locator('th, td')
        .allInnerTexts();
      assert.deepEqual(
        [pods, maxUnavailable],
        [String(REPLICAS), '1'],
        `wave ${wave} upgrades the ${REPLICAS} pods of ${cluster}, one at a time`,
      );
    }
    await dialog.getByRole('button', { name: 'Start campaign' }).click();
    await pat.waitForURL(/\/sidecars\/campaigns\//);
    campaignUrl = pat.url();
  });

  it('completes wave 1 in local and waits for approval before wave 2', async () => {
    const gate = pat.getByRole('group', { name: 'gate before wave prod' });
    await gate
      .getByText(/waiting for approval/)
      .waitFor({ timeout: CAMPAIGN_TIMEOUT_MS });
    await lanePhase(pat, 'local', 'Completed');
    await pat
      .getByRole('group', { name: 'lane kwok-2' })
      .getByText('Not started')
      .waitFor();
    assert.deepEqual(await proxyImages(fleet), [NEW, NEW, OLD, OLD]);
    await screenshot(pat, 'campaign-waves');
  });

  it('shows a service owner the approve button disabled', async () => {
    const alice = await signInPage(browser());
    await signInAs(alice, 'alice');
    await alice.goto(campaignUrl);
    const approve = alice
      .getByRole('group', { name: 'gate before wave prod' })
      .getByRole('button', { name: 'Approve wave prod' });
    await approve.waitFor();
    assert.equal(await approve.isDisabled(), true);
    await alice.context().close();
  });

  it('starts wave 2 once approved, and its lane completes on the open page', async () => {
    await pat
      .getByRole('button', { name: 'Approve wave prod', exact: true })
      .click();
    const dialog = pat.getByRole('dialog');
    await dialog.getByRole('textbox').fill('staging looks healthy');
    await dialog
      .getByRole('button', { name: 'Approve wave', exact: true })
      .click();
    await dialog.waitFor({ state: 'detached' });

    await lanePhase(pat, 'kwok-2', 'Completed');
    await phase(pat, 'Completed');
    await pat
      .getByRole('group', { name: 'gate before wave prod' })
      .getByText(/approved by pat/)
      .waitFor();
    assert.deepEqual(await proxyImages(fleet), [NEW, NEW, NEW, NEW]);
  });

  it('rolls both waves back', async () => {
    await control(pat, 'Roll back', 'waves check done');
    await phase(pat, 'Rolled back');
    assert.deepEqual(await proxyImages(fleet), [OLD, OLD, OLD, OLD]);
  });
});
