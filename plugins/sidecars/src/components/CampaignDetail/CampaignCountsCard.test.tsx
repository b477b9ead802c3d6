import { screen } from '@testing-library/react';
import { renderWithSidecars } from '../../__testUtils__/renderWithSidecars';
import { campaignDetail } from '../../__testUtils__/fixtures';
import { wavedCampaignDetail } from '../../__testUtils__/waveFixtures';
import { CampaignCountsCard } from './CampaignCountsCard';

describe('CampaignCountsCard', () => {
  it('names the wave a campaign in waves is at, and counts only the pods of started waves as such', async () => {
    const { status } = wavedCampaignDetail([]);
    await renderWithSidecars(<CampaignCountsCard status={status} />);
    expect(await screen.findByText('Wave 2 of 2: prod')).toBeInTheDocument();
    expect(screen.getByText('Pods in started waves')).toBeInTheDocument();
    expect(screen.queryByText(/batches planned/)).not.toBeInTheDocument();
  });

  it('says how many waves completed once none is under way', async () => {
    const { status } = wavedCampaignDetail([]);
    const completed = status.waves!.map(wave => ({
      ...wave,
      state: 'completed' as const,
    }));
    await renderWithSidecars(
      <CampaignCountsCard status={{ ...status, waves: completed }} />,
    );
    expect(
      await screen.findByText('2 of 2 waves completed'),
    ).toBeInTheDocument();
    expect(screen.getByText('Total pods')).toBeInTheDocument();
  });

  it('says what the worker reported it is doing: the window rolling and the pods in flight', async () => {
    const { status } = campaignDetail();
    await renderWithSidecars(
      <CampaignCountsCard
        status={{
          ...status,
          activity: {
            progress: {
              stage: 'rolling',
              fromBatch: 0,
              toBatch: 20,
              states: { upgraded: 4, upgrading: 2 },
              inFlight: 2,
              stopping: 'cancelled',
            },
            reportedAt: '2026-11-27T20:00:00.000Z',
          },
        }}
      />,
    );
    expect(
      await screen.findByText(
        /^Batches 1–20 rolling: 2 pods in flight; stopped starting pods; waiting for those in flight \(reported .+\)$/,
      ),
    ).toBeInTheDocument();
  });
});
