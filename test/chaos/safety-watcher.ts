import {
  AppsV1Api,
  CoreV1Api,
  type KubeConfig,
  type V1Container,
  type V1Deployment,
  type V1PodSpec,
  type V1Pod,
} from '@kubernetes/client-node';
import {
  CAMPAIGN_KEY_PREFIX,
  CAMPAIGN_LABELS,
} from '@internal/plugin-sidecars-common';
import { isPodReady } from '../support/cluster';
import {
  streamObjects,
  type ObjectStream,
  type StreamEvent,
} from './object-stream';

/** What the watcher checks a campaign against: its selector, its images and its pod budget. */
export interface WatchedCampaign {
  kc: KubeConfig;
  namespace: string;
  /** The campaign's label selector, as matchLabels. */
  matchLabels: Record<string, string>;
  container: string;
  oldImage: string;
  targetImage: string;
  maxUnavailable: number;
  /** In workload mode the campaign patches Deployments, so those are the objects whose patches count. */
  mode: 'in-place' | 'workload';
}

export type Direction = 'upgrade' | 'rollback';

/** The campaign's container image of a target changing, as the watcher saw it. */
export interface ImageChange {
  name: string;
  direction: Direction;
  /** The `sidecar-campaigns.io/batch` label at the time, if any. */
  batch: string | undefined;
}

export interface SafetyReport {
  violations: string[];
  /** Targets (pods, or Deployments in workload mode) the selector picks. */
  targets: number;
  patches: Record<Direction, number>;
  /** The most pods that were unavailable at once. */
  maxUnavailableSeen: number;
}

type Target = V1Pod | V1Deployment;

const podSpecOf = (object: Target): V1PodSpec | undefined =>
  'template' in (object.spec ?? {})
    ? (object as V1Deployment).spec?.template.spec
    : (object as V1Pod).spec;
const selectorLabels = (object: Target) =>
  ((object as V1Deployment).spec?.template
    ? (object as V1Deployment).spec?.template.metadata?.labels
    : object.metadata?.labels) ?? {};
const campaignKeys = (object: Target) =>
  [
    ...Object.keys(object.metadata?.labels ?? {}),
    ...Object.keys(object.metadata?.annotations ?? {}),
  ].filter(k => k.startsWith(CAMPAIGN_KEY_PREFIX));

/**
 * An observer of a campaign's namespace with a connection of its own to the apiserver (never
 * through a fault proxy), that counts breaches of DESIGN.md's safety rules as they happen and at
 * the end: more pods unavailable than the budget, an object outside the selector changed, a
 * target patched twice in one direction, a target left on neither image, holds left behind.
 */
export class SafetyWatcher {
  private static readonly running = new Set<SafetyWatcher>();
  private readonly violations: string[] = [];
  private readonly images = new Map<string, string | undefined>();
  private readonly patchCounts = new Map<string, Record<Direction, number>>();
  private readonly unavailable = new Set<string>();
  private readonly flaggedOutside = new Set<string>();
  private readonly listeners = new Set<(change: ImageChange) => void>();
  private overBudget = false;
  private maxUnavailableSeen = 0;
  private streams: ObjectStream[] = [];

  private constructor(private readonly campaign: WatchedCampaign) {}

  static async start(campaign: WatchedCampaign): Promise<SafetyWatcher> {
    const watcher = new SafetyWatcher(campaign);
    SafetyWatcher.running.add(watcher);
    const ns = campaign.namespace;
    watcher.streams.push(
      await streamObjects<V1Pod>(
        campaign.kc,
        `/api/v1/namespaces/${ns}/pods`,
        e => watcher.onPod(e),
      ),
    );
    if (campaign.mode === 'workload') {
      watcher.streams.push(
        await streamObjects<V1Deployment>(
          campaign.kc,
          `/apis/apps/v1/namespaces/${ns}/deployments`,
          e => watcher.onTarget(e),
        ),
      );
    }
    return watcher;
  }

  /** The violations seen in the stream so far (the end checks come with finish()). */
  get violationsSoFar(): readonly string[] {
    return this.violations;
  }

  /** Resolves with the first image change after this call for which `accept` holds. */
  nextChange(accept: (change: ImageChange) => boolean): Promise<ImageChange> {
    return new Promise(resolve => {
      const listener = (change: ImageChange) => {
        if (!accept(change)) return;
        this.listeners.delete(listener);
        resolve(change);
      };
      this.listeners.add(listener);
    });
  }

  /** Stops the watches of every watcher a failed scenario left running, so the process can exit. */
  static stopAll(): void {
    for (const watcher of SafetyWatcher.running) watcher.stop();
  }

  private stop(): void {
    for (const stream of this.streams) stream.stop();
    SafetyWatcher.running.delete(this);
  }

