import type { WaveStatus } from '@internal/plugin-sidecars-common';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { http, HttpResponse } from 'msw';
import { Route, Routes } from 'react-router-dom';
import {
  SIDECARS_URL,
  backend,
  setUpFakeBackend,
} from '../../__testUtils__/backend';
import { renderWithSidecars } from '../../__testUtils__/renderWithSidecars';
import {
  wavedCampaignDetail,
  wavesAwaitingApproval,
} from '../../__testUtils__/waveFixtures';
import { CampaignDetailPage } from './CampaignDetailPage';

setUpFakeBackend();

const NOT_ALLOWED =
  'Only the owners of the campaign and the platform team may approve';

function renderDetail() {
  return renderWithSidecars(
    <Routes>
      <Route path="/sidecars/campaigns/:id" element={<CampaignDetailPage />} />
    </Routes>,
    { route: '/sidecars/campaigns/campaign-1' },
  );
}

/** The waves once wave "prod" was approved by pat: its lane runs. */
function approvedWaves(): WaveStatus[] {
  const [staging, prod] = wavesAwaitingApproval();
  return [
    staging!,
    {
      ...prod!,
      state: 'running',
      gate: {
        approval: true,
        bakeSeconds: 0,
        state: 'passed',
        approvedBy: 'user:default/pat',
      },
      lanes: [
        {
          cluster: 'prod-us-1',
          campaignId: 'campaign-1-w2-prod-us-1',
          phase: 'Running',
          counts: {
            total: 4,
            upgraded: 1,
            failed: 0,
            rolledBack: 0,
            skipped: 0,
            pending: 3,
            notStarted: 0,
          },
          currentBatch: 0,
          totalBatches: 2,
        },
      ],
    },
  ];
}

describe('WaveLanes', () => {
  it('shows a lane per wave and cluster, and approves the waiting wave after confirmation', async () => {
    let current = wavedCampaignDetail(['approve', 'rollback', 'abort']);
    let sent: unknown;
    backend.use(
      http.get(`${SIDECARS_URL}/campaigns/campaign-1`, () =>
        HttpResponse.json(current),
      ),
      http.post(
        `${SIDECARS_URL}/campaigns/campaign-1/approve`,
        async ({ request }) => {
          sent = await request.json();
          const approved = wavedCampaignDetail(['pause', 'abort']);
          current = {
            ...approved,
            phase: 'Running',
            status: { ...approved.status, waves: approvedWaves() },
          };
          return HttpResponse.json(
            {
              ...current,
              control: {
                action: 'approve',
                outcome: 'applied',
                message: 'the campaign recorded the approval',
              },
            },
            { status: 202 },
          );
        },
      ),
    );
    await renderDetail();

    const gate = await screen.findByRole('group', {
      name: 'gate before wave prod',
    });
    expect(
      within(gate).getByText('Gate: approval · waiting for approval'),
    ).toBeInTheDocument();
    expect(screen.getByText('Wave 1: staging')).toBeInTheDocument();
    expect(screen.getByText('Wave 2: prod')).toBeInTheDocument();
    expect(
      within(screen.getByRole('group', { name: 'lane prod-us-1' })).getByText(
        'Not started',
      ),
    ).toBeInTheDocument();
    const approve = within(gate).getByRole('button', {
      name: 'Approve wave prod',
    });
    expect(approve).toBeEnabled();

    await userEvent.click(approve);
    const dialog = await screen.findByRole('dialog', {
      name: 'Approve wave this campaign?',
    });
    expect(dialog).toHaveTextContent(
      'The wave waiting at its gate starts: its clusters are upgraded in parallel',
    );
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Approve wave' }),
    );

    await waitFor(() =>
      expect(screen.queryByRole('dialog')).not.toBeInTheDocument(),
    );
    expect(
      screen.getByText('Gate: approval · approved by pat'),
    ).toBeInTheDocument();
    expect(sent).toEqual({});
    expect(
      screen.queryByRole('button', { name: 'Approve wave prod' }),
    ).not.toBeInTheDocument();
    expect(
      within(screen.getByRole('group', { name: 'lane prod-us-1' })).getByText(
        'batch 1 of 2',
      ),
    ).toBeInTheDocument();
  });

  it('disables approve, with the reason, for a user who may not manage the campaign', async () => {
    backend.use(
      http.get(`${SIDECARS_URL}/campaigns/campaign-1`, () =>
        HttpResponse.json(wavedCampaignDetail([])),
      ),
    );
    await renderDetail();

    const gate = await screen.findByRole('group', {
      name: 'gate before wave prod',
    });
    const approve = within(gate).getByRole('button', {
      name: 'Approve wave prod',
    });
    expect(approve).toBeDisabled();
    const why = within(gate).getByTitle(NOT_ALLOWED);
    expect(why).toContainElement(approve);
    await userEvent.hover(why);
    expect(await screen.findByRole('tooltip')).toHaveTextContent(NOT_ALLOWED);
  });
});
