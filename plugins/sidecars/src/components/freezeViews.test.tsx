import { renderInTestApp } from '@backstage/test-utils';
import { screen, within } from '@testing-library/react';
import { campaignDetail, plan } from '../__testUtils__/fixtures';
import { CampaignCountsCard } from './CampaignDetail/CampaignCountsCard';
import { PlanPreview } from './CampaignForm/PlanPreview';

const until = '2027-01-04T00:00:00.000Z';

describe('freeze windows in the portal', () => {
  it('the campaign page says until when and by which freeze a campaign is frozen', async () => {
    const { status } = campaignDetail({
      phase: 'Scheduled',
      status: {
        phase: 'Scheduled',
        phaseReason: `frozen until ${until} (year-end)`,
        frozen: { name: 'year-end', until },
      },
    });
    await renderInTestApp(<CampaignCountsCard status={status} />);
    expect(
      screen.getByText(
        `Frozen until ${new Date(until).toLocaleString()} (year-end): no batch starts during the freeze; the campaign resumes on its own when it ends.`,
      ),
    ).toBeInTheDocument();
    expect(screen.queryByText(/^frozen until/)).not.toBeInTheDocument();
  });

  it('the plan preview lists the freezes that will hold the campaign, with their scope', async () => {
    await renderInTestApp(
      <PlanPreview
        plan={plan([2, 2], {
          freezes: [
            {
              name: 'payments-audit',
              start: '2026-12-10T00:00:00Z',
              end: '2026-12-11T00:00:00Z',
              clusters: ['prod-eu-1'],
              namespaces: ['payments'],
            },
            { name: 'year-end', start: '2026-12-20T00:00:00Z', end: until },
          ],
        })}
      />,
    );
    const list = within(screen.getByLabelText('Freezes'));
    expect(
      list.getByText(/No batch starts during these freezes/),
    ).toBeInTheDocument();
    expect(
      list.getByText(
        /^payments-audit: .* \(clusters prod-eu-1; namespaces payments\)$/,
      ),
    ).toBeInTheDocument();
    expect(
      list.getByText(/^year-end: .* \(the whole fleet\)$/),
    ).toBeInTheDocument();
  });

  it('the plan preview says nothing of freezes when none holds the campaign', async () => {
    await renderInTestApp(<PlanPreview plan={plan([2])} />);
    expect(screen.queryByLabelText('Freezes')).not.toBeInTheDocument();
  });
});
