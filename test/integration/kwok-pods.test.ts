import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { PatchStrategy, setHeaderOptions } from '@kubernetes/client-node';
import { waitFor } from '@internal/dev-stack/stack/wait';
import {
  awaitReadyPods,
  containerStatus,
  createTestNamespace,
  isPodReady,
  simpleDeployment,
  testCluster,
} from '../support/cluster';

const cluster = testCluster();
const jsonPatch = setHeaderOptions('Content-Type', PatchStrategy.JsonPatch);

describe('the local control plane with KWOK', () => {
  let namespace: string;
  before(async () => {
    namespace = await createTestNamespace(cluster, 'kwok');
  });

  it('schedules a Deployment onto KWOK nodes and its pods become Running and Ready', async () => {
    await cluster.apps.createNamespacedDeployment({
      namespace,
      body: simpleDeployment('web', namespace, 3, [
        { name: 'web', image: 'registry.example.com/web:1.0.0' },
        { name: 'proxy', image: 'registry.example.com/proxy:1.0.0' },
      ]),
    });
    const pods = await awaitReadyPods(cluster, namespace, 'app=web', 3);
    for (const pod of pods) {
      assert.match(pod.spec?.nodeName ?? '', /^kwok-node-/);
      assert.equal(pod.status?.phase, 'Running');
      assert.equal(
        containerStatus(pod, 'proxy')?.image,
        'registry.example.com/proxy:1.0.0',
      );
      assert.equal(containerStatus(pod, 'proxy')?.restartCount, 0);
    }
    const deployment = await waitFor(
      async () => {
        const d = await cluster.apps.readNamespacedDeployment({
          name: 'web',
          namespace,
        });
        return d.status?.readyReplicas === 3 && d;
      },
      { what: 'the Deployment to report 3 ready replicas', timeoutMs: 30_000 },
    );
    assert.equal(deployment.status?.availableReplicas, 3);
  });

  it('follows an in-place sidecar image patch: new image, one restart, not ready, then ready again', async () => {
    await cluster.apps.createNamespacedDeployment({
      namespace,
      body: simpleDeployment('inplace', namespace, 1, [
        { name: 'app', image: 'registry.example.com/app:1.0.0' },
        { name: 'proxy', image: 'registry.example.com/proxy:1.0.0' },
      ]),
    });
    const [pod] = await awaitReadyPods(cluster, namespace, 'app=inplace', 1);
    const name = pod!.metadata!.name!;
    const original = containerStatus(pod!, 'proxy')!;

    await cluster.core.patchNamespacedPod(
      {
        name,
        namespace,
        body: [
          {
            op: 'test',
            path: '/spec/containers/1/image',
            value: 'registry.example.com/proxy:1.0.0',
          },
          {
            op: 'replace',
            path: '/spec/containers/1/image',
            value: 'registry.example.com/proxy:1.1.0',
          },
        ],
      },
      jsonPatch,
    );

    const restarted = await waitFor(
      async () => {
        const current = await cluster.core.readNamespacedPod({
          name,
          namespace,
        });
        return (
          containerStatus(current, 'proxy')?.image ===
            'registry.example.com/proxy:1.1.0' && current
        );
      },
      {
        what: 'the proxy container status to report the new image',
        timeoutMs: 30_000,
      },
    );
    const restartedStatus = containerStatus(restarted, 'proxy')!;
    assert.equal(restartedStatus.restartCount, original.restartCount + 1);
    assert.notEqual(restartedStatus.imageID, original.imageID);
    assert.equal(
      containerStatus(restarted, 'app')?.restartCount,
      0,
      'only the patched container restarts',
    );

    const readyAgain = await waitFor(
      async () => {
        const current = await cluster.core.readNamespacedPod({
          name,
          namespace,
        });
        return isPodReady(current) && current;
      },
      { what: 'the pod to be Ready again', timeoutMs: 30_000 },
    );
    assert.equal(containerStatus(readyAgain, 'proxy')?.ready, true);
    assert.equal(
      containerStatus(readyAgain, 'proxy')?.restartCount,
      original.restartCount + 1,
    );
  });

  it('never makes a -crashloop image ready, and its restart count keeps climbing', async () => {
    await cluster.apps.createNamespacedDeployment({
      namespace,
      body: simpleDeployment('crashy', namespace, 1, [
        { name: 'app', image: 'registry.example.com/app:1.0.0' },
        { name: 'proxy', image: 'registry.example.com/proxy:1.0.0' },
      ]),
    });
    const [pod] = await awaitReadyPods(cluster, namespace, 'app=crashy', 1);
    const name = pod!.metadata!.name!;
    await cluster.core.patchNamespacedPod(
      {
        name,
        namespace,
        body: [
          {
            op: 'replace',
            path: '/spec/containers/1/image',
            value: 'registry.example.com/proxy:1.1.0-crashloop',
          },
        ],
      },
      jsonPatch,
    );
    const climbing = await waitFor(
      async () => {
        const current = await cluster.core.readNamespacedPod({
          name,
          namespace,
        });
        const status = containerStatus(current, 'proxy');
        return (
          status?.image.endsWith('-crashloop') &&
          status.restartCount >= 3 &&
          current
        );
      },
      {
        what: 'the crash-looping container to restart three times',
        timeoutMs: 30_000,
      },
    );
    assert.equal(isPodReady(climbing), false);
    const status = containerStatus(climbing, 'proxy')!;
    assert.equal(status.ready, false);
    assert.equal(status.state?.waiting?.reason, 'CrashLoopBackOff');
  });
});
