import { ApplicationFailure, Context } from '@temporalio/activity';
import type { KubeConfig } from '@kubernetes/client-node';
import type { PlanFingerprint } from '@internal/plugin-sidecars-common';
import {
  CAMPAIGN_ANNOTATIONS,
  CAMPAIGN_LABELS,
  describePlanChange,
  holderOf,
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
import { heartbeatProgress } from './progress';
import { targetKindFor, type TargetObject } from '../kube/targets';
import {
  BULK_WRITE_CONCURRENCY,
  forEachLimited,
  targetClusters,
  targetKey,
  type ActivityDependencies,
  type ClusterTarget,
} from './context';
import {
  CANARY_ANNOTATION,
  guardedWrite,
  imageChangeOps,
  type WriteOutcome,
} from './transitions';

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

/** One planned target and the batch the plan put it in. */
export interface Assignment {
  target: ClusterTarget;
  batch: TargetBatch;
}

/** The planned targets in plan order (batch 0 first). */
export function assignmentsOf({ plan, clusters }: PlannedClaim): Assignment[] {
  return plan.batches.flatMap(batch =>
    batch.keys.map(key => {
      const planned = plan.targets.get(key)!;
      return {
        target: {
          cluster: planned.cluster,
          kc: clusters.get(planned.cluster)!,
          object: planned.object,
        },
        batch,
      };
    }),
  );
}

/** What holding targets came to: how many are the campaign's, and why the others are not. */
export interface Holds {
  claimed: number;
  refused: SkippedTarget[];
}

/** Holds the planned targets in plan order (batch 0 first), many at a time. */
export async function holdPlanned(
  ref: CampaignRef,
  planned: PlannedClaim,
): Promise<ClaimResult> {
  const holds = await holdTargets(ref, assignmentsOf(planned));
  return claimResult(ref, planned, holds);
}

/**
 * Holds `assignments` in the order given, many at a time, and heartbeats how many it held unless
 * `reportProgress` is false (beside a rolling window, whose heartbeat reports the campaign's progress).
 */
export async function holdTargets(
  ref: CampaignRef,
  assignments: readonly Assignment[],
  { reportProgress = true }: { reportProgress?: boolean } = {},
): Promise<Holds> {
  const holds: Holds = { claimed: 0, refused: [] };
  await forEachLimited(
    assignments,
    BULK_WRITE_CONCURRENCY,
    async ({ target, batch }) => {
      const outcome = await hold(ref, target, batch);
      if (typeof outcome === 'string')
        holds.refused.push({ target: targetKey(target), reason: outcome });
      else holds.claimed += 1;
      if (reportProgress && (holds.claimed + holds.refused.length) % 100 === 0)
        heartbeatProgress({ stage: 'holding', held: holds.claimed });
    },
  );
  return holds;
}

/** The claim's result for the workflow, from the plan and what became of its holds. */
export function claimResult(
  ref: CampaignRef,
  { plan, clusters, startedAt, plannedAt }: PlannedClaim,
  { claimed, refused }: Holds,
): ClaimResult {
  const skipped: SkippedTarget[] = [
    ...plan.skipped.map(({ target, reason }) => ({ target, reason })),
    ...plan.partitioned.map(target => ({
      target,
      reason: 'left on the old version by the partition',
    })),
    ...refused,
  ];
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
        heartbeatProgress({ stage: 'selecting', cluster, listed: pods }),
    });
  } catch (error) {
    if (error instanceof UnresolvedEntityError)
      throw ApplicationFailure.nonRetryable(error.message, 'UnresolvedEntity');
    throw error;
  }
}

type HoldDecision =
  | { refuse: string }
  | {
      /** The campaign held it already (a retry): its state and previous image stand. */
      mine: boolean;
      labels: Record<string, string>;
      annotations: Record<string, string | null>;
    };

