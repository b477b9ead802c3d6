import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import {
  AdmissionregistrationV1beta1Api,
  ApiException,
  CoreV1Api,
  KubeConfig,
  KubernetesObjectApi,
  type KubernetesObject,
  type V1Deployment,
} from '@kubernetes/client-node';
import { parseAllDocuments } from 'yaml';
import {
  DEFAULT_CLUSTER_NAME,
  DEFAULT_WORKER_PORTS,
} from '@internal/sidecar-workers';
import { REPO_ROOT } from '@internal/dev-stack/stack/binaries';
import { createIfMissing } from '@internal/dev-stack/stack/cluster-objects';
import { listPods, testCluster } from '../support/cluster';
import { awaitPhase, campaignHarness } from '../support/campaigns';
import { injectedFleet, sidecarImage } from '../support/fleet';

const cluster = testCluster();
const NEW = 'registry.example.com/proxy:1.1.0';

const manifests = (file: string) =>
  parseAllDocuments(readFileSync(join(REPO_ROOT, 'deploy', file), 'utf8')).map(
    d => d.toJSON() as KubernetesObject,
  );

/** A kubeconfig that authenticates as the worker's ServiceAccount from deploy/worker-rbac.yaml. */
async function workerServiceAccountConfig(): Promise<KubeConfig> {
  await createIfMissing(cluster.kc, manifests('worker-rbac.yaml'));
  const token = await cluster.core.createNamespacedServiceAccountToken({
    name: 'sidecar-campaigns-worker',
    namespace: 'sidecar-campaigns',
    body: { spec: { expirationSeconds: 3600, audiences: [] } },
  });
  const kc = new KubeConfig();
  kc.loadFromOptions({
    clusters: [
      {
        name: 'local',
        server: cluster.kc.getCurrentCluster()!.server,
        skipTLSVerify: true,
      },
    ],
    users: [{ name: 'worker', token: token.status!.token }],
    contexts: [{ name: 'worker', cluster: 'local', user: 'worker' }],
    currentContext: 'worker',
  });
  return kc;
}

describe('the worker with only the RBAC of deploy/worker-rbac.yaml', () => {
  const harness = campaignHarness('rbac');
  let h: Awaited<typeof harness>;
  let workerKc: KubeConfig;
  before(async () => {
    h = await harness;
    workerKc = await workerServiceAccountConfig();
    await h.startWorker(new Map([[DEFAULT_CLUSTER_NAME, workerKc]]));
  });
  after(() => h.close());

  it('runs an in-place campaign to completion', async () => {
    const fleet = await injectedFleet(cluster, 'rbac', 4, {
      name: 'proxy',
      image: 'registry.example.com/proxy:1.0.0',
    });
    const handle = await h.start({
      container: 'proxy',
      targetImage: NEW,
      selector: {
        namespaces: [fleet.namespace],
        labelSelector: fleet.selector,
      },
      strategy: { maxUnavailable: 2 },
    });
    const status = await awaitPhase(handle, 'Completed');
    assert.equal(status.counts.upgraded, 4);
    for (const pod of await listPods(cluster, fleet.namespace, fleet.selector))
      assert.equal(sidecarImage(pod, 'proxy'), NEW);
  });

  it('is not allowed to delete pods', async () => {
    const [pod] = await listPods(cluster, 'sidecar-campaigns');
    const anyPod =
      pod ??
      (await cluster.core.listPodForAllNamespaces({ limit: 1 })).items[0]!;
    await assert.rejects(
      workerKc.makeApiClient(CoreV1Api).deleteNamespacedPod({
        name: anyPod.metadata!.name!,
        namespace: anyPod.metadata!.namespace!,
        dryRun: 'All',
      }),
      (error: unknown) => error instanceof ApiException && error.code === 403,
    );
  });

  it('may list MutatingAdmissionPolicies, to name the injector of a sidecar to-native cannot move, but not change them', async () => {
    const admission = workerKc.makeApiClient(AdmissionregistrationV1beta1Api);
    const policies = await admission.listMutatingAdmissionPolicy();
    assert.ok(Array.isArray(policies.items));
    await assert.rejects(
      admission.deleteCollectionMutatingAdmissionPolicy({ dryRun: 'All' }),
      (error: unknown) => error instanceof ApiException && error.code === 403,
    );
  });

  it("is deployed by deploy/worker-deployment.yaml, which the apiserver accepts (server-side dry run), with probes and metrics on the worker's ports", async () => {
    const objects = manifests('worker-deployment.yaml');
    const api = KubernetesObjectApi.makeApiClient(cluster.kc);
    for (const object of objects)
      assert.equal(
        (await api.create(object, undefined, 'All')).metadata?.name,
        object.metadata?.name,
      );
    const deployment = objects.find(
      o => o.kind === 'Deployment',
    ) as V1Deployment;
    const pod = deployment.spec!.template;
    assert.equal(pod.spec?.serviceAccountName, 'sidecar-campaigns-worker');
    const worker = pod.spec!.containers[0]!;
    const port = (name: string) =>
      worker.ports?.find(p => p.name === name)?.containerPort;
    assert.deepEqual(
      { health: port('health'), metrics: port('metrics') },
      DEFAULT_WORKER_PORTS,
    );
    assert.equal(
      pod.metadata?.annotations?.['prometheus.io/port'],
      String(DEFAULT_WORKER_PORTS.metrics),
    );
    assert.deepEqual(
      [
        worker.livenessProbe?.httpGet?.path,
        worker.readinessProbe?.httpGet?.path,
      ],
      ['/healthz', '/readyz'],
    );
  });
});
