import { ApplicationFailure, Context } from '@temporalio/activity';
import type { KubeConfig } from '@kubernetes/client-node';
import type { PlanFingerprint } from '@internal/plugin-sidecars-common';
import {
  CAMPAIGN_ANNOTATIONS,
  CAMPAIGN_LABELS,
  describePlanChange,
} from '@internal/plugin-sidecars-common';
import {
  clusterNamesDisagreement,
  discoverTargets,
  KubeClusterReader,
  planFingerprint,
  planTargets,
  UnresolvedEntityError,
  type ClusterDiscovery,
  type TargetBatch,
  type TargetPlan,
} from '@internal/plugin-sidecars-node';
import type {
  CampaignRef,
  ClaimResult,
  SkippedTarget,
} from '@internal/sidecar-workflows';
import { findContainer, metadataOps } from '../kube/pod-model';
import { targetKindFor, type TargetObject } from '../kube/targets';
import {
  BULK_WRITE_CONCURRENCY,
  forEachLimited,
  targetClusters,
  type ActivityDependencies,
  type ClusterTarget,
} from './context';
import { CANARY_ANNOTATION, guardedWrite } from './transitions';

const SKIP_SAMPLE = 20;

/** A campaign's plan, made and not yet held. */
export interface PlannedClaim {
  plan: TargetPlan;
  clusters: Map<string, KubeConfig>;
  /** When discovery began and when the plan was made, for the claim's log line. */
  startedAt: number;
  plannedAt: number;
}

/**
 * Plans the spec's targets with the discovery the plan preview uses, then holds each planned target
 * with labels recording its batch, so the plan survives any crash and no other campaign touches them.
 */
export async function claimTargets(
  deps: ActivityDependencies,
  ref: CampaignRef,
): Promise<ClaimResult> {
  return holdPlanned(ref, await planClaim(deps, ref));
}

/** Discovers the spec's targets in every cluster and plans them into batches. */
export async function planClaim(
  deps: ActivityDependencies,
  ref: CampaignRef,
): Promise<PlannedClaim> {
  const startedAt = Date.now();
  const clusters = new Map(targetClusters(deps, ref.spec));
  const discoveries: ClusterDiscovery[] = [];
  for (const [name, kc] of clusters) {
    const reader = new KubeClusterReader(name, kc, {
      retry: true,
      isCampaignActive: deps.isCampaignActive,
    });
    discoveries.push(await discover(ref, reader, name));
  }
  const plan = planTargets(ref.spec, discoveries);
  return { plan, clusters, startedAt, plannedAt: Date.now() };
}

/** Holds the planned targets in plan order (batch 0 first), many at a time. */
export async function holdPlanned(
  ref: CampaignRef,
  { plan, clusters, startedAt, plannedAt }: PlannedClaim,
  /** Told of each target as its hold is written, with its batch. */
  onHeld?: (target: ClusterTarget, batch: number) => void,
): Promise<ClaimResult> {
  const skipped: SkippedTarget[] = [
    ...plan.skipped.map(({ target, reason }) => ({ target, reason })),
    ...plan.partitioned.map(target => ({
      target,
      reason: 'left on the old version by the partition',
    })),
  ];
  const assignments = plan.batches.flatMap(batch =>
    batch.keys.map(key => ({ target: plan.targets.get(key)!, batch })),
  );
  let claimed = 0;
  await forEachLimited(
    assignments,
    BULK_WRITE_CONCURRENCY,
    async ({ target, batch }) => {
      const outcome = await hold(
        ref,
        {
          cluster: target.cluster,
          kc: clusters.get(target.cluster)!,
          object: target.object,
        },
        batch,
      );
      if (typeof outcome === 'string')
        skipped.push({ target: target.key, reason: outcome });
      else {
        claimed += 1;
        onHeld?.(
          {
            cluster: target.cluster,
            kc: clusters.get(target.cluster)!,
            object: outcome.held,
          },
          batch.index,
        );
      }
      if ((claimed + skipped.length) % 100 === 0)
        Context.current().heartbeat({ phase: 'claiming', claimed });
    },
  );

  Context.current().log.info("claimed the campaign's targets", {
    claimed,
    skipped: skipped.length,
    discoverSeconds: (plannedAt - startedAt) / 1000,
    holdSeconds: (Date.now() - plannedAt) / 1000,
  });
  const planChange =
    ref.previewedPlan &&
    changeSincePreview(ref, ref.previewedPlan, planFingerprint(plan), [
      ...clusters.keys(),
    ]);
  return {
    selected: plan.counts.targets,
    selectedPods: plan.counts.selectedPods,
    claimed,
    totalBatches: plan.batches.length,
    maxUnavailable: plan.maxUnavailable,
    skipped: skipped.length,
    skippedSample: skipped.slice(0, SKIP_SAMPLE),
    ...(planChange ? { planChange } : {}),
  };
}

