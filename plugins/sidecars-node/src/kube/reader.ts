import {
  AdmissionregistrationV1beta1Api,
  AppsV1Api,
  CoreV1Api,
  type ConfigurationOptions,
  type KubeConfig,
  type V1Deployment,
  type V1Pod,
  type V1PodTemplateSpec,
} from '@kubernetes/client-node';
import {
  orUndefined,
  paginate,
  statusOf,
  withRetries,
  withTimeout,
  type LabelQuery,
} from './requests';
import type { InjectionPolicy } from '../injectors';

/**
 * The workload a pod belongs to: the Deployment behind its ReplicaSet, its StatefulSet, DaemonSet
 * or ReplicaSet, or the pod itself ("Pod") when nothing controls it.
 */
export interface PodOwner {
  kind: string;
  name: string;
  /** The pod template that made the pod, when it could be read (a ReplicaSet's is its Deployment's at that revision). */
  template?: V1PodTemplateSpec;
}

/** What discovery reads from one cluster; the backend and the worker implement it over the Kubernetes API, tests with a fake. */
export interface ClusterReader {
  /** The cluster's name, the first part of every target key. */
  readonly cluster: string;
  listPods(query: LabelQuery): AsyncIterable<V1Pod>;
  ownerOf(pod: V1Pod): Promise<PodOwner>;
  /** undefined when the Deployment does not exist (any more). */
  readDeployment(
    namespace: string,
    name: string,
  ): Promise<V1Deployment | undefined>;
  /** Whether the campaign with this id still runs, so that its holds are live. */
  isCampaignActive(campaignId: string): Promise<boolean>;
  /** The cluster's mutating admission policies, to name the injector of a sidecar; empty when they cannot be read. */
  injectionPolicies?(): Promise<InjectionPolicy[]>;
}

export interface KubeReaderOptions {
  /** Abort each call after this long: a slow cluster must not stall a backend request. */
  timeoutMs?: number;
  /** Retry throttling, server errors and network failures: a worker's claim must outlast a blip. */
  retry?: boolean;
  isCampaignActive(campaignId: string): Promise<boolean>;
}

/**
 * A ClusterReader over the Kubernetes API. The kubeconfig may be given as a loader, called on first
 * use, so a cluster whose credentials cannot be loaded fails its calls instead of its caller's start.
 */
export class KubeClusterReader implements ClusterReader {
  private clients?: {
    core: CoreV1Api;
    apps: AppsV1Api;
    admission: AdmissionregistrationV1beta1Api;
  };

  constructor(
    readonly cluster: string,
    private readonly kubeConfig: KubeConfig | (() => KubeConfig),
    private readonly options: KubeReaderOptions,
  ) {}

  private api() {
    if (!this.clients) {
      const kc =
        typeof this.kubeConfig === 'function'
          ? this.kubeConfig()
          : this.kubeConfig;
      this.clients = {
        core: kc.makeApiClient(CoreV1Api),
        apps: kc.makeApiClient(AppsV1Api),
        admission: kc.makeApiClient(AdmissionregistrationV1beta1Api),
      };
    }
    return this.clients;
  }

  private call<T>(
    what: string,
    request: (options: ConfigurationOptions | undefined) => Promise<T>,
  ): Promise<T> {
    const once = () =>
      request(
        this.options.timeoutMs === undefined
          ? undefined
          : withTimeout(this.options.timeoutMs),
      );
    return this.options.retry
      ? withRetries(`${what} in ${this.cluster}`, once)
      : once();
  }

  listPods(query: LabelQuery): AsyncGenerator<V1Pod> {
    return paginate(
      query,
      (namespace, request) =>
        this.call('list pods', o =>
          this.api().core.listNamespacedPod({ namespace, ...request }, o),
        ),
      request =>
        this.call('list pods', o =>
          this.api().core.listPodForAllNamespaces(request, o),
        ),
    );
  }

  readDeployment(
    namespace: string,
    name: string,
  ): Promise<V1Deployment | undefined> {
    return orUndefined(
      this.call('read deployment', o =>
        this.api().apps.readNamespacedDeployment({ namespace, name }, o),
      ),
    );
  }

