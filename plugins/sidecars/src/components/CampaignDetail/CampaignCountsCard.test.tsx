import { screen } from '@testing-library/react';
import { renderWithSidecars } from '../../__testUtils__/renderWithSidecars';
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
});