/** The labels and annotations that hold one target for the campaign (its batch, whether that is the canary, its previous image), or why it may not be held. */
function holdDecision(
  ref: CampaignRef,
  object: TargetObject,
  batch: TargetBatch,
  /** The holder discovery saw and found inactive: discovery took the target from it. */
  staleHolder: string | undefined,
): HoldDecision {
  const kind = targetKindFor(ref.spec.mode);
  const labels = object.metadata?.labels ?? {};
  const holder = labels[CAMPAIGN_LABELS.hold];
  if (holder && holder !== ref.campaignId && holder !== staleHolder)
    return { refuse: `claimed by campaign ${holder} meanwhile` };
  const container = findContainer(kind.podSpec(object), ref.spec.container);
  if (!container) return { refuse: `no container named ${ref.spec.container}` };
  // Held by its label, or changed by this campaign already (a retry after that write let go of the label).
  const mine = holderOf(object) === ref.campaignId;
  return {
    mine,
    labels: {
      [CAMPAIGN_LABELS.hold]: ref.campaignId,
      [CAMPAIGN_LABELS.campaign]: ref.campaignId,
      [CAMPAIGN_LABELS.batch]: String(batch.index),
    },
    annotations: {
      [CAMPAIGN_ANNOTATIONS.container]: ref.spec.container,
      [CAMPAIGN_ANNOTATIONS.targetImage]: ref.spec.targetImage,
      [CAMPAIGN_ANNOTATIONS.previousImage]: mine
        ? (object.metadata?.annotations?.[CAMPAIGN_ANNOTATIONS.previousImage] ??
          container.image!)
        : container.image!,
      [CAMPAIGN_ANNOTATIONS.failureReason]: null,
      [CANARY_ANNOTATION]: batch.canary ? 'true' : null,
    },
  };
}

const staleHolderOf = (target: ClusterTarget) =>
  target.object.metadata?.labels?.[CAMPAIGN_LABELS.hold];

function refusal(ref: CampaignRef, outcome: WriteOutcome): string {
  return outcome.kind === 'refused'
    ? outcome.reason
    : `${targetKindFor(ref.spec.mode).noun} deleted before it was claimed`;
}

/** Holds one target for the campaign, pending, and records its batch. */
async function hold(
  ref: CampaignRef,
  target: ClusterTarget,
  batch: TargetBatch,
): Promise<{ held: TargetObject } | string> {
  const staleHolder = staleHolderOf(target);
  const outcome = await guardedWrite(ref, target, (object: TargetObject) => {
    const decision = holdDecision(ref, object, batch, staleHolder);
    if ('refuse' in decision) return decision;
    const state = object.metadata?.labels?.[CAMPAIGN_LABELS.state];
    return [
      ...metadataOps(object, 'labels', {
        ...decision.labels,
        [CAMPAIGN_LABELS.state]: decision.mine
          ? (state ?? 'pending')
          : 'pending',
      }),
      ...metadataOps(object, 'annotations', decision.annotations),
    ];
  });
  return outcome.kind === 'written'
    ? { held: outcome.object }
    : refusal(ref, outcome);
}

/**
 * Holds one planned target and starts its upgrade in the same write (pending → upgrading, once:
 * a target this campaign already moved past pending is left as it is). The write that claims a
 * pod of the running window also patches it, so the pod costs the API server one write less.
 */
export async function claimAndStartUpgrade(
  ref: CampaignRef,
  { target, batch }: Assignment,
): Promise<{ started: TargetObject } | string> {
  const staleHolder = staleHolderOf(target);
  const outcome = await guardedWrite(ref, target, (object: TargetObject) => {
    const decision = holdDecision(ref, object, batch, staleHolder);
    if ('refuse' in decision) return decision;
    const state = object.metadata?.labels?.[CAMPAIGN_LABELS.state];
    if (decision.mine && state !== 'pending') return 'done';
    return imageChangeOps(
      object,
      ref,
      decision.annotations[CAMPAIGN_ANNOTATIONS.previousImage]!,
      ref.spec.targetImage,
      'upgrading',
      new Date(),
      decision.annotations,
      decision.labels,
    );
  });
  return outcome.kind === 'written'
    ? { started: outcome.object }
    : refusal(ref, outcome);
}
