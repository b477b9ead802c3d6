import type { Entity } from '@backstage/catalog-model';
import { EntityProvider } from '@backstage/plugin-catalog-react';
import type { WorkloadSidecar } from '@internal/plugin-sidecars-common';
import { screen, within } from '@testing-library/react';
import { http, HttpResponse } from 'msw';
import {
  SIDECARS_URL,
  backend,
  permissionHandler,
  setUpFakeBackend,
} from '../../__testUtils__/backend';
import { inventory, workload } from '../../__testUtils__/fixtures';
import { renderWithSidecars } from '../../__testUtils__/renderWithSidecars';
import { EntitySidecarsContent } from './EntitySidecarsContent';

setUpFakeBackend();

const checkout: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name: 'checkout', namespace: 'default' },
  spec: { type: 'service', owner: 'team-payments', lifecycle: 'production' },
};

const base = workload().sidecars[0]!;
const sidecar = (patch: Partial<WorkloadSidecar>): WorkloadSidecar => ({
  ...base,
  ...patch,
});

async function renderWith(sidecars: WorkloadSidecar[]) {
  backend.use(
    permissionHandler(),
    http.get(`${SIDECARS_URL}/inventory`, () =>
      HttpResponse.json(inventory({ workloads: [workload({ sidecars })] })),
    ),
  );
  await renderWithSidecars(
    <EntityProvider entity={checkout}>
      <EntitySidecarsContent />
    </EntityProvider>,
  );
  await screen.findByText('Cluster prod-eu-1');
}

const rowOf = (container: string) =>
  screen.getByText(container, { selector: 'p' }).closest('tr')!;

describe('the Sidecars tab: start ordering and crash loops', () => {
  it('tells the owner when the app may start before its sidecar, with the fix', async () => {
    await renderWith([
      sidecar({
        container: 'istio-proxy',
        startOrdering: { kind: 'unordered' },
      }),
    ]);
    const row = within(rowOf('istio-proxy'));
    expect(row.getByText('No start ordering')).toBeInTheDocument();
    expect(
      row.getByText(
        'Your app may start before istio-proxy is ready and fail its first requests, and may lose istio-proxy before it has finished shutting down.',
      ),
    ).toBeInTheDocument();
    expect(
      row.getByText(
        /Fix: set holdApplicationUntilProxyStarts: true in the proxy.istio.io\/config annotation of your pod template, or have the mesh inject it as a native sidecar/,
      ),
    ).toBeInTheDocument();
  });

  it('says a native sidecar starts first and a hooked one holds the app, and says what remains', async () => {
    await renderWith([
      sidecar({
        container: 'cloud-sql-proxy',
        kind: 'native',
        startOrdering: { kind: 'native' },
      }),
      sidecar({
        container: 'istio-proxy',
        startOrdering: {
          kind: 'start-hook',
          hook: 'holdApplicationUntilProxyStarts',
        },
      }),
    ]);
    expect(
      within(rowOf('cloud-sql-proxy')).getByText('Starts first (native)'),
    ).toBeInTheDocument();
    const istio = within(rowOf('istio-proxy'));
    expect(
      istio.getByText('App waits for it (start hook)'),
    ).toBeInTheDocument();
    expect(
      istio.getByText(
        /holdApplicationUntilProxyStarts makes your app wait until istio-proxy is ready/,
      ),
    ).toBeInTheDocument();
  });

  it('flags a crash-looping sidecar, and only that one', async () => {
    await renderWith([
      sidecar({ container: 'istio-proxy', crashLoopingPods: 2 }),
      sidecar({ container: 'fluent-bit', crashLoopingPods: 0 }),
    ]);
    expect(
      within(rowOf('istio-proxy')).getByText('Crash-looping in 2 pods'),
    ).toBeInTheDocument();
    expect(
      within(rowOf('fluent-bit')).queryByText(/Crash-looping/),
    ).not.toBeInTheDocument();
  });
});
