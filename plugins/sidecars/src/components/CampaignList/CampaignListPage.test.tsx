import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { http, HttpResponse } from 'msw';
import {
  SIDECARS_URL,
  apiError,
  backend,
  permissionHandler,
  permissionsSettled,
  setUpFakeBackend,
} from '../../__testUtils__/backend';
import { campaignSummary, fleet } from '../../__testUtils__/fixtures';
import { renderWithSidecars } from '../../__testUtils__/renderWithSidecars';
import { CampaignListPage } from './CampaignListPage';

setUpFakeBackend();

const running = campaignSummary();
const failed = campaignSummary({
  id: 'campaign-2',
  phase: 'Failed',
  container: 'log-shipper',
  targetImage: 'registry.example.com/fluent-bit:3.1.0',
  entityRef: undefined,
  createdBy: 'user:default/platform-bot',
  counts: {
    total: 20,
    upgraded: 5,
    failed: 3,
    rolledBack: 0,
    skipped: 1,
    pending: 11,
    notStarted: 0,
  },
});

describe('CampaignListPage', () => {
  it('lists campaigns with phase, progress and who started them', async () => {
    backend.use(
      permissionHandler(),
      http.get(`${SIDECARS_URL}/campaigns`, () =>
        HttpResponse.json({ items: [running, failed] }),
      ),
    );
    await renderWithSidecars(<CampaignListPage />);

    const link = await screen.findByRole('link', {
      name: 'istio-proxy → docker.io/istio/proxyv2:1.24.2',
    });
    expect(link).toHaveAttribute('href', '/sidecars/campaigns/campaign-1');
    const failedRow = screen
      .getByText('log-shipper → registry.example.com/fluent-bit:3.1.0')
      .closest('tr')!;
    expect(within(failedRow).getByText('Failed')).toBeInTheDocument();
    expect(within(failedRow).getByText('Fleet selection')).toBeInTheDocument();
    expect(within(failedRow).getByText('platform-bot')).toBeInTheDocument();
    expect(
      within(failedRow).getByText(
        '5 of 20 pods upgraded · 3 failed · 1 skipped',
      ),
    ).toBeInTheDocument();
    expect(within(failedRow).getByRole('progressbar')).toHaveAttribute(
      'aria-valuenow',
      '25',
    );
  });

  it('says when no worker polls, and that the rows show what each campaign last recorded', async () => {
    const worker = {
      polling: false,
      message:
        'no worker has answered on task queue sidecar-campaigns since 2025-06-02T08:05:00.000Z',
    };
    backend.use(
      permissionHandler(),
      http.get(`${SIDECARS_URL}/campaigns`, () =>
        HttpResponse.json({ items: [running, failed], worker }),
      ),
    );
    await renderWithSidecars(<CampaignListPage />);

    expect(await screen.findByRole('status')).toHaveTextContent(
      `No worker is running campaigns: ${worker.message}.`,
    );
    expect(
      screen.getByText('5 of 20 pods upgraded · 3 failed · 1 skipped'),
    ).toBeInTheDocument();
  });

  it('shows a helpful empty state', async () => {
    backend.use(
      permissionHandler(),
      http.get(`${SIDECARS_URL}/campaigns`, () =>
        HttpResponse.json({ items: [] }),
      ),
    );
    await renderWithSidecars(<CampaignListPage />);

    expect(await screen.findByText('No campaigns yet')).toBeInTheDocument();
  });

  it('shows the loading state, then the backend’s error with a retry', async () => {
    let calls = 0;
    let answerFirstCall: () => void = () => undefined;
    const firstCallAnswered = new Promise<void>(
      resolve => (answerFirstCall = resolve),
    );
    backend.use(
      permissionHandler(),
      http.get(`${SIDECARS_URL}/campaigns`, async () => {
        calls += 1;
        if (calls > 1) return HttpResponse.json({ items: [running] });
        // The first answer waits until the test has seen the loading state.
        await firstCallAnswered;
        return apiError(500, 'Temporal is unreachable');
      }),
    );
    await renderWithSidecars(<CampaignListPage />);

    expect((await screen.findAllByRole('progressbar')).length).toBeGreaterThan(
      0,
    );
    answerFirstCall();
    expect(
      await screen.findByText(/Could not load campaigns/),
    ).toBeInTheDocument();
    await userEvent.click(screen.getByRole('button', { name: 'Retry' }));
    expect(
      await screen.findByText('istio-proxy → docker.io/istio/proxyv2:1.24.2'),
    ).toBeInTheDocument();
  });

  it('asks the backend for the chosen phase and container', async () => {
    const queries: string[] = [];
    backend.use(
      permissionHandler(),
      http.get(`${SIDECARS_URL}/campaigns`, ({ request }) => {
        queries.push(new URL(request.url).search);
        return HttpResponse.json({ items: [] });
      }),
    );
    await renderWithSidecars(<CampaignListPage />);
    await screen.findByText('No campaigns yet');

    await userEvent.click(screen.getByLabelText('Phase'));
    await userEvent.click(
      await screen.findByRole('option', { name: 'Paused' }),
    );
    await userEvent.type(screen.getByLabelText('Container'), 'istio-proxy');

    await waitFor(() =>
      expect(queries.at(-1)).toBe(
        '?phase=Paused&container=istio-proxy&pageSize=25',
      ),
    );
    expect(
      await screen.findByText('No campaign matches these filters'),
    ).toBeInTheDocument();
  });

  it('loads the next page on demand', async () => {
    backend.use(
      permissionHandler(),
      http.get(`${SIDECARS_URL}/campaigns`, ({ request }) =>
        new URL(request.url).searchParams.get('nextPageToken') === 'page-2'
          ? HttpResponse.json({ items: [failed] })
          : HttpResponse.json({ items: [running], nextPageToken: 'page-2' }),
      ),
    );
    await renderWithSidecars(<CampaignListPage />);
    await userEvent.click(
      await screen.findByRole('button', { name: 'Load more campaigns' }),
    );

    expect(
      await screen.findByText(
        'log-shipper → registry.example.com/fluent-bit:3.1.0',
      ),
    ).toBeInTheDocument();
    expect(
      screen.getByText('istio-proxy → docker.io/istio/proxyv2:1.24.2'),
    ).toBeInTheDocument();
    expect(
      screen.queryByRole('button', { name: 'Load more campaigns' }),
    ).not.toBeInTheDocument();
  });

  it('draws one sidecar’s versions by cluster and namespace', async () => {
    backend.use(
      permissionHandler(),
      http.get(`${SIDECARS_URL}/campaigns`, () =>
        HttpResponse.json({ items: [] }),
      ),
      http.get(`${SIDECARS_URL}/inventory/fleet`, () =>
        HttpResponse.json(
          fleet({
            partial: true,
            clusters: [
              { name: 'prod-ap-1', ok: false, error: 'timeout after 10 s' },
              ...fleet().clusters,
            ],
          }),
        ),
      ),
    );
    await renderWithSidecars(<CampaignListPage />);
    expect(screen.getByText('Pick a sidecar')).toBeInTheDocument();

    await userEvent.type(
      screen.getByLabelText('Sidecar container'),
      'istio-proxy',
    );

    expect(
      await screen.findByText(
        '2 versions running; the newest, 1.24.2, on 40 of 100 pods (40%).',
      ),
    ).toBeInTheDocument();
    expect(
      screen.getByRole('img', {
        name: 'Pods per istio-proxy version in 2 cluster namespaces',
      }),
    ).toBeInTheDocument();
    expect(screen.getByText('prod-eu-1/payments')).toBeInTheDocument();
    expect(screen.getByText('1.24.2 (newest)')).toBeInTheDocument();
    expect(
      screen.getByText(/Partial result: cluster prod-ap-1 did not answer/),
    ).toBeInTheDocument();
  });

  it('disables fleet-wide campaigns without the fleet permission', async () => {
    const log = { answered: 0 };
    backend.use(
      permissionHandler({ 'sidecars.fleet.manage': 'DENY' }, log),
      http.get(`${SIDECARS_URL}/campaigns`, () =>
        HttpResponse.json({ items: [] }),
      ),
    );
    await renderWithSidecars(<CampaignListPage />);
    await permissionsSettled(log, 1);

    expect(
      screen.getByRole('button', { name: 'Start campaign' }),
    ).toBeDisabled();
  });

  it('opens the campaign form from Start campaign for platform engineers', async () => {
    backend.use(
      permissionHandler(),
      http.get(`${SIDECARS_URL}/campaigns`, () =>
        HttpResponse.json({ items: [] }),
      ),
    );
    await renderWithSidecars(<CampaignListPage />);
    const start = screen.getByRole('button', { name: 'Start campaign' });
    await waitFor(() => expect(start).toBeEnabled());

    await userEvent.click(start);

    expect(
      await screen.findByRole('dialog', { name: 'Start a fleet campaign' }),
    ).toBeInTheDocument();
  });
});
