import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import type { V1Container, V1Deployment } from '@kubernetes/client-node';
import {
  CAMPAIGN_LABELS,
  parseCampaignSpec,
  type CampaignSpecInput,
} from '@internal/plugin-sidecars-common';
import {
  awaitReadyPods,
  createTestNamespace,
  isPodReady,
  testCluster,
} from '../support/cluster';
import { awaitPhase, suiteHarness } from '../support/campaigns';
import { createRollingDeployment } from '../support/deployments';
import { localPlanner } from '../support/plan-preview';
import {
  APP_IMAGE,
  injectedFleet,
  watchUnavailability,
} from '../support/fleet';

// Mode to-native: a Deployment's legacy fluent-bit (a regular container whose postStart hook holds
// the app back) becomes a native sidecar through the Deployment's own rollout, within the pod budget,
// and a rollback gives the Deployment back the exact template it had.

const cluster = testCluster();
const FLUENT_BIT = 'cr.fluentbit.io/fluent/fluent-bit:3.1.9';
const REPLICAS = 3;

const legacyFluentBit: V1Container = {
  name: 'fluent-bit',
  image: FLUENT_BIT,
  ports: [{ name: 'metrics', containerPort: 2020 }],
  readinessProbe: { httpGet: { path: '/api/v1/health', port: 2020 } },
  resources: {
    requests: { cpu: '50m', memory: '64Mi' },
    limits: { memory: '128Mi' },
  },
  env: [{ name: 'FLUENT_BIT_OUTPUT', value: 'stdout' }],
  volumeMounts: [{ name: 'app-logs', mountPath: '/var/log/app' }],
  securityContext: { runAsNonRoot: true, readOnlyRootFilesystem: true },
  lifecycle: {
    postStart: {
      exec: {
        command: ['sh', '-c', 'until wget -q localhost:2020; do sleep 1; done'],
      },
    },
    preStop: { exec: { command: ['sleep', '5'] } },
  },
};

async function deployment(
  namespace: string,
  name: string,
  containers: V1Container[],
  initContainers?: V1Container[],
): Promise<V1Deployment> {
  const created = await createRollingDeployment(cluster, namespace, name, {
    replicas: REPLICAS,
    maxUnavailable: 1,
    labels: { logs: 'fluent-bit' },
    spec: {
      containers,
      ...(initContainers ? { initContainers } : {}),
      volumes: [{ name: 'app-logs', emptyDir: {} }],
    },
  });
  await awaitReadyPods(cluster, namespace, `app=${name}`, REPLICAS);
  return created;
}

/** The object as JSON has it, without the client's model classes. */
const plain = (value: unknown): unknown => JSON.parse(JSON.stringify(value));

const read = (namespace: string, name: string) =>
  cluster.apps.readNamespacedDeployment({ namespace, name });

/** The Deployment's pods once its rollout settled: none terminating, all Ready. */
const settledPods = (namespace: string, name: string) =>
  awaitReadyPods(cluster, namespace, `app=${name}`, REPLICAS);

