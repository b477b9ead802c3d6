import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { http, HttpResponse } from 'msw';
import {
  accountSidecar,
  HOUR_MS,
  type AccountedPod,
  type AccountedSidecar,
  type AccountingGroupBy,
  type SidecarAccountingResponse,
} from '@internal/plugin-sidecars-common';
import {
  SIDECARS_URL,
  apiError,
  backend,
  permissionHandler,
  setUpFakeBackend,
} from '../../__testUtils__/backend';
import { renderWithSidecars } from '../../__testUtils__/renderWithSidecars';
import { Route, Routes } from 'react-router-dom';
import { CampaignListPage } from '../CampaignList';
import { SidecarAccountingPage } from './SidecarAccountingPage';

setUpFakeBackend();

const MI = 2 ** 20;
const NOW = Date.now();

const istio = (patch: Partial<AccountedSidecar> = {}): AccountedSidecar => ({
  requests: { cpuCores: 0.1, memoryBytes: 128 * MI },
  limits: { memoryBytes: 256 * MI },
  ordering: 'unordered',
  restarts: [],
  crashLoopingNow: false,
  ...patch,
});

const pod = (
  namespace: string,
  workload: string,
  team: string | undefined,
  sidecar?: AccountedSidecar,
): AccountedPod => ({
  cluster: 'prod-eu-1',
  namespace,
  ...(team ? { team } : {}),
  workload: { kind: 'Deployment', name: workload },
  requests: { cpuCores: 0.35, memoryBytes: 384 * MI },
  ...(sidecar ? { sidecar } : {}),
});

const PODS = [
  ...Array.from({ length: 4 }, () =>
    pod('payments', 'payments-api', 'group:default/team-payments', istio()),
  ),
  pod(
    'checkout',
    'cart',
    'group:default/team-checkout',
    istio({
      crashLoopingNow: true,
      restarts: [{ at: NOW - HOUR_MS / 2, count: 7 }],
    }),
  ),
  pod(
    'checkout',
    'checkout-web',
    'group:default/team-checkout',
    istio({ ordering: 'start-hook' }),
  ),
  pod('tools', 'cron', undefined, istio({ ordering: 'native' })),
];

/** The answer the backend would give, made by the same aggregation it runs. */
function answer(groupBy: AccountingGroupBy): SidecarAccountingResponse {
  return {
    ...accountSidecar('istio-proxy', PODS, groupBy, NOW),
    clusters: [{ name: 'prod-eu-1', ok: true, source: 'watch' }],
    partial: false,
    restartsWatchedSince: new Date(NOW - 2 * HOUR_MS).toISOString(),
  };
}

/** The plugin's pages as the app mounts them at /sidecars. */
const pages = (
  <Routes>
    <Route path="/sidecars" element={<CampaignListPage />} />
    <Route path="/sidecars/accounting" element={<SidecarAccountingPage />} />
  </Routes>
);

function serveAccounting(requests: URL[] = []) {
  backend.use(
    permissionHandler(),
    http.get(`${SIDECARS_URL}/campaigns`, () =>
      HttpResponse.json({ items: [] }),
    ),
    http.get(`${SIDECARS_URL}/accounting`, ({ request }) => {
      const url = new URL(request.url);
      requests.push(url);
      if (url.searchParams.get('sidecar') !== 'istio-proxy')
        return apiError(400, 'invalid accounting query', [
          { field: 'sidecar', message: 'no pod in any cluster runs it' },
        ]);
      return HttpResponse.json(
        answer(url.searchParams.get('groupBy') as AccountingGroupBy),
      );
    }),
  );
  return requests;
}

