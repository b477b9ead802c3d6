import {
  matchesLabelSelector,
  parseLabelSelector,
  type LabelRequirement,
} from '@internal/plugin-sidecars-common';
import type { EntitySelection } from '@internal/plugin-sidecars-node';
import { RestartLog } from './restartLog';
import type { TrimmedPod } from './trimmedPod';

const podKey = (pod: TrimmedPod) =>
  `${pod.metadata.namespace}/${pod.metadata.name}`;
const labelKey = (key: string, value: string) => `${key}=${value}`;

/**
 * One cluster's pods, found by namespace and by label: an entity's selector names its pods by an
 * equality (`backstage.io/kubernetes-id=x`, `app=x`), so its pods are read from that label's
 * bucket instead of a scan of the whole cluster. Each change of a pod also tells `restarts` which
 * of its containers restarted.
 */
export class PodIndex {
  readonly restarts: RestartLog;
  private readonly pods = new Map<string, TrimmedPod>();
  private readonly byNamespace = new Map<string, Map<string, TrimmedPod>>();
  private readonly byLabel = new Map<string, Map<string, TrimmedPod>>();
  private changes = 0;

  constructor(now: () => number = Date.now) {
    this.restarts = new RestartLog(now);
  }

  /** Grows with every change: a view computed from the index is current while this stays the same. */
  get version(): number {
    return this.changes;
  }

  get size(): number {
    return this.pods.size;
  }

  /** Adds or replaces a pod; returns the one it replaced. */
  upsert(pod: TrimmedPod): TrimmedPod | undefined {
    const replaced = this.detach(pod);
    this.restarts.observe(replaced, pod);
    const key = podKey(pod);
    this.pods.set(key, pod);
    bucket(this.byNamespace, pod.metadata.namespace ?? '').set(key, pod);
    for (const [name, value] of Object.entries(pod.metadata.labels ?? {}))
      bucket(this.byLabel, labelKey(name, value)).set(key, pod);
    this.changes += 1;
    return replaced;
  }

  /** Forgets the pod of that namespace and name, and its restarts; returns what it held for it. */
  remove(pod: TrimmedPod): TrimmedPod | undefined {
    const removed = this.detach(pod);
    if (removed) this.restarts.forget(removed);
    return removed;
  }

  private detach(pod: TrimmedPod): TrimmedPod | undefined {
    const key = podKey(pod);
    const old = this.pods.get(key);
    if (!old) return undefined;
    this.pods.delete(key);
    unbucket(this.byNamespace, old.metadata.namespace ?? '', key);
    for (const [name, value] of Object.entries(old.metadata.labels ?? {}))
      unbucket(this.byLabel, labelKey(name, value), key);
    this.changes += 1;
    return old;
  }

  all(): IterableIterator<TrimmedPod> {
    return this.pods.values();
  }

  /** The pods an entity selects; an unparsable selector selects none (the entity lookup rejects those before). */
  select(selection: EntitySelection): TrimmedPod[] {
    const parsed = parseLabelSelector(selection.labelSelector);
    if (!parsed.ok) return [];
    const namespaces =
      selection.namespaces && selection.namespaces.length > 0
        ? new Set(selection.namespaces)
        : undefined;
    return [...this.candidates(parsed.requirements, namespaces)].filter(
      pod =>
        (!namespaces || namespaces.has(pod.metadata.namespace ?? '')) &&
        matchesLabelSelector(parsed.requirements, pod.metadata.labels ?? {}),
    );
  }

  /** The smallest set of pods that holds every match: a label bucket, else the namespaces', else all. */
  private candidates(
    requirements: readonly LabelRequirement[],
    namespaces: ReadonlySet<string> | undefined,
  ): Iterable<TrimmedPod> {
    let smallest: TrimmedPod[] | undefined;
    for (const requirement of requirements) {
      if (requirement.operator !== 'In') continue;
      const matching = requirement.values.flatMap(value => [
        ...(this.byLabel.get(labelKey(requirement.key, value))?.values() ?? []),
      ]);
      if (!smallest || matching.length < smallest.length) smallest = matching;
    }
    if (smallest) return smallest;
    if (namespaces)
      return [...namespaces].flatMap(namespace => [
        ...(this.byNamespace.get(namespace)?.values() ?? []),
      ]);
    return this.pods.values();
  }
}

function bucket(
  buckets: Map<string, Map<string, TrimmedPod>>,
  key: string,
): Map<string, TrimmedPod> {
  let found = buckets.get(key);
  if (!found) buckets.set(key, (found = new Map()));
  return found;
}

function unbucket(
  buckets: Map<string, Map<string, TrimmedPod>>,
  key: string,
  pod: string,
): void {
  const found = buckets.get(key);
  if (!found) return;
  found.delete(pod);
  if (found.size === 0) buckets.delete(key);
}
