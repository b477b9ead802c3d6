import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MockActivityEnvironment } from '@temporalio/testing';
import type { V1Container, V1Deployment, V1Pod } from '@kubernetes/client-node';
import {
  CAMPAIGN_LABELS,
  parseCampaignSpec,
  type CampaignSpec,
} from '@internal/plugin-sidecars-common';
import { entitySelection } from '@internal/plugin-sidecars-node';
import type { CampaignRef, ClaimResult } from '@internal/sidecar-workflows';
import { createActivities } from '@internal/sidecar-workers';
import type { PlanOutcome } from '@internal/plugin-sidecars-backend/testUtils';
import { waitFor } from '@internal/dev-stack/stack/wait';
import { createTestNamespace, listPods, testCluster } from '../support/cluster';
import { createRollingDeployment } from '../support/deployments';
import { localPlanner } from '../support/plan-preview';

// The plan a user approves is the plan that runs: the backend's preview and the worker's claim,
// on the same cluster state, must pick the same targets, batches, canary and skips.

const cluster = testCluster();
const OLD = 'registry.example.com/proxy:1.0.0';
const NEW = 'registry.example.com/proxy:1.1.0';
const RUNNING_CAMPAIGN = 'agreement-running';
const isCampaignActive = async (id: string) => id === RUNNING_CAMPAIGN;
const planner = localPlanner(isCampaignActive);
const activities = createActivities({
  clusters: new Map([['local', cluster.kc]]),
  isCampaignActive,
});

const proxy = (image = OLD): V1Container => ({ name: 'proxy', image });
const app: V1Container = {
  name: 'app',
  image: 'registry.example.com/app:1.0.0',
};

async function barePod(
  namespace: string,
  name: string,
  labels: Record<string, string>,
  containers: V1Container[] = [app, proxy()],
): Promise<void> {
  await cluster.core.createNamespacedPod({
    namespace,
    body: { metadata: { name, namespace, labels }, spec: { containers } },
  });
}

async function deployment(
  namespace: string,
  name: string,
  options: {
    replicas: number;
    rolloutMaxUnavailable: number;
    labels: Record<string, string>;
    containers?: V1Container[];
    initContainers?: V1Container[];
  },
): Promise<void> {
  await createRollingDeployment(cluster, namespace, name, {
    replicas: options.replicas,
    maxUnavailable: options.rolloutMaxUnavailable,
    labels: options.labels,
    spec: {
      containers: options.containers ?? [app, proxy()],
      ...(options.initContainers
        ? { initContainers: options.initContainers }
        : {}),
    },
  });
}

const awaitPods = (namespace: string, count: number) =>
  waitFor(async () => (await listPods(cluster, namespace)).length === count, {
    what: `${count} pods in ${namespace}`,
    timeoutMs: 60_000,
  });

interface Case {
  name: string;
  /** Creates the cluster state in `namespace` and returns the spec's other fields. */
  build(namespace: string): Promise<Record<string, unknown>>;
}

