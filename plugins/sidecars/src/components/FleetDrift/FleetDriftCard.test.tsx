import { screen } from '@testing-library/react';
import { http, HttpResponse } from 'msw';
import {
  SIDECARS_URL,
  backend,
  permissionHandler,
  setUpFakeBackend,
} from '../../__testUtils__/backend';
import { fleet } from '../../__testUtils__/fixtures';
import { renderWithSidecars } from '../../__testUtils__/renderWithSidecars';
import { FleetDriftCard } from './FleetDriftCard';

setUpFakeBackend();

describe('FleetDriftCard', () => {
  it("says under the chart how fresh each cluster's counts are", async () => {
    const answer = fleet({
      clusters: [
        {
          name: 'prod-eu-1',
          ok: true,
          source: 'watch',
          syncedAt: new Date().toISOString(),
        },
        {
          name: 'prod-us-1',
          ok: true,
          source: 'list',
          syncedAt: new Date(Date.now() - 12_000).toISOString(),
        },
      ],
    });
    backend.use(
      permissionHandler(),
      http.get(`${SIDECARS_URL}/inventory/fleet`, () =>
        HttpResponse.json(answer),
      ),
    );
    await renderWithSidecars(
      <FleetDriftCard
        container="istio-proxy"
        onContainerChange={() => {}}
        canStartCampaign
        onStartCampaign={() => {}}
      />,
    );

    expect(await screen.findByTestId('inventory-freshness')).toHaveTextContent(
      /^prod-eu-1: live \(watch\) · prod-us-1: listed \d+ s ago$/,
    );
  });
});
