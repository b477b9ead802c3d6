import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { PORTAL_URL, screenshot, signedInPage } from './browser';
import { openSidecarsTab } from './portalActions';

describe('start ordering and sidecar costs in the portal', () => {
  const page = signedInPage('pat');

  it("tells cart's owners which sidecars their app waits for, and the fix for the one it does not", async () => {
    await openSidecarsTab(page(), 'cart');
    const content = page().locator('main');
    const istio = content.locator('tr', { hasText: 'istio-proxy' });
    await istio.getByText('No start ordering').waitFor();
    await istio
      .getByText(
        /Your app may start before istio-proxy is ready and fail its first requests/,
      )
      .waitFor();
    await istio
      .getByText(/set holdApplicationUntilProxyStarts: true/)
      .waitFor();
    const cloudSql = content.locator('tr', { hasText: 'cloud-sql-proxy' });
    await cloudSql.getByText('App waits for it (start hook)').waitFor();
    await screenshot(page(), 'entity-start-ordering');
  });

  it('says what istio-proxy costs and who pays, reached from the campaigns page', async () => {
    await page().goto(`${PORTAL_URL}/sidecars`);
    await page().getByRole('button', { name: 'Sidecar costs' }).click();
    const summary = page().getByText(/^istio-proxy runs in \d+ pods/);
    await summary.waitFor();
    assert.match(
      (await summary.textContent()) ?? '',
      /requests [\d.]+m? (cores? )?CPU and [\d.]+ (MiB|GiB) memory: [\d.]+% of all CPU/,
    );
    await page().getByRole('cell', { name: 'team-payments' }).first().waitFor();
    await page().getByRole('cell', { name: 'team-checkout' }).first().waitFor();
    await page()
      .getByRole('img', {
        name: 'CPU requested by istio-proxy per owning team',
      })
      .waitFor();
    await page()
      .getByText(/pods? hold the app with a start hook/)
      .waitFor();
    await screenshot(page(), 'sidecar-costs');
  });
});