const CASES: Case[] = [
  {
    name: 'in place: plain batches',
    async build(ns) {
      for (let i = 0; i < 7; i++)
        await barePod(ns, `web-${i}`, { tier: 'web' });
      return {
        selector: { namespaces: [ns], labelSelector: 'tier=web' },
        strategy: { maxUnavailable: 3 },
      };
    },
  },
  {
    name: 'in place: canary and partition',
    async build(ns) {
      for (let i = 0; i < 10; i++)
        await barePod(ns, `web-${i}`, { tier: 'web', priority: String(i % 4) });
      return {
        selector: { namespaces: [ns], labelSelector: 'tier=web' },
        strategy: {
          maxUnavailable: '30%',
          canary: { size: 1, then: 'pause' },
          partition: 2,
          order: { by: 'priority', label: 'priority' },
        },
      };
    },
  },
  {
    name: 'in place: scatter across zones',
    async build(ns) {
      for (let i = 0; i < 9; i++)
        await barePod(ns, `web-${i}`, { tier: 'web', zone: `zone-${i % 3}` });
      return {
        selector: { namespaces: [ns], labelSelector: 'tier=web' },
        strategy: {
          maxUnavailable: 2,
          order: { by: 'scatter', topologyKey: 'zone' },
        },
      };
    },
  },
  {
    name: 'in place: held, on target, no container, declared in a template',
    async build(ns) {
      for (let i = 0; i < 3; i++)
        await barePod(ns, `web-${i}`, { tier: 'web' });
      await barePod(ns, 'on-target', { tier: 'web' }, [app, proxy(NEW)]);
      await barePod(ns, 'held-running', {
        tier: 'web',
        [CAMPAIGN_LABELS.hold]: RUNNING_CAMPAIGN,
      });
      await barePod(ns, 'held-stale', {
        tier: 'web',
        [CAMPAIGN_LABELS.hold]: 'agreement-finished',
      });
      await barePod(ns, 'no-proxy', { tier: 'web' }, [app]);
      await deployment(ns, 'declared', {
        replicas: 2,
        rolloutMaxUnavailable: 1,
        labels: { tier: 'web' },
      });
      await awaitPods(ns, 9);
      return {
        selector: { namespaces: [ns], labelSelector: 'tier=web' },
        strategy: { maxUnavailable: 2 },
      };
    },
  },
  {
    name: "in place: one entity, mapped as Backstage's Kubernetes plugin maps it",
    async build(ns) {
      const id = `shop-${ns}`;
      for (let i = 0; i < 4; i++)
        await barePod(ns, `shop-${i}`, { 'backstage.io/kubernetes-id': id });
      await barePod(ns, 'someone-else', {
        'backstage.io/kubernetes-id': 'other',
      });
      const selection = entitySelection({
        metadata: {
          annotations: {
            'backstage.io/kubernetes-id': id,
            'backstage.io/kubernetes-namespace': ns,
          },
        },
      });
      assert.ok(selection.ok);
      return {
        selector: {
          entityRef: 'component:default/shop',
          ...selection.selection,
        },
        strategy: { maxUnavailable: 3 },
      };
    },
  },
  {
    name: 'workload: rollouts packed by weight, canary, unmanaged pod and injected sidecar skipped',
    async build(ns) {
      await deployment(ns, 'a', {
        replicas: 4,
        rolloutMaxUnavailable: 2,
        labels: { tier: 'db' },
      });
      await deployment(ns, 'b', {
        replicas: 2,
        rolloutMaxUnavailable: 1,
        labels: { tier: 'db' },
      });
      await deployment(ns, 'c', {
        replicas: 3,
        rolloutMaxUnavailable: 1,
        labels: { tier: 'db' },
      });
      await deployment(ns, 'heavy', {
        replicas: 4,
        rolloutMaxUnavailable: 4,
        labels: { tier: 'db' },
      });
      await deployment(ns, 'injected', {
        replicas: 1,
        rolloutMaxUnavailable: 1,
        labels: { tier: 'db' },
        containers: [app],
      });
      await barePod(ns, 'bare', { tier: 'db' });
      await awaitPods(ns, 15);
      return {
        mode: 'workload',
        selector: { namespaces: [ns], labelSelector: 'tier=db' },
        strategy: {
          maxUnavailable: 3,
          canary: { size: 1, then: 'bake', bakeSeconds: 60 },
        },
      };
    },
  },
  {
    name: 'workload: scatter and partition',
    async build(ns) {
      for (let i = 0; i < 5; i++)
        await deployment(ns, `svc-${i}`, {
          replicas: 2,
          rolloutMaxUnavailable: 1,
          labels: { tier: 'db', zone: `zone-${i % 2}` },
        });
      await awaitPods(ns, 10);
      return {
        mode: 'workload',
        selector: { namespaces: [ns], labelSelector: 'tier=db' },
        strategy: {
          maxUnavailable: 2,
          partition: 1,
          order: { by: 'scatter', topologyKey: 'zone' },
        },
      };
    },
  },
  {
    name: 'to-native: rollouts packed by weight, an already-native and an absent sidecar skipped',
    async build(ns) {
      for (const [name, weight] of [
        ['a', 2],
        ['b', 1],
        ['c', 1],
      ] as const)
        await deployment(ns, name, {
          replicas: 2,
          rolloutMaxUnavailable: weight,
          labels: { tier: 'db' },
        });
      await deployment(ns, 'native', {
        replicas: 1,
        rolloutMaxUnavailable: 1,
        labels: { tier: 'db' },
        containers: [app],
        initContainers: [{ ...proxy(), restartPolicy: 'Always' }],
      });
      await deployment(ns, 'without', {
        replicas: 1,
        rolloutMaxUnavailable: 1,
        labels: { tier: 'db' },
        containers: [app],
      });
      await awaitPods(ns, 8);
      return {
        mode: 'to-native',
        targetImage: OLD,
        selector: { namespaces: [ns], labelSelector: 'tier=db' },
        strategy: { maxUnavailable: 2 },
      };
    },
  },
];