  /** Stops watching and adds the end-state checks, read fresh from the apiserver. */
  async finish(): Promise<SafetyReport> {
    this.stop();
    const { kc, namespace, mode } = this.campaign;
    const pods = (
      await kc.makeApiClient(CoreV1Api).listNamespacedPod({ namespace })
    ).items;
    const deployments =
      mode === 'workload'
        ? (
            await kc
              .makeApiClient(AppsV1Api)
              .listNamespacedDeployment({ namespace })
          ).items
        : [];
    const targets = (mode === 'workload' ? deployments : pods).filter(t =>
      this.selected(t),
    );
    for (const object of [...pods, ...deployments]) {
      if (object.metadata?.labels?.[CAMPAIGN_LABELS.hold])
        this.violate(
          `${this.nameOf(object)} still holds ${CAMPAIGN_LABELS.hold}=${object.metadata.labels[CAMPAIGN_LABELS.hold]} after the end`,
        );
    }
    for (const target of targets) {
      const image = this.imageOf(target);
      if (
        image !== this.campaign.oldImage &&
        image !== this.campaign.targetImage
      )
        this.violate(
          `${this.nameOf(target)} ended on ${image}, neither the old nor the target image`,
        );
    }
    const patches = { upgrade: 0, rollback: 0 };
    for (const counts of this.patchCounts.values()) {
      patches.upgrade += counts.upgrade;
      patches.rollback += counts.rollback;
    }
    return {
      violations: [...this.violations],
      targets: targets.length,
      patches,
      maxUnavailableSeen: this.maxUnavailableSeen,
    };
  }

  private onPod(event: StreamEvent<V1Pod>): void {
    const pod = event.object;
    const name = pod.metadata!.name!;
    if (event.type !== 'DELETED' && this.selected(pod) && !isPodReady(pod))
      this.unavailable.add(name);
    else this.unavailable.delete(name);
    this.maxUnavailableSeen = Math.max(
      this.maxUnavailableSeen,
      this.unavailable.size,
    );
    const over = this.unavailable.size > this.campaign.maxUnavailable;
    if (over && !this.overBudget)
      this.violate(
        `${this.unavailable.size} pods unavailable at once (${[...this.unavailable].join(', ')}), budget ${this.campaign.maxUnavailable}`,
      );
    this.overBudget = over;
    if (this.campaign.mode === 'in-place') this.onTarget(event);
    else this.checkOutside(pod, false);
  }

  /** An image change toward the target image is an upgrade, toward the old one a rollback. */
  private directionTo(image: string | undefined): Direction | undefined {
    if (image === this.campaign.targetImage) return 'upgrade';
    if (image === this.campaign.oldImage) return 'rollback';
    return undefined;
  }

  private onTarget({ type, object }: StreamEvent<Target>): void {
    const uid = object.metadata!.uid!;
    const image = this.imageOf(object);
    const before = this.images.get(uid);
    if (type === 'DELETED') this.images.delete(uid);
    else this.images.set(uid, image);
    const changed =
      this.images.has(uid) && before !== undefined && before !== image;
    if (!this.selected(object)) {
      this.checkOutside(object, changed);
      return;
    }
    if (!changed) return;
    const direction = this.directionTo(image);
    if (!direction) {
      this.violate(
        `${this.nameOf(object)} changed from ${before} to ${image}, neither the old nor the target image`,
      );
      return;
    }
    const counts = this.patchCounts.get(uid) ?? { upgrade: 0, rollback: 0 };
    counts[direction] += 1;
    this.patchCounts.set(uid, counts);
    if (counts[direction] > 1)
      this.violate(
        `${this.nameOf(object)} patched toward ${image} ${counts[direction]} times`,
      );
    const change: ImageChange = {
      name: this.nameOf(object),
      direction,
      batch: object.metadata?.labels?.[CAMPAIGN_LABELS.batch],
    };
    for (const listener of [...this.listeners]) listener(change);
  }

  private checkOutside(object: Target, imageChanged: boolean): void {
    const name = this.nameOf(object);
    if (this.selected(object) || this.flaggedOutside.has(name)) return;
    const keys = campaignKeys(object);
    if (!imageChanged && keys.length === 0) return;
    this.flaggedOutside.add(name);
    this.violate(
      `${name} is outside the selector but was changed (${imageChanged ? 'image' : keys.join(', ')})`,
    );
  }

  private selected(object: Target): boolean {
    const labels = selectorLabels(object);
    return Object.entries(this.campaign.matchLabels).every(
      ([key, value]) => labels[key] === value,
    );
  }

  private imageOf(object: Target): string | undefined {
    const spec = podSpecOf(object);
    const all: V1Container[] = [
      ...(spec?.containers ?? []),
      ...(spec?.initContainers ?? []),
    ];
    return all.find(c => c.name === this.campaign.container)?.image;
  }

  private nameOf(object: Target): string {
    return `${'template' in (object.spec ?? {}) ? 'deployment' : 'pod'} ${object.metadata?.name}`;
  }

  private violate(message: string): void {
    this.violations.push(message);
  }
}
