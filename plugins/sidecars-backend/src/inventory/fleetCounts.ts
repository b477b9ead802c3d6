import type { FleetVersionRow } from '@internal/plugin-sidecars-common';
import { longRunningContainers } from '@internal/plugin-sidecars-node';
import type { TrimmedPod } from './trimmedPod';
import { versionOf } from './versions';

/** Pod counts per container name, then per cluster/namespace/image. */
export type ContainerCounts = Map<string, Map<string, FleetVersionRow>>;

/**
 * One cluster's pods reduced to counts per container, namespace and image, kept up to date pod by
 * pod: the fleet view reads the counts instead of walking every pod.
 */
export class FleetCounts {
  private readonly containers: ContainerCounts = new Map();

  constructor(private readonly cluster: string) {}

  add(pod: TrimmedPod): void {
    this.count(pod, 1);
  }

  remove(pod: TrimmedPod): void {
    this.count(pod, -1);
  }

  /** A copy, so that later changes do not show through an answer being put together. */
  snapshot(): ContainerCounts {
    return new Map(
      [...this.containers].map(([name, rows]) => [
        name,
        new Map([...rows].map(([key, row]) => [key, { ...row }])),
      ]),
    );
  }

  private count(pod: TrimmedPod, delta: 1 | -1): void {
    const namespace = pod.metadata.namespace ?? '';
    for (const container of longRunningContainers(pod.spec)) {
      const image = container.image ?? '';
      let rows = this.containers.get(container.name);
      if (!rows) this.containers.set(container.name, (rows = new Map()));
      const key = `${this.cluster}/${namespace}/${image}`;
      const row = rows.get(key) ?? {
        cluster: this.cluster,
        namespace,
        image,
        version: versionOf(image),
        pods: 0,
      };
      row.pods += delta;
      if (row.pods > 0) rows.set(key, row);
      else rows.delete(key);
      if (rows.size === 0) this.containers.delete(container.name);
    }
  }
}
