import type {
  CampaignSpecInput,
  CampaignSummary,
} from '@internal/plugin-sidecars-common';
import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { http, HttpResponse } from 'msw';
import {
  SIDECARS_URL,
  apiError,
  backend,
  setUpFakeBackend,
} from '../../__testUtils__/backend';
import {
  campaignSpec,
  campaignSummary,
  fleet,
  plan,
} from '../../__testUtils__/fixtures';
import { renderWithSidecars } from '../../__testUtils__/renderWithSidecars';
import { CampaignFormDialog } from './CampaignFormDialog';

setUpFakeBackend();

function renderForm(created: CampaignSummary[] = []) {
  return renderWithSidecars(
    <CampaignFormDialog
      open
      title="Start a fleet campaign"
      prefill={{ container: 'istio-proxy' }}
      onCancel={() => {}}
      onCreated={campaign => created.push(campaign)}
    />,
  );
}

function fleetHandler() {
  return http.get(`${SIDECARS_URL}/inventory/fleet`, () =>
    HttpResponse.json(fleet()),
  );
}

describe('CampaignFormDialog', () => {
  it('offers the versions seen in the fleet as target images', async () => {
    backend.use(fleetHandler());
    await renderForm();

    const targetImage = screen.getByLabelText(/Target image/);
    await screen.findByDisplayValue('docker.io/istio/proxyv2:1.24.2');
    await userEvent.clear(targetImage);
    await userEvent.click(targetImage);
    const options = await screen.findAllByRole('option');
    expect(options.map(option => option.textContent)).toEqual([
      'docker.io/istio/proxyv2:1.24.2(40 pods in the fleet, newest)',
      'docker.io/istio/proxyv2:1.22.1(60 pods in the fleet)',
    ]);
  });

  it('draws the planned batches and enables Start only after a preview', async () => {
    let planned: CampaignSpecInput | undefined;
    backend.use(
      fleetHandler(),
      http.post(`${SIDECARS_URL}/campaigns/plan`, async ({ request }) => {
        planned = ((await request.json()) as { spec: CampaignSpecInput }).spec;
        return HttpResponse.json(plan([1, 4, 4]));
      }),
    );
    await renderForm();
    await screen.findByDisplayValue('docker.io/istio/proxyv2:1.24.2');
    const start = screen.getByRole('button', { name: 'Start campaign' });
    expect(start).toBeDisabled();

    await userEvent.type(
      screen.getByLabelText(/Namespaces/),
      'payments, checkout',
    );
    await userEvent.clear(screen.getByLabelText(/Max unavailable/));
    await userEvent.type(screen.getByLabelText(/Max unavailable/), '4');
    await userEvent.click(screen.getByLabelText('Start with a canary batch'));
    await userEvent.click(screen.getByRole('button', { name: 'Preview plan' }));

    const batches = within(
      await screen.findByRole('list', { name: 'Planned batches' }),
    ).getAllByRole('listitem');
    expect(batches.map(batch => batch.getAttribute('aria-label'))).toEqual([
      'Batch 1: 1 pod',
      'Batch 2: 4 pods',
      'Batch 3: 4 pods',
    ]);
    expect(
      screen.getByText(
        /9 pods in 3 batches, at most 4 pods unavailable at a time/,
      ),
    ).toBeInTheDocument();
    expect(start).toBeEnabled();
    expect(planned).toMatchObject({
      container: 'istio-proxy',
      targetImage: 'docker.io/istio/proxyv2:1.24.2',
      selector: { namespaces: ['payments', 'checkout'] },
      mode: 'in-place',
      strategy: {
        maxUnavailable: 4,
        canary: { size: 1, then: 'pause' },
        bakeSeconds: 60,
        failureBudget: 0,
        onFailure: 'rollback',
      },
    });
  });

  it('offers rolling pacing, preselected in place when no bake is set, and shows it in the plan preview', async () => {
    let planned: CampaignSpecInput | undefined;
    const rollingSpec = campaignSpec();
    rollingSpec.strategy = {
      ...rollingSpec.strategy,
      bakeSeconds: 0,
      pacing: 'rolling',
    };
    backend.use(
      fleetHandler(),
      http.post(`${SIDECARS_URL}/campaigns/plan`, async ({ request }) => {
        planned = ((await request.json()) as { spec: CampaignSpecInput }).spec;
        return HttpResponse.json(plan([2, 2], { spec: rollingSpec }));
      }),
    );
    await renderForm();
    const rolling = screen.getByLabelText(
      /Rolling \(fastest: a new pod starts as soon as one finishes\)/,
    );
    const batches = screen.getByLabelText(
      /Batches \(each batch waits for its slowest pod; needed for bake between batches\)/,
    );
    expect(batches).toBeChecked();

    await userEvent.clear(screen.getByLabelText(/Bake time between batches/));
    await userEvent.type(
      screen.getByLabelText(/Bake time between batches/),
      '0',
    );
    expect(rolling).toBeChecked();
    await userEvent.click(screen.getByRole('button', { name: 'Preview plan' }));
    expect(
      await screen.findByText(
        'Rolling pacing: a new pod starts as soon as one finishes.',
      ),
    ).toBeInTheDocument();
    expect(planned?.strategy).toMatchObject({
      pacing: 'rolling',
      bakeSeconds: 0,
    });

    await userEvent.click(batches);
    expect(batches).toBeChecked();
    expect(screen.getByLabelText(/Bake time between batches/)).toBeEnabled();
    await userEvent.type(
      screen.getByLabelText(/Bake time between batches/),
      '5',
    );
    await userEvent.click(rolling);
    expect(rolling).toBeChecked();
    expect(screen.getByLabelText(/Bake time between batches/)).toBeDisabled();
    expect(screen.getByLabelText(/Bake time between batches/)).toHaveValue(0);

    await userEvent.click(screen.getByLabelText(/Workload restart/));
    expect(rolling).toBeDisabled();
    expect(batches).toBeChecked();
  });

  it('offers mode to-native with what it does, and shows why the plan skips a Deployment', async () => {
    let planned: CampaignSpecInput | undefined;
    const skipped =
      'in Deployment local/logs/ledger: istio-proxy is already a native sidecar (an init container with restartPolicy: Always): nothing to move; to change its image use mode "workload"';
    backend.use(
      fleetHandler(),
      http.post(`${SIDECARS_URL}/campaigns/plan`, async ({ request }) => {
        planned = ((await request.json()) as { spec: CampaignSpecInput }).spec;
        const preview = plan([2]);
        return HttpResponse.json({
          ...preview,
          spec: { ...preview.spec, mode: 'to-native' },
          skipped: [{ target: 'local/logs/ledger', reason: skipped }],
        });
      }),
    );
    await renderForm();
    await screen.findByDisplayValue('docker.io/istio/proxyv2:1.24.2');
    await userEvent.type(screen.getByLabelText(/Namespaces/), 'logs');

    await userEvent.click(screen.getByLabelText(/Move to a native sidecar/));
    expect(
      screen.getByText(
        /Moves a sidecar the Deployment declares as a regular container into initContainers with restartPolicy: Always/,
      ),
    ).toBeInTheDocument();
    expect(screen.getByLabelText(/Rolling \(fastest/)).toBeDisabled();
    await userEvent.click(screen.getByRole('button', { name: 'Preview plan' }));

    expect(
      await screen.findByText(
        /moves into its initContainers with restartPolicy: Always/,
      ),
    ).toBeInTheDocument();
    expect(screen.getByText(`1 pod skipped: ${skipped}`)).toBeInTheDocument();
    expect(planned).toMatchObject({ mode: 'to-native' });
    expect(planned?.strategy?.pacing).not.toBe('rolling');
  });

  it('shows the API’s validation messages on the inputs they name', async () => {
    backend.use(
      fleetHandler(),
      http.post(`${SIDECARS_URL}/campaigns/plan`, () =>
        apiError(400, 'The campaign spec is invalid', [
          {
            field: 'strategy.maxUnavailable',
            message:
              'strategy.maxUnavailable must be a whole number of pods or a percent',
          },
          {
            field: 'selector.labelSelector',
            message: 'invalid label selector: unexpected "="',
          },
          { field: 'selector.clusters.1', message: 'a cluster name is empty' },
          {
            field: 'strategy.order.by',
            message:
              'strategy.order.by must be "name", "priority" or "scatter"',
          },
        ]),
      ),
    );
    await renderForm();
    await userEvent.click(screen.getByRole('button', { name: 'Preview plan' }));

    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent('The campaign spec is invalid');
    expect(alert).toHaveTextContent('Fix the highlighted fields below');
    expect(alert).toHaveTextContent(
      'strategy.order.by: strategy.order.by must be "name", "priority" or "scatter"',
    );
    expect(
      screen.getByLabelText(/Max unavailable/),
    ).toHaveAccessibleDescription(
      'strategy.maxUnavailable must be a whole number of pods or a percent',
    );
    expect(
      screen.getByLabelText(/Pod label selector/),
    ).toHaveAccessibleDescription('invalid label selector: unexpected "="');
    expect(screen.getByLabelText(/Clusters/)).toHaveAccessibleDescription(
      'a cluster name is empty',
    );
    expect(screen.getByLabelText(/Max unavailable/)).toHaveAttribute(
      'aria-invalid',
      'true',
    );
    expect(screen.getByLabelText(/Failure budget/)).toHaveAttribute(
      'aria-invalid',
      'false',
    );
    expect(
      screen.getByRole('button', { name: 'Start campaign' }),
    ).toBeDisabled();
  });

  it('starts the campaign with the previewed spec and hands it over', async () => {
    const created: CampaignSummary[] = [];
    let started: CampaignSpecInput | undefined;
    backend.use(
      fleetHandler(),
      http.post(`${SIDECARS_URL}/campaigns/plan`, () =>
        HttpResponse.json(plan([2, 2])),
      ),
      http.post(`${SIDECARS_URL}/campaigns`, async ({ request }) => {
        started = ((await request.json()) as { spec: CampaignSpecInput }).spec;
        return HttpResponse.json(campaignSummary({ id: 'campaign-42' }), {
          status: 201,
        });
      }),
    );
    await renderForm(created);
    await screen.findByDisplayValue('docker.io/istio/proxyv2:1.24.2');
    await userEvent.click(screen.getByLabelText(/Fleet-wide/));
    await userEvent.click(screen.getByRole('button', { name: 'Add window' }));
    await userEvent.click(screen.getByRole('button', { name: 'Preview plan' }));
    await screen.findByRole('list', { name: 'Planned batches' });
    await userEvent.click(
      screen.getByRole('button', { name: 'Start campaign' }),
    );

    await screen.findByRole('button', { name: 'Start campaign' });
    expect(created.map(campaign => campaign.id)).toEqual(['campaign-42']);
    expect(started).toMatchObject({
      selector: { fleetWide: true },
      schedule: { windows: [{ cron: '0 22 * * 1-5', durationMinutes: 240 }] },
    });
  });

  it('asks for a new preview after a change', async () => {
    backend.use(
      fleetHandler(),
      http.post(`${SIDECARS_URL}/campaigns/plan`, () =>
        HttpResponse.json(plan([3])),
      ),
    );
    await renderForm();
    await userEvent.click(screen.getByRole('button', { name: 'Preview plan' }));
    await screen.findByRole('list', { name: 'Planned batches' });

    await userEvent.type(
      screen.getByLabelText(/Pod label selector/),
      'app=web',
    );

    expect(
      screen.queryByRole('list', { name: 'Planned batches' }),
    ).not.toBeInTheDocument();
    expect(
      screen.getByRole('button', { name: 'Start campaign' }),
    ).toBeDisabled();
  });
});