  async ownerOf(pod: V1Pod): Promise<PodOwner> {
    const namespace = pod.metadata?.namespace ?? '';
    const controller = pod.metadata?.ownerReferences?.find(o => o.controller);
    if (!controller) return { kind: 'Pod', name: pod.metadata?.name ?? '' };
    const { apps } = this.api();
    const read = { namespace, name: controller.name };
    switch (controller.kind) {
      case 'ReplicaSet': {
        const rs = await orUndefined(
          this.call('read replicaset', o =>
            apps.readNamespacedReplicaSet(read, o),
          ),
        );
        const deployment = rs?.metadata?.ownerReferences?.find(
          o => o.controller && o.kind === 'Deployment',
        );
        return {
          kind: deployment ? 'Deployment' : 'ReplicaSet',
          name: deployment?.name ?? controller.name,
          template: rs?.spec?.template,
        };
      }
      case 'StatefulSet': {
        const sts = await orUndefined(
          this.call('read statefulset', o =>
            apps.readNamespacedStatefulSet(read, o),
          ),
        );
        return {
          kind: controller.kind,
          name: controller.name,
          template: sts?.spec?.template,
        };
      }
      case 'DaemonSet': {
        const ds = await orUndefined(
          this.call('read daemonset', o =>
            apps.readNamespacedDaemonSet(read, o),
          ),
        );
        return {
          kind: controller.kind,
          name: controller.name,
          template: ds?.spec?.template,
        };
      }
      default:
        return { kind: controller.kind, name: controller.name };
    }
  }

  isCampaignActive(campaignId: string): Promise<boolean> {
    return this.options.isCampaignActive(campaignId);
  }

  /** MutatingAdmissionPolicies (admissionregistration.k8s.io/v1beta1); none when the API is off or not readable. */
  async injectionPolicies(): Promise<InjectionPolicy[]> {
    try {
      const list = await this.call('list mutating admission policies', o =>
        this.api().admission.listMutatingAdmissionPolicy({}, o),
      );
      return list.items.map(policy => ({
        name: policy.metadata?.name ?? '',
        expressions: (policy.spec?.mutations ?? []).flatMap(m =>
          [m.applyConfiguration?.expression, m.jsonPatch?.expression].filter(
            (e): e is string => e !== undefined,
          ),
        ),
      }));
    } catch (error) {
      const status = statusOf(error);
      if (status === 403 || status === 404) return [];
      throw error;
    }
  }
}

/** Memoize `read(key)` for the lifetime of the returned function. */
function memoize<T>(
  read: (key: string) => Promise<T>,
): (key: string) => Promise<T> {
  const answers = new Map<string, Promise<T>>();
  return key => {
    let answer = answers.get(key);
    if (!answer) answers.set(key, (answer = read(key)));
    return answer;
  };
}

/** Calls `read` on first use only. */
function onFirstUse<T>(read: () => Promise<T>): () => Promise<T> {
  let answer: Promise<T> | undefined;
  return () => (answer ??= read());
}

/**
 * The reader for one pass (a discovery, an inventory request): each owner and each campaign's
 * activity is asked once, however many pods share it.
 */
export function onePassReader(reader: ClusterReader): ClusterReader {
  const pods = new Map<string, V1Pod>();
  const owner = memoize(key => reader.ownerOf(pods.get(key)!));
  const active = memoize(id => reader.isCampaignActive(id));
  return {
    cluster: reader.cluster,
    listPods: query => reader.listPods(query),
    readDeployment: (namespace, name) => reader.readDeployment(namespace, name),
    isCampaignActive: active,
    ...(reader.injectionPolicies
      ? { injectionPolicies: onFirstUse(() => reader.injectionPolicies!()) }
      : {}),
    ownerOf: pod => {
      const controller = pod.metadata?.ownerReferences?.find(o => o.controller);
      if (!controller) return reader.ownerOf(pod);
      const key = `${pod.metadata?.namespace}/${controller.kind}/${controller.name}`;
      if (!pods.has(key)) pods.set(key, pod);
      return owner(key);
    },
  };
}
