import type { CampaignSpecInput } from '@internal/plugin-sidecars-common';
import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { http, HttpResponse } from 'msw';
import {
  SIDECARS_URL,
  apiError,
  backend,
  setUpFakeBackend,
} from '../../__testUtils__/backend';
import { campaignSpec, fleet, plan } from '../../__testUtils__/fixtures';
import { renderWithSidecars } from '../../__testUtils__/renderWithSidecars';
import { CampaignFormDialog } from './CampaignFormDialog';

setUpFakeBackend();

const QUERY = 'sum(sidecar_container_ready{namespace="payments"})';

function renderForm() {
  backend.use(
    http.get(`${SIDECARS_URL}/inventory/fleet`, () =>
      HttpResponse.json(fleet()),
    ),
  );
  return renderWithSidecars(
    <CampaignFormDialog
      open
      title="Start a fleet campaign"
      prefill={{ container: 'istio-proxy', namespaces: 'payments' }}
      onCancel={() => {}}
      onCreated={() => {}}
    />,
  );
}

async function addGate() {
  await userEvent.click(
    screen.getByRole('button', { name: 'Add metric gate' }),
  );
  const gate = screen.getByRole('group', { name: 'Metric gate 1' });
  await userEvent.type(
    within(gate).getByLabelText('Prometheus query'),
    QUERY.replace(/[{[]/g, '$&$&'),
  );
  return gate;
}

describe('the campaign form’s health gates', () => {
  it('sends a metric gate in the Argo Rollouts model and the plan preview says when it is checked', async () => {
    let planned: CampaignSpecInput | undefined;
    const gated = campaignSpec();
    gated.analysis = {
      metrics: [
        {
          name: 'success-rate',
          query: QUERY,
          interval: '30s',
          count: 3,
          successCondition: 'result[0] >= 0.95',
          failureLimit: 0,
          inconclusiveLimit: 0,
        },
      ],
    };
    backend.use(
      http.post(`${SIDECARS_URL}/campaigns/plan`, async ({ request }) => {
        planned = ((await request.json()) as { spec: CampaignSpecInput }).spec;
        return HttpResponse.json(plan([2, 2], { spec: gated }));
      }),
    );
    await renderForm();
    await screen.findByDisplayValue('docker.io/istio/proxyv2:1.24.2');
    await addGate();
    await userEvent.click(screen.getByRole('button', { name: 'Preview plan' }));

    expect(
      await screen.findByText(
        /Metric gates after each batch, during its bake: success-rate: 3 × every 30s, passes when result\[0\] >= 0\.95\. A failed analysis counts against the failure budget; an inconclusive one pauses the campaign\./,
      ),
    ).toBeInTheDocument();
    expect(planned?.analysis).toEqual({
      metrics: [
        {
          name: 'success-rate',
          query: QUERY,
          interval: '30s',
          count: 3,
          successCondition: 'result[0] >= 0.95',
          failureLimit: 0,
          inconclusiveLimit: 0,
        },
      ],
    });
  });

  it('shows the API’s message on the condition it names', async () => {
    backend.use(
      http.post(`${SIDECARS_URL}/campaigns/plan`, () =>
        apiError(400, 'The campaign spec is invalid', [
          {
            field: 'analysis.metrics.0.successCondition',
            message:
              'successCondition: the condition is not a valid expression',
          },
        ]),
      ),
    );
    await renderForm();
    const gate = await addGate();
    await userEvent.click(screen.getByRole('button', { name: 'Preview plan' }));
    await screen.findByRole('alert');
    expect(
      within(gate).getByLabelText('Success condition'),
    ).toHaveAccessibleDescription(
      'successCondition: the condition is not a valid expression',
    );
  });

  it('sends no analysis once the last gate is removed', async () => {
    let planned: CampaignSpecInput | undefined;
    backend.use(
      http.post(`${SIDECARS_URL}/campaigns/plan`, async ({ request }) => {
        planned = ((await request.json()) as { spec: CampaignSpecInput }).spec;
        return HttpResponse.json(plan([2]));
      }),
    );
    await renderForm();
    await addGate();
    await userEvent.click(
      screen.getByRole('button', { name: 'Remove metric gate 1' }),
    );
    await userEvent.click(screen.getByRole('button', { name: 'Preview plan' }));
    await screen.findByRole('list', { name: 'Planned batches' });
    expect(planned).toBeDefined();
    expect(planned?.analysis).toBeUndefined();
  });
});
