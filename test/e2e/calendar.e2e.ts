import { describe, it } from 'node:test';
import { PORTAL_URL, screenshot, signedInPage } from './browser';
import { control, openSidecarsTab, startUpgrade } from './portalActions';

/**
 * The campaigns calendar with a campaign scheduled far ahead for catalog-search and the freeze
 * app-config.yaml configures for the catalog namespace a few days later (catalog-reindex). The
 * campaign is aborted at the end, so no other suite's campaigns page lists it for long.
 */
describe('the campaigns calendar', () => {
  const page = signedInPage('pat');
  const campaign = 'fluent-bit → cr.fluentbit.io/fluent/fluent-bit:3.1.9';
  let campaignUrl: string;

  it('shows a scheduled campaign and a configured freeze on the calendar of their days', async () => {
    await openSidecarsTab(page(), 'catalog-search', 'fluent-bit');
    await startUpgrade(page(), 'catalog-search', {
      sidecar: 'fluent-bit',
      targetImage: 'cr.fluentbit.io/fluent/fluent-bit:3.1.9',
      maxUnavailable: '1',
      notBefore: '2099-06-01T09:00',
    });
    campaignUrl = page().url();

    await page().goto(`${PORTAL_URL}/sidecars?view=calendar&from=2099-05-30`);
    const timeline = page().getByRole('list', { name: 'Campaign timeline' });
    await timeline.getByText('Freeze: catalog-reindex').waitFor();
    await timeline.getByText('namespaces catalog').waitFor();
    await timeline.getByRole('link', { name: campaign }).waitFor();
    await timeline
      .getByRole('link', { name: /^Scheduled to start / })
      .waitFor();
    await timeline
      .getByText('In the scope of freeze catalog-reindex')
      .waitFor();
    await screenshot(page(), 'campaign-calendar');

    await timeline.getByRole('link', { name: campaign }).click();
    await page().waitForURL(campaignUrl);
  });

  it('drops the campaign from the calendar once it is aborted', async () => {
    await page().goto(campaignUrl);
    await control(page(), 'Abort', 'calendar check done');
    await page()
      .locator('header')
      .getByText('Aborted', { exact: true })
      .waitFor();
    await page().goto(`${PORTAL_URL}/sidecars?view=calendar&from=2099-05-30`);
    const timeline = page().getByRole('list', { name: 'Campaign timeline' });
    await timeline.getByText('Freeze: catalog-reindex').waitFor();
    await page()
      .getByRole('link', { name: campaign })
      .waitFor({ state: 'detached' });
  });
});
