import type { Entity } from '@backstage/catalog-model';
import { EntityProvider } from '@backstage/plugin-catalog-react';
import { registerMswTestHooks } from '@backstage/test-utils';
import { screen, waitFor, within } from '@testing-library/react';
import { http, HttpResponse } from 'msw';
import { Route, Routes } from 'react-router-dom';
import type { CampaignSummary } from '@internal/plugin-sidecars-common';
import {
  SIDECARS_URL,
  backend,
  permissionHandler,
} from '../__testUtils__/backend';
import {
  CHECKOUT_REF,
  campaignDetail,
  campaignSummary,
  inventory,
  workload,
} from '../__testUtils__/fixtures';
import { renderWithSidecars } from '../__testUtils__/renderWithSidecars';
import { FakeSignals } from '../__testUtils__/signals';
import { CAMPAIGN_REFRESH_INTERVAL_MS } from '../hooks/useCampaignDetail';
import { CampaignDetailPage } from './CampaignDetail';
import { CampaignListPage } from './CampaignList';
import { EntitySidecarsContent } from './EntitySidecarsContent';

registerMswTestHooks(backend);

/** Longer than the polling interval of the detail page, so a poll would have happened. */
const LONGER_THAN_A_POLL_MS = CAMPAIGN_REFRESH_INTERVAL_MS + 700;
const sleep = (ms: number) =>
  new Promise(resolve => {
    setTimeout(resolve, ms);
  });

/** Answers GET <path> with the next of `answers` (the last one once they run out) and counts the requests. */
function countedGet(path: string, answers: readonly object[]) {
  const counter = { requests: 0 };
  backend.use(
    http.get(`${SIDECARS_URL}${path}`, () => {
      const answer = answers[Math.min(counter.requests, answers.length - 1)];
      counter.requests += 1;
      return HttpResponse.json(answer as Record<string, unknown>);
    }),
  );
  return counter;
}

function renderDetail(signals?: FakeSignals) {
  return renderWithSidecars(
    <Routes>
      <Route path="/sidecars/campaigns/:id" element={<CampaignDetailPage />} />
    </Routes>,
    { route: '/sidecars/campaigns/campaign-1', signals },
  );
}

const progressed = (upgraded: number): Partial<CampaignSummary> => ({
  counts: {
    total: 10,
    upgraded,
    failed: 0,
    rolledBack: 0,
    skipped: 0,
    pending: 10 - upgraded,
    notStarted: 0,
  },
});

describe('live updates', () => {
  describe('the campaign page', () => {
    it('makes no polling request while signals are available, and fetches again on a signal of its campaign', async () => {
      backend.use(permissionHandler());
      const detail = countedGet('/campaigns/campaign-1', [
        campaignDetail(progressed(4)),
        campaignDetail(progressed(6)),
      ]);
      const signals = new FakeSignals();
      await renderDetail(signals);

      expect(
        await screen.findByText('4 of 10 pods upgraded'),
      ).toBeInTheDocument();
      expect(
        screen.getByText('Live: updates as the campaign changes'),
      ).toBeInTheDocument();
      expect(signals.channels()).toContain('sidecars:campaign:campaign-1');
      await sleep(LONGER_THAN_A_POLL_MS);
      expect(detail.requests).toBe(1);

      signals.publish('sidecars:campaign:campaign-1', {
        campaignId: 'campaign-1',
        phase: 'Running',
      });

      expect(
        await screen.findByText('6 of 10 pods upgraded'),
      ).toBeInTheDocument();
      expect(detail.requests).toBe(2);
    });

    it('polls every 2 seconds where the app has no signals', async () => {
      backend.use(permissionHandler());
      const detail = countedGet('/campaigns/campaign-1', [
        campaignDetail(progressed(4)),
        campaignDetail(progressed(6)),
      ]);
      await renderDetail();

      expect(
        await screen.findByText('4 of 10 pods upgraded'),
      ).toBeInTheDocument();
      expect(
        screen.getByText('Live: refreshes every 2 seconds'),
      ).toBeInTheDocument();
      expect(
        await screen.findByText(
          '6 of 10 pods upgraded',
          {},
          { timeout: LONGER_THAN_A_POLL_MS },
        ),
      ).toBeInTheDocument();
      expect(detail.requests).toBe(2);
    });
  });

  describe('the campaigns list', () => {
    it('makes no polling request while signals are available, and fetches the rows again on a signal', async () => {
      backend.use(permissionHandler());
      const list = countedGet('/campaigns', [
        { items: [campaignSummary(progressed(4))] },
        { items: [campaignSummary({ phase: 'Paused', ...progressed(5) })] },
      ]);
      const signals = new FakeSignals();
      await renderWithSidecars(<CampaignListPage />, { signals });

      const row = (
        await screen.findByRole('link', {
          name: 'istio-proxy → docker.io/istio/proxyv2:1.24.2',
        })
      ).closest('tr')!;
      expect(within(row).getByText('Running')).toBeInTheDocument();
      await sleep(LONGER_THAN_A_POLL_MS);
      expect(list.requests).toBe(1);

      signals.publish('sidecars:campaigns', {
        campaignId: 'campaign-1',
        phase: 'Paused',
      });

      expect(await screen.findByText('Paused')).toBeInTheDocument();
      expect(list.requests).toBe(2);
    });
  });

  describe("an entity's Sidecars tab", () => {
    const checkout: Entity = {
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Component',
      metadata: { name: 'checkout', namespace: 'default' },
      spec: {
        type: 'service',
        owner: 'team-payments',
        lifecycle: 'production',
      },
    };

    it("fetches the inventory again on a signal of a campaign touching the entity's pods", async () => {
      backend.use(permissionHandler());
      const before = inventory();
      const after = inventory({
        workloads: [workload({ name: 'checkout-upgraded' })],
      });
      const counted = countedGet('/inventory', [before, after]);
      const signals = new FakeSignals();
      await renderWithSidecars(
        <EntityProvider entity={checkout}>
          <EntitySidecarsContent />
        </EntityProvider>,
        { signals },
      );
      expect(await screen.findByText('Cluster prod-eu-1')).toBeInTheDocument();
      expect(signals.channels()).toContain(`sidecars:entity:${CHECKOUT_REF}`);

      signals.publish(`sidecars:entity:${CHECKOUT_REF}`, {
        campaignId: 'campaign-1',
        phase: 'Running',
      });

      await waitFor(() => expect(counted.requests).toBe(2));
      expect(
        await screen.findByText('Deployment payments/checkout-upgraded'),
      ).toBeInTheDocument();
    });
  });
});
