import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { http, HttpResponse } from 'msw';
import type { CampaignTemplate } from '@internal/plugin-sidecars-common';
import {
  SIDECARS_URL,
  apiError,
  backend,
  permissionHandler,
  setUpFakeBackend,
} from '../../__testUtils__/backend';
import { renderWithSidecars } from '../../__testUtils__/renderWithSidecars';
import { CampaignListPage } from '../CampaignList';
import { CampaignTemplatesView } from './CampaignTemplatesView';

setUpFakeBackend();

const template = (over: Partial<CampaignTemplate> = {}): CampaignTemplate => ({
  id: 'tuesday-fluent-bit',
  name: 'Tuesday fluent-bit',
  cron: '0 2 * * 2',
  timeZone: 'UTC',
  targetImageFrom: { clusters: ['production'] },
  spec: {
    container: 'fluent-bit',
    targetImage: 'docker.io/fluent/fluent-bit:3.0.0',
    selector: { clusters: ['staging'], labelSelector: 'app=logs' },
    mode: 'in-place',
    strategy: {
      maxUnavailable: 1,
      order: { by: 'name' },
      bakeSeconds: 0,
      healthTimeoutSeconds: 300,
      failureBudget: 0,
      onFailure: 'rollback',
      rollbackWindowSeconds: 0,
    },
  },
  createdBy: 'user:default/pat',
  createdAt: '2025-06-01T08:00:00.000Z',
  paused: false,
  nextRuns: ['2025-06-03T02:00:00.000Z'],
  lastRuns: [
    {
      workflowId: 'sidecar-template-tuesday-fluent-bit-2025-05-27T02:00:00Z',
      scheduledAt: '2025-05-27T02:00:00.000Z',
      outcome: 'started',
      campaignId: 'fluent-bit-3-1-4-abc123',
      targetImage: 'docker.io/fluent/fluent-bit:3.1.4',
    },
  ],
  mayManage: true,
  temporalUiUrl:
    'http://temporal/schedules/sidecar-template-tuesday-fluent-bit',
  ...over,
});

describe('CampaignTemplatesView', () => {
  it('lists each template with its schedule, next run and the campaign of its last run, and pauses it', async () => {
    const sent: string[] = [];
    let current = template();
    backend.use(
      permissionHandler(),
      http.get(`${SIDECARS_URL}/campaign-templates`, () =>
        HttpResponse.json({ items: [current] }),
      ),
      http.post(
        `${SIDECARS_URL}/campaign-templates/:id/:action`,
        ({ params }) => {
          sent.push(`${params.id} ${params.action}`);
          current = template({ paused: true, nextRuns: [] });
          return HttpResponse.json(current, { status: 202 });
        },
      ),
    );
    await renderWithSidecars(<CampaignTemplatesView />);

    const row = (await screen.findByText('Tuesday fluent-bit')).closest('tr')!;
    expect(within(row).getByText('0 2 * * 2 (UTC)')).toBeInTheDocument();
    expect(
      within(row).getByText(/fluent-bit → the version production run/),
    ).toBeInTheDocument();
    expect(
      within(row).getByRole('link', { name: 'fluent-bit-3-1-4-abc123' }),
    ).toHaveAttribute('href', '/sidecars/campaigns/fluent-bit-3-1-4-abc123');

    await userEvent.click(
      within(row).getByRole('button', { name: 'Pause Tuesday fluent-bit' }),
    );
    await waitFor(() => expect(sent).toEqual(['tuesday-fluent-bit pause']));
    expect(
      await screen.findByRole('button', { name: 'Resume Tuesday fluent-bit' }),
    ).toBeEnabled();
    expect(within(row).getByText('paused')).toBeInTheDocument();
  });

  it('disables the controls, with the reason, for a user who may not manage the template', async () => {
    backend.use(
      permissionHandler(),
      http.get(`${SIDECARS_URL}/campaign-templates`, () =>
        HttpResponse.json({ items: [template({ mayManage: false })] }),
      ),
    );
    await renderWithSidecars(<CampaignTemplatesView />);
    const row = (await screen.findByText('Tuesday fluent-bit')).closest('tr')!;
    for (const label of ['Pause', 'Run now', 'Delete'])
      expect(
        within(row).getByRole('button', {
          name: `${label} Tuesday fluent-bit`,
        }),
      ).toBeDisabled();
    expect(
      within(row).getByTitle(/what starting its campaign needs/),
    ).toBeInTheDocument();
  });

  it('creates a template, showing the API’s field errors on their inputs', async () => {
    const bodies: unknown[] = [];
    backend.use(
      permissionHandler(),
      http.get(`${SIDECARS_URL}/campaign-templates`, () =>
        HttpResponse.json({ items: [] }),
      ),
      http.post(`${SIDECARS_URL}/campaign-templates`, async ({ request }) => {
        const body = (await request.json()) as { cron: string };
        bodies.push(body);
        return body.cron === '0 2 * *'
          ? apiError(400, 'invalid campaign template', [
              {
                field: 'cron',
                message: 'it has 4 fields but needs exactly 5',
              },
            ])
          : HttpResponse.json(template(), { status: 201 });
      }),
    );
    await renderWithSidecars(<CampaignTemplatesView />);
    await userEvent.click(
      await screen.findByRole('button', { name: 'New template' }),
    );
    await userEvent.type(screen.getByLabelText('Name'), 'Tuesday fluent-bit');
    const cron = screen.getByLabelText('Cron');
    await userEvent.clear(cron);
    await userEvent.type(cron, '0 2 * *');
    await userEvent.type(
      screen.getByLabelText(/Follow the version running in/),
      'production',
    );
    await userEvent.click(
      screen.getByRole('button', { name: 'Create template' }),
    );
    expect(
      await screen.findByText('cron: it has 4 fields but needs exactly 5'),
    ).toBeInTheDocument();
    expect(bodies[0]).toMatchObject({
      name: 'Tuesday fluent-bit',
      timeZone: 'UTC',
      targetImageFrom: { clusters: ['production'] },
      spec: { container: 'fluent-bit' },
    });

    await userEvent.type(cron, ' 2');
    await userEvent.click(
      screen.getByRole('button', { name: 'Create template' }),
    );
    await waitFor(() =>
      expect(screen.queryByText('New recurring template')).toBeNull(),
    );
    expect(bodies[1]).toMatchObject({ cron: '0 2 * * 2' });
  });

  it('is the Templates tab of the campaigns page', async () => {
    backend.use(
      permissionHandler(),
      http.get(`${SIDECARS_URL}/campaigns`, () =>
        HttpResponse.json({ items: [] }),
      ),
      http.get(`${SIDECARS_URL}/campaign-templates`, () =>
        HttpResponse.json({ items: [template()] }),
      ),
    );
    await renderWithSidecars(<CampaignListPage />);
    await userEvent.click(
      await screen.findByRole('tab', { name: 'Templates' }),
    );
    expect(await screen.findByText('Tuesday fluent-bit')).toBeInTheDocument();
  });
});
