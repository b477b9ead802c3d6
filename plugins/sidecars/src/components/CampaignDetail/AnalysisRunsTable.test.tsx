import { screen, within } from '@testing-library/react';
import { http, HttpResponse } from 'msw';
import { Route, Routes } from 'react-router-dom';
import {
  SIDECARS_URL,
  backend,
  setUpFakeBackend,
} from '../../__testUtils__/backend';
import { campaignDetail, campaignSpec } from '../../__testUtils__/fixtures';
import { renderWithSidecars } from '../../__testUtils__/renderWithSidecars';
import { CampaignDetailPage } from './CampaignDetailPage';

setUpFakeBackend();

const gated = campaignSpec();
gated.analysis = {
  metrics: [
    {
      name: 'error-ratio',
      query: 'gate_error_ratio',
      interval: '30s',
      count: 3,
      successCondition: 'result[0] <= 0.05',
      failureLimit: 0,
      inconclusiveLimit: 0,
    },
  ],
};

function renderDetail(status: Parameters<typeof campaignDetail>[0]) {
  backend.use(
    http.get(`${SIDECARS_URL}/campaigns/campaign-1`, () =>
      HttpResponse.json(campaignDetail(status)),
    ),
  );
  return renderWithSidecars(
    <Routes>
      <Route path="/sidecars/campaigns/:id" element={<CampaignDetailPage />} />
    </Routes>,
    { route: '/sidecars/campaigns/campaign-1' },
  );
}

describe('the campaign page’s metric gates', () => {
  it('shows each analysis run, newest first, with what it measured and why it failed', async () => {
    await renderDetail({
      status: {
        spec: gated,
        analysisRuns: [
          {
            batch: 0,
            phase: 'Successful',
            metrics: [
              {
                name: 'error-ratio',
                phase: 'Successful',
                measured: 3,
                successful: 3,
                failed: 0,
                inconclusive: 0,
                lastValue: '[0.01]',
              },
            ],
            startedAt: '2025-06-02T08:01:30Z',
            finishedAt: '2025-06-02T08:02:30Z',
          },
          {
            batch: 1,
            phase: 'Failed',
            metrics: [
              {
                name: 'error-ratio',
                phase: 'Failed',
                measured: 1,
                successful: 0,
                failed: 1,
                inconclusive: 0,
                lastValue: '[0.5]',
                lastMessage: 'successCondition result[0] <= 0.05 did not hold',
              },
            ],
            startedAt: '2025-06-02T08:04:00Z',
            finishedAt: '2025-06-02T08:04:01Z',
          },
        ],
      },
    });
    expect(
      await screen.findByText('Metric gates (error-ratio)'),
    ).toBeInTheDocument();
    const rows = screen
      .getAllByText(/^batch \d$/)
      .map(cell => cell.closest('tr')!);
    expect(
      rows.map(row => within(row).getAllByRole('cell')[0]?.textContent),
    ).toEqual(['batch 2', 'batch 1']);
    expect(within(rows[0]!).getByText('failed')).toBeInTheDocument();
    expect(within(rows[0]!).getByText('[0.5]')).toBeInTheDocument();
    expect(
      within(rows[0]!).getByText(
        'successCondition result[0] <= 0.05 did not hold',
      ),
    ).toBeInTheDocument();
    expect(within(rows[1]!).getByText('passed')).toBeInTheDocument();
    expect(
      screen.getByText(
        'error-ratio: 3 × every 30s, passes when result[0] <= 0.05',
      ),
    ).toBeInTheDocument();
  });

  it('says when no analysis has run yet', async () => {
    await renderDetail({ status: { spec: gated } });
    expect(
      await screen.findByText(
        'No analysis yet: the gates measure after the first batch.',
      ),
    ).toBeInTheDocument();
  });

  it('says a run an abort or rollback cut short was stopped, and one in progress is measuring', async () => {
    const metric = {
      name: 'error-ratio',
      phase: 'Running' as const,
      measured: 1,
      successful: 1,
      failed: 0,
      inconclusive: 0,
    };
    await renderDetail({
      status: {
        spec: gated,
        analysisRuns: [
          {
            batch: 0,
            phase: 'Running',
            metrics: [metric],
            startedAt: '2025-06-02T08:01:30Z',
            finishedAt: '2025-06-02T08:01:40Z',
          },
          {
            batch: 1,
            phase: 'Running',
            metrics: [metric],
            startedAt: '2025-06-02T08:03:00Z',
          },
        ],
      },
    });
    const [latest, earlier] = (await screen.findAllByText(/^batch \d$/)).map(
      cell => cell.closest('tr')!,
    );
    expect(within(latest!).getByText('measuring')).toBeInTheDocument();
    expect(within(earlier!).getByText('stopped')).toBeInTheDocument();
  });
});
