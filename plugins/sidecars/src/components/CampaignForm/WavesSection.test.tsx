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
import { CHECKOUT_REF, fleet } from '../../__testUtils__/fixtures';
import { renderWithSidecars } from '../../__testUtils__/renderWithSidecars';
import { wavedPlan } from '../../__testUtils__/waveFixtures';
import { CampaignFormDialog } from './CampaignFormDialog';
import type { CampaignFormValues } from './formModel';

setUpFakeBackend();

function renderForm(prefill: Partial<CampaignFormValues> = {}) {
  backend.use(
    http.get(`${SIDECARS_URL}/inventory/fleet`, () =>
      HttpResponse.json(
        fleet({
          clusters: [
            { name: 'prod-eu-1', ok: true },
            { name: 'prod-us-1', ok: true },
            { name: 'prod-us-2', ok: false, error: 'timed out' },
          ],
        }),
      ),
    ),
  );
  return renderWithSidecars(
    <CampaignFormDialog
      open
      title="Start a fleet campaign"
      prefill={{ container: 'istio-proxy', namespaces: 'payments', ...prefill }}
      onCancel={() => {}}
      onCreated={() => {}}
    />,
  );
}

const wave = (n: number) => screen.getByRole('group', { name: `Wave ${n}` });

async function pickCluster(group: HTMLElement, cluster: string) {
  await userEvent.click(within(group).getByLabelText(/Clusters/));
  // A cluster that did not answer is offered with a note after its name.
  await userEvent.click(
    await screen.findByRole('option', { name: new RegExp(`^${cluster}`) }),
  );
}

/** Turns waves on (wave 1 takes the selector's clusters) and adds wave 2 named "prod". */
async function twoWaves() {
  await userEvent.click(screen.getByLabelText(/Upgrade in waves/));
  await userEvent.click(screen.getByRole('button', { name: 'Add wave' }));
  const second = wave(2);
  await userEvent.clear(within(second).getByLabelText(/Wave name/));
  await userEvent.type(within(second).getByLabelText(/Wave name/), 'prod');
  return second;
}

/** Answers plan previews with two waves and keeps the last spec sent. */
function planRequests(): { spec?: CampaignSpecInput } {
  const sent: { spec?: CampaignSpecInput } = {};
  backend.use(
    http.post(`${SIDECARS_URL}/campaigns/plan`, async ({ request }) => {
      sent.spec = ((await request.json()) as { spec: CampaignSpecInput }).spec;
      return HttpResponse.json(wavedPlan());
    }),
  );
  return sent;
}

