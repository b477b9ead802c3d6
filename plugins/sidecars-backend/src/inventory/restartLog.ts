import {
  DAY_MS,
  type RestartHistory,
  type RestartRecord,
} from '@internal/plugin-sidecars-common';
import {
  CRASH_LOOP_BACK_OFF,
  type TrimmedContainerStatus,
  type TrimmedPod,
} from './trimmedPod';

/** Restarts seen within this span share one record, so a container keeps at most a day's worth of minutes. */
const RECORD_SPAN_MS = 60_000;

const podKey = (pod: TrimmedPod) =>
  `${pod.metadata.namespace}/${pod.metadata.name}`;

const statusesOf = (pod: TrimmedPod): TrimmedContainerStatus[] => [
  ...(pod.status.containerStatuses ?? []),
  ...(pod.status.initContainerStatuses ?? []),
];

/**
 * The restarts a watch has seen, per pod and container: each rise of a container's restartCount
 * between two versions of its pod, with when it was seen. Bounded: records older than a day are
 * dropped, restarts within the same minute share a record, and a pod's records go with the pod.
 * A pod's first version is its baseline, so restarts before the watch saw it are not counted.
 */
export class RestartLog {
  private readonly pods = new Map<string, Map<string, RestartRecord[]>>();
  /** When the log began: the figures of a window that reaches further back cover only this much. */
  readonly since: Date;

  constructor(private readonly now: () => number = Date.now) {
    this.since = new Date(now());
  }

  /** Records the restarts between `before` (undefined for a pod seen the first time) and `after`. */
  observe(before: TrimmedPod | undefined, after: TrimmedPod): void {
    if (!before) return;
    const previous = new Map(
      statusesOf(before).map(s => [s.name, s.restartCount]),
    );
    const at = this.now();
    for (const status of statusesOf(after)) {
      const rise = status.restartCount - (previous.get(status.name) ?? 0);
      if (rise > 0) this.record(podKey(after), status.name, at, rise);
    }
  }

  forget(pod: TrimmedPod): void {
    this.pods.delete(podKey(pod));
  }

  /** A container's restarts within the last day, and whether it waits in CrashLoopBackOff now. */
  history(pod: TrimmedPod, container: string): RestartHistory {
    const records = this.pods.get(podKey(pod))?.get(container) ?? [];
    const after = this.now() - DAY_MS;
    return {
      restarts: records.filter(r => r.at > after),
      crashLoopingNow: isCrashLooping(pod, container),
    };
  }

  private record(pod: string, container: string, at: number, count: number) {
    let containers = this.pods.get(pod);
    if (!containers) this.pods.set(pod, (containers = new Map()));
    const records = (containers.get(container) ?? []).filter(
      r => r.at > at - DAY_MS,
    );
    const last = records[records.length - 1];
    if (last && at - last.at < RECORD_SPAN_MS) last.count += count;
    else records.push({ at, count });
    containers.set(container, records);
  }
}

/** Whether the kubelet reports the container waiting in CrashLoopBackOff. */
export function isCrashLooping(pod: TrimmedPod, container: string): boolean {
  return statusesOf(pod).some(
    s =>
      s.name === container && s.state?.waiting.reason === CRASH_LOOP_BACK_OFF,
  );
}

/** What an answer from a direct list knows of a container: no restarts seen, only whether it crash-loops now. */
export const listedHistory = (
  pod: TrimmedPod,
  container: string,
): RestartHistory => ({
  restarts: [],
  crashLoopingNow: isCrashLooping(pod, container),
});
