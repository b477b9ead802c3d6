import {
  StatusOK,
  StatusPending,
  StatusWarning,
} from '@backstage/core-components';
import type { WorkloadSidecar } from '@internal/plugin-sidecars-common';
import { pluralize } from '../../format';

/** How far this workload's sidecar lags behind the newest version running anywhere in the fleet. */
export function DriftBadge(props: {
  sidecar: Pick<
    WorkloadSidecar,
    'drift' | 'versionsBehind' | 'newestFleetVersion'
  >;
}) {
  const { drift, versionsBehind, newestFleetVersion } = props.sidecar;
  if (drift === 'current') return <StatusOK>Current</StatusOK>;
  if (drift === 'behind') {
    const distance =
      versionsBehind === undefined
        ? 'Behind'
        : `${pluralize(versionsBehind, 'version')} behind`;
    return (
      <StatusWarning>
        {newestFleetVersion
          ? `${distance} (newest ${newestFleetVersion})`
          : distance}
      </StatusWarning>
    );
  }
  return <StatusPending>Unknown (version not comparable)</StatusPending>;
}
