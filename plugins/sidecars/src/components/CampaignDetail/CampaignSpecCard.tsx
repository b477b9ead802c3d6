import { InfoCard, StructuredMetadataTable } from '@backstage/core-components';
import type { CampaignSpec } from '@internal/plugin-sidecars-common';
import { formatDuration } from '../../format';
import { describeAnalysis } from '../../analysisWords';

function describeSelector(selector: CampaignSpec['selector']): string {
  const parts = [
    selector.entityRef ? `pods of ${selector.entityRef}` : '',
    selector.namespaces ? `namespaces ${selector.namespaces.join(', ')}` : '',
    selector.labelSelector ? `labels ${selector.labelSelector}` : '',
    selector.fleetWide ? 'every pod running the container' : '',
  ].filter(Boolean);
  const clusters = selector.clusters
    ? `in ${selector.clusters.join(', ')}`
    : 'in all clusters';
  return `${parts.join('; ') || 'all pods'} ${clusters}`;
}

const MODE_WORDS: Record<CampaignSpec['mode'], string> = {
  'in-place': 'in place (only the sidecar restarts)',
  workload: 'workload restart',
  'to-native': 'move to a native sidecar (workload restart)',
};

function describeCanary(canary: CampaignSpec['strategy']['canary']): string {
  if (!canary) return 'none';
  return canary.then === 'pause'
    ? `${canary.size} pod(s), then pause for a manual resume`
    : `${canary.size} pod(s), then bake ${formatDuration(canary.bakeSeconds ?? 0)}`;
}

function describeSchedule(schedule: CampaignSpec['schedule']): string {
  if (!schedule) return 'start at once, any time';
  const notBefore = schedule.notBefore
    ? `not before ${new Date(schedule.notBefore).toLocaleString()}`
    : 'at once';
  const windows = schedule.windows
    ? schedule.windows
        .map(w => `${w.cron} for ${w.durationMinutes} min (${w.timeZone})`)
        .join('; ')
    : 'any time';
  return `${notBefore}; windows: ${windows}`;
}

/** The campaign's spec as the operator set it, with units spelled out. */
export function CampaignSpecCard(props: { spec: CampaignSpec }) {
  const { spec } = props;
  const { strategy } = spec;
  return (
    <InfoCard title="Spec">
      <StructuredMetadataTable
        metadata={{
          container: spec.container,
          'target image': spec.targetImage,
          pods: describeSelector(spec.selector),
          mode: MODE_WORDS[spec.mode],
          'max unavailable': String(strategy.maxUnavailable),
          canary: describeCanary(strategy.canary),
          'bake time': formatDuration(strategy.bakeSeconds),
          'health timeout': formatDuration(strategy.healthTimeoutSeconds),
          'failure budget': String(strategy.failureBudget),
          'on failure':
            strategy.onFailure === 'rollback'
              ? 'roll back upgraded pods'
              : 'pause',
          schedule: describeSchedule(spec.schedule),
          'metric gates': describeAnalysis(spec.analysis) ?? 'none',
        }}
      />
    </InfoCard>
  );
}
