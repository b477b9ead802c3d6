import type { Entity } from '@backstage/catalog-model';
import { EntityProvider } from '@backstage/plugin-catalog-react';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { delay, http, HttpResponse } from 'msw';
import {
  SIDECARS_URL,
  apiError,
  backend,
  permissionHandler,
  permissionsSettled,
  setUpFakeBackend,
} from '../../__testUtils__/backend';
import { fleet, inventory } from '../../__testUtils__/fixtures';
import { renderWithSidecars } from '../../__testUtils__/renderWithSidecars';
import { EntitySidecarsContent } from './EntitySidecarsContent';

setUpFakeBackend();

const checkout: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name: 'checkout', namespace: 'default' },
  spec: { type: 'service', owner: 'team-payments', lifecycle: 'production' },
};

function renderTab() {
  return renderWithSidecars(
    <EntityProvider entity={checkout}>
      <EntitySidecarsContent />
    </EntityProvider>,
  );
}

describe('EntitySidecarsContent', () => {
  it('shows a progress bar while the inventory loads', async () => {
    backend.use(
      permissionHandler(),
      http.get(`${SIDECARS_URL}/inventory`, async () => {
        await delay('infinite');
        return HttpResponse.json(inventory());
      }),
    );
    await renderTab();
    expect(screen.getByTestId('progress')).toBeInTheDocument();
  });

  it('lists each sidecar of each workload with versions, drift, kind, resources and restarts', async () => {
    backend.use(
      permissionHandler(),
      http.get(`${SIDECARS_URL}/inventory`, () =>
        HttpResponse.json(inventory()),
      ),
    );
    await renderTab();

    expect(await screen.findByText('Cluster prod-eu-1')).toBeInTheDocument();
    expect(
      screen.getByText('Deployment payments/checkout'),
    ).toBeInTheDocument();
    expect(screen.getByText('3/3 pods ready')).toBeInTheDocument();
    expect(screen.getByText('istio-proxy')).toBeInTheDocument();
    expect(screen.getByText('Injected')).toBeInTheDocument();
    expect(screen.getByText('1.22.1').closest('p')).toHaveTextContent(
      '1.22.1 · 2 pods',
    );
    expect(
      screen.getByText('2 versions behind (newest 1.24.2)'),
    ).toBeInTheDocument();
    expect(
      screen.getByText('CPU 100m / 500m · 25% of pod'),
    ).toBeInTheDocument();
    expect(
      screen.getByText('Memory 128Mi / 256Mi · 10% of pod'),
    ).toBeInTheDocument();
    expect(screen.getByRole('cell', { name: '3' })).toBeInTheDocument();
  });

  it('names the clusters that did not answer', async () => {
    const partial = inventory({
      partial: true,
      clusters: [
        { name: 'prod-eu-1', ok: true },
        { name: 'prod-us-2', ok: false, error: 'connection refused' },
      ],
    });
    backend.use(
      permissionHandler(),
      http.get(`${SIDECARS_URL}/inventory`, () => HttpResponse.json(partial)),
    );
    await renderTab();

    expect(
      await screen.findByText(
        /Partial result: cluster prod-us-2 did not answer/,
      ),
    ).toBeInTheDocument();
    expect(screen.getByText('Cluster prod-eu-1')).toBeInTheDocument();
  });

  it("says how fresh each cluster's pods are: live from the watch, or listed some time ago", async () => {
    const listedAt = new Date(Date.now() - 3_000).toISOString();
    const fresh = inventory({
      clusters: [
        {
          name: 'prod-eu-1',
          ok: true,
          source: 'watch',
          syncedAt: new Date().toISOString(),
        },
        {
          name: 'prod-us-2',
          ok: true,
          source: 'list',
          syncedAt: listedAt,
          watchError: 'the pods watch fails: Forbidden',
        },
      ],
    });
    backend.use(
      permissionHandler(),
      http.get(`${SIDECARS_URL}/inventory`, () => HttpResponse.json(fresh)),
    );
    await renderTab();

    const caption = await screen.findByTestId('inventory-freshness');
    expect(caption).toHaveTextContent(
      /^prod-eu-1: live \(watch\) · prod-us-2: listed \d+ s ago$/,
    );
    expect(within(caption).getByText(/prod-us-2/)).toHaveAttribute(
      'title',
      expect.stringContaining(
        'watch unavailable: the pods watch fails: Forbidden',
      ),
    );
    expect(screen.queryByText(/Partial result/)).not.toBeInTheDocument();
  });

  it('explains how pods are found when there are none', async () => {
    backend.use(
      permissionHandler(),
      http.get(`${SIDECARS_URL}/inventory`, () =>
        HttpResponse.json(inventory({ workloads: [] })),
      ),
    );
    await renderTab();

    expect(
      await screen.findByText('No pods found for checkout'),
    ).toBeInTheDocument();
    expect(screen.getByText(/backstage.io\/kubernetes-id/)).toBeInTheDocument();
  });

  it('shows the backend’s error and offers a retry', async () => {
    let calls = 0;
    backend.use(
      permissionHandler(),
      http.get(`${SIDECARS_URL}/inventory`, () => {
        calls += 1;
        return calls === 1
          ? apiError(503, 'cluster registry unavailable')
          : HttpResponse.json(inventory());
      }),
    );
    await renderTab();

    expect(
      await screen.findByText(/Could not load the sidecar inventory/),
    ).toBeInTheDocument();
    expect(
      screen.getByText(
        'cluster registry unavailable. The sidecars backend is not ready (Temporal or a cluster may be down): retry in a minute.',
      ),
    ).toBeInTheDocument();
    await userEvent.click(screen.getByRole('button', { name: 'Retry' }));
    expect(await screen.findByText('Cluster prod-eu-1')).toBeInTheDocument();
  });

  it('disables Upgrade for users who neither own the component nor manage the fleet', async () => {
    const log = { answered: 0 };
    backend.use(
      permissionHandler(
        {
          'sidecars.campaign.entity.manage': 'DENY',
          'sidecars.fleet.manage': 'DENY',
        },
        log,
      ),
      http.get(`${SIDECARS_URL}/inventory`, () =>
        HttpResponse.json(inventory()),
      ),
    );
    await renderTab();

    const upgrade = await screen.findByRole('button', {
      name: 'Upgrade istio-proxy in checkout',
    });
    await permissionsSettled(log, 2);
    expect(upgrade).toBeDisabled();
  });

  it('opens the campaign form for this service with the newest fleet version suggested', async () => {
    backend.use(
      permissionHandler({ 'sidecars.fleet.manage': 'DENY' }),
      http.get(`${SIDECARS_URL}/inventory`, () =>
        HttpResponse.json(inventory()),
      ),
      http.get(`${SIDECARS_URL}/inventory/fleet`, () =>
        HttpResponse.json(fleet()),
      ),
    );
    await renderTab();

    const upgrade = await screen.findByRole('button', {
      name: 'Upgrade istio-proxy in checkout',
    });
    await waitFor(() => expect(upgrade).toBeEnabled());
    await userEvent.click(upgrade);

    const dialog = await screen.findByRole('dialog');
    expect(
      within(dialog).getByText('Upgrade istio-proxy in checkout'),
    ).toBeInTheDocument();
    expect(within(dialog).getByLabelText(/Sidecar container/)).toHaveValue(
      'istio-proxy',
    );
    expect(
      within(dialog).getByText('component:default/checkout'),
    ).toBeInTheDocument();
    await expect(
      within(dialog).findByDisplayValue(
        'docker.io/istio/proxyv2:1.24.2',
        {},
        { timeout: 2000 },
      ),
    ).resolves.toBeInTheDocument();
  });
});
