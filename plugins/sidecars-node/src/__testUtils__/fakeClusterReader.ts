import type { V1Container, V1Deployment, V1Pod } from '@kubernetes/client-node';
import {
  matchesLabelSelector,
  parseLabelSelector,
} from '@internal/plugin-sidecars-common';
import type { InjectionPolicy } from '../injectors';
import type { ClusterReader, PodOwner } from '../kube/reader';
import type { LabelQuery } from '../kube/requests';

/** A cluster held in memory: pods, Deployments (each with one ReplicaSet named `<deployment>-rs`) and running campaigns. */
export class FakeClusterReader implements ClusterReader {
  readonly pods: V1Pod[] = [];
  readonly deployments = new Map<string, V1Deployment>();
  readonly activeCampaigns = new Set<string>();
  /** Deployments that vanish after their pods were listed, as if deleted between list and read. */
  readonly deletedAfterList = new Set<string>();
  ownerLookups = 0;

  constructor(readonly cluster: string) {}

  async *listPods(query: LabelQuery): AsyncGenerator<V1Pod> {
    const parsed = parseLabelSelector(query.labelSelector ?? '');
    if (!parsed.ok)
      throw new Error(`bad selector in test: ${query.labelSelector}`);
    for (const pod of this.pods) {
      const inNamespace =
        !query.namespaces?.length ||
        query.namespaces.includes(pod.metadata!.namespace!);
      if (
        inNamespace &&
        matchesLabelSelector(parsed.requirements, pod.metadata?.labels ?? {})
      )
        yield pod;
    }
  }

  async ownerOf(pod: V1Pod): Promise<PodOwner> {
    this.ownerLookups += 1;
    const owner = pod.metadata?.ownerReferences?.find(o => o.controller);
    if (!owner) return { kind: 'Pod', name: pod.metadata!.name! };
    const deploymentName = owner.name.replace(/-rs$/, '');
    const deployment = this.deployments.get(
      `${pod.metadata!.namespace}/${deploymentName}`,
    );
    return {
      kind: 'Deployment',
      name: deploymentName,
      ...(deployment ? { template: deployment.spec!.template } : {}),
    };
  }

  async readDeployment(
    namespace: string,
    name: string,
  ): Promise<V1Deployment | undefined> {
    const key = `${namespace}/${name}`;
    return this.deletedAfterList.has(key)
      ? undefined
      : this.deployments.get(key);
  }

  async isCampaignActive(campaignId: string): Promise<boolean> {
    return this.activeCampaigns.has(campaignId);
  }

  readonly policies: InjectionPolicy[] = [];
  policyReads = 0;

  async injectionPolicies(): Promise<InjectionPolicy[]> {
    this.policyReads += 1;
    return this.policies;
  }

  /** A pod; with `deployment`, owned through that Deployment's ReplicaSet. */
  addPod(
    name: string,
    options: {
      namespace?: string;
      labels?: Record<string, string>;
      containers: V1Container[];
      initContainers?: V1Container[];
      deployment?: string;
    },
  ): V1Pod {
    const namespace = options.namespace ?? 'shop';
    const pod: V1Pod = {
      metadata: {
        name,
        namespace,
        uid: `${this.cluster}-${namespace}-${name}`,
        labels: options.labels ?? {},
        ...(options.deployment
          ? {
              ownerReferences: [
                {
                  apiVersion: 'apps/v1',
                  kind: 'ReplicaSet',
                  name: `${options.deployment}-rs`,
                  uid: 'rs',
                  controller: true,
                },
              ],
            }
          : {}),
      },
      spec: {
        containers: options.containers,
        ...(options.initContainers
          ? { initContainers: options.initContainers }
          : {}),
      },
    };
    this.pods.push(pod);
    return pod;
  }

  /** A Deployment whose template declares `containers`, and its `replicas` pods (plus `injected` containers added at admission). */
  addDeployment(
    name: string,
    options: {
      namespace?: string;
      replicas: number;
      rolloutMaxUnavailable?: number | string;
      labels?: Record<string, string>;
      containers: V1Container[];
      initContainers?: V1Container[];
      injected?: V1Container[];
      holder?: string;
    },
  ): V1Deployment {
    const namespace = options.namespace ?? 'shop';
    const labels = { app: name, ...options.labels };
    const deployment: V1Deployment = {
      metadata: {
        name,
        namespace,
        uid: `${this.cluster}-${namespace}-deploy-${name}`,
        labels: options.holder
          ? { 'sidecar-campaigns.io/hold': options.holder }
          : {},
      },
      spec: {
        replicas: options.replicas,
        selector: { matchLabels: { app: name } },
        strategy: {
          type: 'RollingUpdate',
          rollingUpdate: { maxUnavailable: options.rolloutMaxUnavailable ?? 1 },
        },
        template: {
          metadata: { labels },
          spec: {
            containers: options.containers,
            ...(options.initContainers
              ? { initContainers: options.initContainers }
              : {}),
          },
        },
      },
    };
    this.deployments.set(`${namespace}/${name}`, deployment);
    for (let i = 0; i < options.replicas; i++) {
      this.addPod(`${name}-${i}`, {
        namespace,
        labels,
        containers: [...options.containers, ...(options.injected ?? [])],
        ...(options.initContainers
          ? { initContainers: options.initContainers }
          : {}),
        deployment: name,
      });
    }
    return deployment;
  }
}