describe('the campaign form’s waves', () => {
  it('sends ordered waves with their clusters, override and gate, and the preview shows each wave by cluster', async () => {
    const sent = planRequests();
    await renderForm();
    await screen.findByDisplayValue('docker.io/istio/proxyv2:1.24.2');
    expect(screen.getByLabelText(/Upgrade in waves/)).not.toBeChecked();
    await userEvent.type(screen.getByLabelText(/Clusters/), 'prod-eu-1');

    const second = await twoWaves();
    expect(
      screen.queryByRole('textbox', { name: /Clusters \(optional\)/ }),
    ).not.toBeInTheDocument();
    expect(
      within(wave(1)).getByRole('button', { name: 'prod-eu-1' }),
    ).toBeInTheDocument();
    expect(
      within(wave(1)).queryByLabelText(/Wait for approval/),
    ).not.toBeInTheDocument();
    await pickCluster(second, 'prod-us-1');
    await pickCluster(second, 'prod-us-2');
    expect(
      within(second).getByRole('button', { name: 'prod-us-2' }),
    ).toBeInTheDocument();
    expect(within(second).getByLabelText(/Wait for approval/)).toBeChecked();
    await userEvent.type(
      within(second).getByLabelText(/Bake before this wave/),
      '10',
    );
    await userEvent.type(
      within(second).getByLabelText(/Max unavailable in this wave/),
      '25%',
    );
    await userEvent.click(screen.getByRole('button', { name: 'Preview plan' }));

    const waves = await screen.findByRole('list', { name: 'Planned waves' });
    expect(sent.spec?.selector?.clusters).toBeUndefined();
    expect(sent.spec?.waves).toEqual([
      { name: 'wave-1', clusters: ['prod-eu-1'] },
      {
        name: 'prod',
        clusters: ['prod-us-1', 'prod-us-2'],
        strategy: { maxUnavailable: '25%' },
        gate: { approval: true, bakeSeconds: 600 },
      },
    ]);
    expect(
      screen.getByText(
        /11 pods in 2 waves: the clusters of a wave are upgraded in parallel/,
      ),
    ).toBeInTheDocument();
    expect(
      within(waves).getByText(
        "Gate before wave prod: bakes 10 min after the wave before completes, then waits for approval by the campaign's owners or the platform team.",
      ),
    ).toBeInTheDocument();
    const rows = (name: string) =>
      within(screen.getByRole('table', { name }))
        .getAllByRole('row')
        .map(row =>
          ['columnheader', 'rowheader', 'cell'].flatMap(role =>
            within(row)
              .queryAllByRole(role)
              .map(cell => cell.textContent),
          ),
        );
    expect(rows('Wave staging by cluster')).toEqual([
      ['Cluster', 'Pods to upgrade', 'Batches', 'Max unavailable', 'Skipped'],
      ['prod-eu-1', '3', '2', '2', '0'],
    ]);
    expect(rows('Wave prod by cluster').slice(1)).toEqual([
      ['prod-us-1', '2', '1', '3', '1'],
      ['prod-us-2', '6', '2', '3', '0'],
    ]);
    expect(
      screen.getByRole('button', { name: 'Start campaign' }),
    ).toBeEnabled();
  });

  it('sends a bake in seconds and no gate when neither approval nor bake is asked', async () => {
    const sent = planRequests();
    await renderForm();
    const second = await twoWaves();
    await userEvent.click(within(second).getByLabelText(/Wait for approval/));
    await userEvent.click(screen.getByRole('button', { name: 'Add wave' }));
    const third = wave(3);
    await userEvent.type(
      within(third).getByLabelText(/Bake before this wave/),
      '90',
    );
    await userEvent.click(within(third).getByLabelText('Unit'));
    await userEvent.click(screen.getByRole('option', { name: 'seconds' }));
    await userEvent.click(screen.getByRole('button', { name: 'Preview plan' }));

    await screen.findByRole('list', { name: 'Planned waves' });
    expect(sent.spec?.waves?.map(w => w.gate)).toEqual([
      undefined,
      undefined,
      { approval: true, bakeSeconds: 90 },
    ]);
  });

  it('shows the API’s messages on the wave inputs they name', async () => {
    backend.use(
      http.post(`${SIDECARS_URL}/campaigns/plan`, () =>
        apiError(400, 'The campaign spec is invalid', [
          {
            field: 'waves.1.gate.bakeSeconds',
            message: "a wave's gate.bakeSeconds must be a whole number",
          },
          {
            field: 'waves.1.clusters.0',
            message: 'a cluster name is empty',
          },
          {
            field: 'waves.1.name',
            message: 'two waves are named "wave-1"',
          },
          {
            field: 'waves.0.strategy.maxUnavailable',
            message: "a wave's strategy.maxUnavailable must be a count",
          },
        ]),
      ),
    );
    await renderForm();
    await userEvent.click(screen.getByLabelText(/Upgrade in waves/));
    await userEvent.click(screen.getByRole('button', { name: 'Add wave' }));
    await userEvent.click(screen.getByRole('button', { name: 'Preview plan' }));

    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent('Fix the highlighted fields below');
    expect(alert).not.toHaveTextContent('waves.');
    expect(
      within(wave(2)).getByLabelText(/Bake before this wave/),
    ).toHaveAccessibleDescription(
      "a wave's gate.bakeSeconds must be a whole number",
    );
    expect(
      within(wave(2)).getByLabelText(/Clusters/),
    ).toHaveAccessibleDescription('a cluster name is empty');
    expect(
      within(wave(2)).getByLabelText(/Wave name/),
    ).toHaveAccessibleDescription('two waves are named "wave-1"');
    expect(
      within(wave(1)).getByLabelText(/Max unavailable in this wave/),
    ).toHaveAccessibleDescription(
      "a wave's strategy.maxUnavailable must be a count",
    );
  });

  it('offers no waves for a campaign of one catalog entity', async () => {
    await renderForm({ entityRef: CHECKOUT_REF });
    await screen.findByDisplayValue('docker.io/istio/proxyv2:1.24.2');
    expect(screen.queryByLabelText(/Upgrade in waves/)).not.toBeInTheDocument();
    expect(screen.getByLabelText(/Clusters/)).toBeInTheDocument();
  });
});