function specOf(fields: Record<string, unknown>): CampaignSpec {
  const parsed = parseCampaignSpec({
    container: 'proxy',
    targetImage: NEW,
    ...fields,
  });
  if (!parsed.ok)
    throw new Error(`bad spec in test: ${JSON.stringify(parsed.errors)}`);
  return parsed.spec;
}

const claim = (ref: CampaignRef): Promise<ClaimResult> =>
  new MockActivityEnvironment().run(activities.claimTargets, ref);

/** The batches the claim wrote onto the cluster: each held target's batch label and canary mark. */
async function heldBatches(
  ref: CampaignRef,
  namespace: string,
): Promise<Array<{ index: number; pods: string[]; canary: boolean }>> {
  const selector = `${CAMPAIGN_LABELS.hold}=${ref.campaignId}`;
  const objects: Array<V1Pod | V1Deployment> =
    ref.spec.mode !== 'in-place'
      ? (
          await cluster.apps.listNamespacedDeployment({
            namespace,
            labelSelector: selector,
          })
        ).items
      : (
          await cluster.core.listNamespacedPod({
            namespace,
            labelSelector: selector,
          })
        ).items;
  const batches = new Map<
    number,
    { index: number; pods: string[]; canary: boolean }
  >();
  for (const object of objects) {
    const index = Number(object.metadata!.labels![CAMPAIGN_LABELS.batch]);
    const batch = batches.get(index) ?? {
      index,
      pods: [],
      canary:
        object.metadata?.annotations?.['sidecar-campaigns.io/canary'] ===
        'true',
    };
    batch.pods.push(`local/${namespace}/${object.metadata!.name}`);
    batches.set(index, batch);
  }
  return [...batches.values()]
    .sort((a, b) => a.index - b.index)
    .map(b => ({ ...b, pods: b.pods.sort() }));
}

const byTarget = (skips: ReadonlyArray<{ target: string; reason: string }>) =>
  [...skips].sort((a, b) => a.target.localeCompare(b.target));

describe('the plan preview and the claim agree', () => {
  for (const [i, testCase] of CASES.entries()) {
    it(testCase.name, async () => {
      const namespace = await createTestNamespace(cluster, `agree-${i}`);
      const spec = specOf(await testCase.build(namespace));
      const preview: PlanOutcome = await planner.plan(spec);
      assert.ok(
        preview.plan.batches.length > 0,
        'the case plans at least one batch',
      );

      const ref: CampaignRef = {
        campaignId: `agreement-${namespace}`,
        spec,
        previewedPlan: preview.plan.fingerprint,
      };
      const claimed = await claim(ref);

      assert.deepEqual(
        await heldBatches(ref, namespace),
        preview.plan.batches.map(b => ({ ...b, pods: [...b.pods].sort() })),
        'same targets in the same batches, same canary',
      );
      assert.equal(claimed.totalBatches, preview.plan.batches.length);
      assert.equal(claimed.maxUnavailable, preview.plan.maxUnavailable);
      assert.equal(
        claimed.selectedPods,
        preview.plan.totalPods,
        'both count selected pods',
      );
      assert.equal(
        claimed.claimed,
        preview.plan.batches.flatMap(b => b.pods).length,
      );
      assert.equal(claimed.skipped, preview.plan.skipped.length);
      assert.deepEqual(
        byTarget(claimed.skippedSample),
        byTarget(preview.plan.skipped),
        'same skips, same reasons',
      );
      assert.equal(
        claimed.planChange,
        undefined,
        'nothing changed since the preview',
      );
    });
  }

  it('says what changed in the cluster between the preview and the claim', async () => {
    const namespace = await createTestNamespace(cluster, 'agree-changed');
    for (let i = 0; i < 4; i++)
      await barePod(namespace, `web-${i}`, { tier: 'web' });
    const spec = specOf({
      selector: { namespaces: [namespace], labelSelector: 'tier=web' },
      strategy: { maxUnavailable: 2 },
    });
    const preview = await planner.plan(spec);
    await barePod(namespace, 'late', { tier: 'web' });
    await cluster.core.deleteNamespacedPod({ namespace, name: 'web-0' });
    await barePod(namespace, 'late-on-target', { tier: 'web' }, [
      app,
      proxy(NEW),
    ]);
    await waitFor(
      async () => (await listPods(cluster, namespace)).length === 5,
      { what: 'web-0 gone', timeoutMs: 30_000 },
    );

    const claimed = await claim({
      campaignId: `agreement-${namespace}`,
      spec,
      previewedPlan: preview.plan.fingerprint,
    });
    assert.equal(
      claimed.planChange,
      'plan changed since preview: selected pods 4 → 5; targets 4 → 5; skipped 0 → 1',
    );
  });
});