/** What differs from the preview the campaign was started from: the clusters (where the spec took all of them) and the plan's figures. */
function changeSincePreview(
  ref: CampaignRef,
  previewed: PlanFingerprint,
  current: PlanFingerprint,
  workerClusters: string[],
): string | undefined {
  const clusters = ref.spec.selector.clusters
    ? undefined
    : clusterNamesDisagreement(
        { source: 'the plan preview', names: previewed.clusters },
        { source: "this worker's clusters", names: workerClusters },
      );
  const notes = [clusters, describePlanChange(previewed, current)].filter(
    note => note !== undefined,
  );
  return notes.length > 0 ? notes.join('; ') : undefined;
}

async function discover(
  ref: CampaignRef,
  reader: KubeClusterReader,
  cluster: string,
): Promise<ClusterDiscovery> {
  try {
    return await discoverTargets(ref.spec, reader, {
      campaignId: ref.campaignId,
      onProgress: pods =>
        pods % 200 === 0 &&
        Context.current().heartbeat({ phase: 'selecting', cluster, pods }),
    });
  } catch (error) {
    if (error instanceof UnresolvedEntityError)
      throw ApplicationFailure.nonRetryable(error.message, 'UnresolvedEntity');
    throw error;
  }
}

/** Holds one target for the campaign and records its batch, whether that batch is the canary, and its previous image. */
async function hold(
  ref: CampaignRef,
  target: ClusterTarget,
  batch: TargetBatch,
): Promise<{ held: TargetObject } | string> {
  const kind = targetKindFor(ref.spec.mode);
  // Discovery took it from a campaign that no longer runs, if it had a holder at all; any other holder came meanwhile.
  const staleHolder = target.object.metadata?.labels?.[CAMPAIGN_LABELS.hold];
  const outcome = await guardedWrite(ref, target, (object: TargetObject) => {
    const labels = object.metadata?.labels ?? {};
    const holder = labels[CAMPAIGN_LABELS.hold];
    if (holder && holder !== ref.campaignId && holder !== staleHolder)
      return { refuse: `claimed by campaign ${holder} meanwhile` };
    const container = findContainer(kind.podSpec(object), ref.spec.container);
    if (!container)
      return { refuse: `no container named ${ref.spec.container}` };
    const mine = holder === ref.campaignId;
    return [
      ...metadataOps(object, 'labels', {
        [CAMPAIGN_LABELS.hold]: ref.campaignId,
        [CAMPAIGN_LABELS.campaign]: ref.campaignId,
        [CAMPAIGN_LABELS.batch]: String(batch.index),
        [CAMPAIGN_LABELS.state]: mine
          ? (labels[CAMPAIGN_LABELS.state] ?? 'pending')
          : 'pending',
      }),
      ...metadataOps(object, 'annotations', {
        [CAMPAIGN_ANNOTATIONS.container]: ref.spec.container,
        [CAMPAIGN_ANNOTATIONS.targetImage]: ref.spec.targetImage,
        [CAMPAIGN_ANNOTATIONS.previousImage]: mine
          ? (object.metadata?.annotations?.[
              CAMPAIGN_ANNOTATIONS.previousImage
            ] ?? container.image)
          : container.image,
        [CAMPAIGN_ANNOTATIONS.failureReason]: null,
        [CANARY_ANNOTATION]: batch.canary ? 'true' : null,
      }),
    ];
  });
  if (outcome.kind === 'written') return { held: outcome.object };
  return outcome.kind === 'gone'
    ? `${kind.noun} deleted before it was claimed`
    : outcome.reason;
}