describe('the sidecar costs page', () => {
  it('says what istio-proxy costs and who pays, by owning team', async () => {
    const requests = serveAccounting();
    await renderWithSidecars(pages, {
      route: '/sidecars/accounting',
    });

    expect(
      await screen.findByText(/istio-proxy runs in 7 pods and requests/),
    ).toHaveTextContent(
      'istio-proxy runs in 7 pods and requests 700m CPU and 896 MiB memory: 29% of all CPU and 33% of all memory requested in the fleet.',
    );
    expect(requests[0]!.searchParams.get('groupBy')).toBe('team');
    expect(
      screen.getByRole('img', {
        name: 'CPU requested by istio-proxy per owning team',
      }),
    ).toBeInTheDocument();
    expect(
      screen.getByRole('img', {
        name: 'Memory requested by istio-proxy per owning team',
      }),
    ).toBeInTheDocument();

    // The cost table comes first; the workload tables below name teams too.
    const payments = screen.getAllByRole('cell', {
      name: 'team-payments',
    })[0]!.parentElement!;
    expect(payments).toHaveTextContent('400m / none');
    expect(payments).toHaveTextContent('512 MiB / 1 GiB');
    expect(payments).toHaveTextContent('29% · 33%');
    expect(
      screen.getByRole('cell', { name: '(no catalog owner)' }),
    ).toBeInTheDocument();
  });

  it('shows restarts, crash loops and the workloads that restart most', async () => {
    serveAccounting();
    await renderWithSidecars(pages, {
      route: '/sidecars/accounting',
    });
    expect(
      await screen.findByText(/7 restarts in the last hour/),
    ).toHaveTextContent(
      '7 restarts in the last hour, 7 restarts in the last day; 1 pod crash-looping now (1 in the last day).',
    );
    expect(screen.getByText(/Restarts are counted since/)).toBeInTheDocument();
    expect(
      screen.getByText('Workloads where it restarts most'),
    ).toBeInTheDocument();
    // The restarts card comes before the start-ordering card, which lists cart too.
    const cart = screen
      .getAllByText('Deployment prod-eu-1/checkout/cart')[0]!
      .closest('tr')!;
    expect(cart).toHaveTextContent('team-checkout');
    expect(cart).toHaveTextContent('7 · 7');
    expect(cart).toHaveTextContent('1 of 1');
  });

  it('explains the start-ordering risk with the fix, and lists the unordered workloads', async () => {
    serveAccounting();
    await renderWithSidecars(pages, {
      route: '/sidecars/accounting',
    });
    expect(
      await screen.findByText(/1 pod run it as a native sidecar/),
    ).toHaveTextContent(
      '1 pod run it as a native sidecar, 1 pod hold the app with a start hook, and 5 pods have no start ordering.',
    );
    expect(
      screen.getByText(
        /Your app may start before istio-proxy is ready and fail its first requests/,
      ),
    ).toBeInTheDocument();
    expect(
      screen.getByText(/set holdApplicationUntilProxyStarts: true/),
    ).toBeInTheDocument();
    expect(
      screen.getByText('Deployment prod-eu-1/payments/payments-api'),
    ).toBeInTheDocument();
  });

  it('groups by namespace from the address, and by cluster when picked', async () => {
    const requests = serveAccounting();
    await renderWithSidecars(pages, {
      route: '/sidecars/accounting?groupBy=namespace',
    });
    expect(
      await screen.findByRole('cell', { name: 'prod-eu-1/checkout' }),
    ).toBeInTheDocument();
    expect(requests[0]!.searchParams.get('groupBy')).toBe('namespace');

    await userEvent.click(screen.getByLabelText('Group by'));
    await userEvent.click(screen.getByRole('option', { name: 'Cluster' }));
    expect(
      await screen.findByText('istio-proxy by cluster'),
    ).toBeInTheDocument();
  });

  it('says when no pod runs the sidecar asked for', async () => {
    serveAccounting();
    await renderWithSidecars(pages, {
      route: '/sidecars/accounting?sidecar=nothing-runs-this',
    });
    expect(
      await screen.findByText(/Could not load what nothing-runs-this costs/),
    ).toBeInTheDocument();
  });

  it('is linked from the campaigns page, for the sidecar typed in the drift card', async () => {
    serveAccounting();
    backend.use(
      http.get(`${SIDECARS_URL}/inventory/fleet`, () =>
        HttpResponse.json({
          container: 'istio-proxy',
          versions: [],
          rows: [],
          clusters: [],
          partial: false,
        }),
      ),
    );
    await renderWithSidecars(pages, {
      route: '/sidecars',
    });
    const link = await screen.findByRole('button', { name: 'Sidecar costs' });
    expect(link).toHaveAttribute('href', '/sidecars/accounting');
    await userEvent.click(screen.getByLabelText('Sidecar container'));
    await userEvent.paste('istio-proxy');
    await waitFor(() =>
      expect(link).toHaveAttribute(
        'href',
        '/sidecars/accounting?sidecar=istio-proxy',
      ),
    );
  });
});
