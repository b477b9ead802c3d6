import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { http, HttpResponse } from 'msw';
import { Route, Routes } from 'react-router-dom';
import {
  SIDECARS_URL,
  apiError,
  backend,
  setUpFakeBackend,
} from '../../__testUtils__/backend';
import { campaignDetail } from '../../__testUtils__/fixtures';
import { renderWithSidecars } from '../../__testUtils__/renderWithSidecars';
import { CampaignDetailPage } from './CampaignDetailPage';

setUpFakeBackend();

function renderDetail(id = 'campaign-1') {
  return renderWithSidecars(
    <Routes>
      <Route path="/sidecars/campaigns/:id" element={<CampaignDetailPage />} />
    </Routes>,
    { route: `/sidecars/campaigns/${id}` },
  );
}

const withFailure = campaignDetail({
  status: {
    failures: [
      {
        pod: 'prod-eu-1/payments/checkout-7',
        reason: 'not Ready within 300 s',
        at: '2025-06-02T08:02:00Z',
      },
    ],
  },
});

describe('CampaignDetailPage', () => {
  it('shows counts, batches, failures with reasons, the audit trail and the Temporal link', async () => {
    backend.use(
      http.get(`${SIDECARS_URL}/campaigns/campaign-1`, () =>
        HttpResponse.json(withFailure),
      ),
    );
    await renderDetail();

    expect(
      await screen.findByText('4 of 10 pods upgraded'),
    ).toBeInTheDocument();
    expect(screen.getByLabelText('Pending: 6')).toBeInTheDocument();
    expect(screen.getByText('Batch 2 of 5')).toBeInTheDocument();
    expect(
      screen.getByRole('img', { name: '2 batches started' }),
    ).toBeInTheDocument();
    const failure = screen
      .getByText('prod-eu-1/payments/checkout-7')
      .closest('tr')!;
    expect(
      within(failure).getByText('not Ready within 300 s'),
    ).toBeInTheDocument();
    const started = screen.getByText('campaign started').closest('tr')!;
    expect(within(started).getByText('jane')).toBeInTheDocument();
    expect(
      screen.getByRole('link', {
        name: /Open the workflow in Temporal Web UI/,
      }),
    ).toHaveAttribute(
      'href',
      'http://localhost:8233/namespaces/default/workflows/campaign-1',
    );
    expect(
      screen.getByText('Live: refreshes every 2 seconds'),
    ).toBeInTheDocument();
  });

  it('enables only the controls the backend allows', async () => {
    backend.use(
      http.get(`${SIDECARS_URL}/campaigns/campaign-1`, () =>
        HttpResponse.json(
          campaignDetail({ allowedActions: ['pause', 'abort'] }),
        ),
      ),
    );
    await renderDetail();

    expect(await screen.findByRole('button', { name: 'Pause' })).toBeEnabled();
    expect(screen.getByRole('button', { name: 'Abort' })).toBeEnabled();
    expect(screen.getByRole('button', { name: 'Resume' })).toBeDisabled();
    expect(screen.getByRole('button', { name: 'Roll back' })).toBeDisabled();
  });

  it('pauses after confirmation and records the reason', async () => {
    let sent: unknown;
    // The backend's view of the campaign: Running until the pause is accepted, Paused after.
    let current = campaignDetail();
    backend.use(
      http.get(`${SIDECARS_URL}/campaigns/campaign-1`, () =>
        HttpResponse.json(current),
      ),
      http.post(
        `${SIDECARS_URL}/campaigns/campaign-1/pause`,
        async ({ request }) => {
          sent = await request.json();
          current = campaignDetail({
            phase: 'Paused',
            allowedActions: ['resume', 'rollback', 'abort'],
          });
          return HttpResponse.json(
            {
              ...current,
              control: {
                action: 'pause',
                outcome: 'applied',
                message: 'the campaign recorded the pause',
              },
            },
            { status: 202 },
          );
        },
      ),
    );
    await renderDetail();
    await userEvent.click(await screen.findByRole('button', { name: 'Pause' }));

    const dialog = await screen.findByRole('dialog', {
      name: 'Pause this campaign?',
    });
    await userEvent.click(within(dialog).getByLabelText(/Reason/));
    await userEvent.paste('error rate up in prod-eu-1');
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Pause' }),
    );

    // Role queries over the whole detail page (charts and tables) are slow in jsdom.
    await waitFor(() =>
      expect(screen.getByRole('button', { name: 'Resume' })).toBeEnabled(),
    );
    expect(sent).toEqual({ reason: 'error rate up in prod-eu-1' });
    expect(screen.getByRole('button', { name: 'Pause' })).toBeDisabled();
  });

  it('warns while no worker answers and says a control waits for one', async () => {
    const queued =
      'Temporal recorded the pause; it takes effect before any new patch once a worker polls task queue sidecar-campaigns';
    const current = campaignDetail({
      statusSource: 'recorded',
      worker: {
        polling: false,
        lastPollAt: '2025-06-02T08:05:00Z',
        message:
          'no worker has answered on task queue sidecar-campaigns since 2025-06-02T08:05:00.000Z',
      },
    });
    backend.use(
      http.get(`${SIDECARS_URL}/campaigns/campaign-1`, () =>
        HttpResponse.json(current),
      ),
      http.post(`${SIDECARS_URL}/campaigns/campaign-1/pause`, () =>
        HttpResponse.json(
          {
            ...current,
            control: { action: 'pause', outcome: 'queued', message: queued },
          },
          { status: 202 },
        ),
      ),
    );
    await renderDetail();
    expect(
      await screen.findByText(
        /No worker is running campaigns: no worker has answered on task queue sidecar-campaigns since/,
      ),
    ).toBeInTheDocument();

    await userEvent.click(screen.getByRole('button', { name: 'Pause' }));
    const dialog = await screen.findByRole('dialog', {
      name: 'Pause this campaign?',
    });
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Pause' }),
    );
    expect(await screen.findByText(queued)).toBeInTheDocument();
  });

  it('keeps the confirmation open with the backend’s answer when an action is refused', async () => {
    backend.use(
      http.get(`${SIDECARS_URL}/campaigns/campaign-1`, () =>
        HttpResponse.json(campaignDetail()),
      ),
      http.post(`${SIDECARS_URL}/campaigns/campaign-1/abort`, () =>
        apiError(409, 'the campaign already completed'),
      ),
    );
    await renderDetail();
    await userEvent.click(await screen.findByRole('button', { name: 'Abort' }));
    const dialog = await screen.findByRole('dialog', {
      name: 'Abort this campaign?',
    });
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Abort' }),
    );

    expect(await within(dialog).findByRole('alert')).toHaveTextContent(
      'the campaign already completed',
    );
  });

  it('refreshes a running campaign until it settles', async () => {
    let calls = 0;
    backend.use(
      http.get(`${SIDECARS_URL}/campaigns/campaign-1`, () => {
        calls += 1;
        return HttpResponse.json(
          calls === 1
            ? campaignDetail()
            : campaignDetail({
                phase: 'Completed',
                allowedActions: ['rollback'],
                counts: {
                  total: 10,
                  upgraded: 10,
                  failed: 0,
                  rolledBack: 0,
                  skipped: 0,
                  pending: 0,
                  notStarted: 0,
                },
              }),
        );
      }),
    );
    await renderDetail();
    expect(
      await screen.findByText('4 of 10 pods upgraded'),
    ).toBeInTheDocument();

    expect(
      await screen.findByText('10 of 10 pods upgraded'),
    ).toBeInTheDocument();
    expect(screen.getByText('Final state')).toBeInTheDocument();
    await new Promise(resolve => setTimeout(resolve, 2500));
    expect(calls).toBe(2);
  });

  it('says which campaign could not be found', async () => {
    backend.use(
      http.get(`${SIDECARS_URL}/campaigns/nope`, () =>
        apiError(404, 'no campaign with id "nope"'),
      ),
    );
    await renderDetail('nope');

    expect(
      await screen.findByText(/Could not load campaign nope/),
    ).toBeInTheDocument();
    expect(
      screen.getAllByText(/no campaign with id "nope"/).length,
    ).toBeGreaterThan(0);
  });
});