describe('a campaign in mode to-native', () => {
  const harness = suiteHarness('to-native');
  let namespace: string;
  let original: V1Deployment;
  const spec = (): CampaignSpecInput => ({
    container: 'fluent-bit',
    targetImage: FLUENT_BIT,
    mode: 'to-native',
    selector: { namespaces: [namespace], labelSelector: 'logs=fluent-bit' },
    strategy: { maxUnavailable: 1, rollbackWindowSeconds: 600 },
  });

  before(async () => {
    namespace = await createTestNamespace(cluster, 'to-native');
    original = await deployment(namespace, 'orders', [
      legacyFluentBit,
      { name: 'app', image: APP_IMAGE },
    ]);
    await deployment(
      namespace,
      'ledger',
      [{ name: 'app', image: APP_IMAGE }],
      [{ ...legacyFluentBit, lifecycle: undefined, restartPolicy: 'Always' }],
    );
  });

  it('moves the legacy fluent-bit to a native sidecar whose pods end Ready, and rolls back to the exact previous template', async () => {
    const handle = await harness().start(spec());
    const forward = await watchUnavailability(
      cluster,
      namespace,
      handle.workflowId,
      () => true,
    );
    try {
      const status = await awaitPhase(handle, 'Completed');
      assert.equal(status.counts.upgraded, 1, 'orders moved');
      assert.equal(status.counts.skipped, 1, 'ledger left alone');
      assert.match(
        status.events.find(e => e.type === 'claimed')?.message ?? '',
        /fluent-bit is already a native sidecar/,
      );
      assert.ok(
        forward.max <= 1,
        `never more than maxUnavailable (1) pods down, saw ${forward.max}`,
      );
    } finally {
      forward.stop();
    }

    const moved = await read(namespace, 'orders');
    assert.equal(moved.metadata?.labels?.[CAMPAIGN_LABELS.state], 'upgraded');
    const template = moved.spec!.template.spec!;
    assert.deepEqual(
      template.containers.map(c => c.name),
      ['app'],
    );
    const { lifecycle, ...kept } = original.spec!.template.spec!.containers[0]!;
    assert.deepEqual(
      plain(template.initContainers),
      [
        {
          ...(plain(kept) as object),
          lifecycle: plain({ preStop: lifecycle!.preStop }),
          restartPolicy: 'Always',
        },
      ],
      'the same container, native, without the postStart hook it no longer needs',
    );
    for (const pod of await settledPods(namespace, 'orders')) {
      const name = pod.metadata?.name;
      const sidecar = pod.spec?.initContainers?.find(
        c => c.name === 'fluent-bit',
      );
      assert.equal(sidecar?.restartPolicy, 'Always', `${name}: native`);
      assert.equal(sidecar?.image, FLUENT_BIT);
      assert.equal(sidecar?.lifecycle?.postStart, undefined);
      assert.ok(
        !pod.spec?.containers.some(c => c.name === 'fluent-bit'),
        `${name}: no regular fluent-bit container left`,
      );
      assert.ok(isPodReady(pod), `${name} is Ready`);
    }

    await handle.signal('rollback', {
      reason: 'log loss after the move',
      by: 'user:default/pat',
    });
    const rolledBack = await awaitPhase(handle, 'RolledBack');
    assert.equal(rolledBack.counts.rolledBack, 1);
    const restored = await read(namespace, 'orders');
    assert.deepEqual(
      restored.spec?.template.spec?.containers,
      original.spec?.template.spec?.containers,
      'the container list is exactly the one before the campaign',
    );
    assert.deepEqual(
      restored.spec?.template,
      original.spec?.template,
      'and so is the whole pod template',
    );
    for (const pod of await settledPods(namespace, 'orders'))
      assert.deepEqual(
        pod.spec?.containers.map(c => c.name),
        ['fluent-bit', 'app'],
        `${pod.metadata?.name} runs fluent-bit as a regular container again`,
      );
  });

  it('previews an injected fluent-bit as skipped, naming the policy that injects it and the fix', async () => {
    const fleet = await injectedFleet(cluster, 'to-native-injected', 2, {
      name: 'fluent-bit',
      image: FLUENT_BIT,
    });
    const planner = localPlanner(async () => false);
    const parsed = parseCampaignSpec({
      ...spec(),
      selector: { namespaces: [fleet.namespace] },
    });
    assert.ok(parsed.ok);
    const { plan } = await planner.plan(parsed.spec);
    assert.deepEqual(plan.batches, []);
    assert.deepEqual(
      plan.skipped.map(s => s.target),
      [`local/${fleet.namespace}/fleet`],
    );
    assert.match(
      plan.skipped[0]!.reason,
      new RegExp(
        `MutatingAdmissionPolicy "inject-${fleet.namespace}" adds it to the pods, so the campaign cannot move it; change that injector's configuration to inject fluent-bit as a native sidecar`,
      ),
    );
    assert.ok(
      plan.warnings.some(w =>
        w.includes(
          `1 Deployment(s) get fluent-bit from MutatingAdmissionPolicy "inject-${fleet.namespace}" at admission`,
        ),
      ),
      plan.warnings.join('\n'),
    );
  });
});
