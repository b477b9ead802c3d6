import { Chip, Tooltip } from '@material-ui/core';
import WarningIcon from '@material-ui/icons/Warning';
import { CRASH_LOOP_RESTARTS } from '@internal/plugin-sidecars-common';
import { pluralize } from '../../format';

/** A red flag on a sidecar that crash-loops in some of the workload's pods; nothing otherwise. */
export function CrashLoopFlag(props: { container: string; pods: number }) {
  const { container, pods } = props;
  if (pods === 0) return null;
  return (
    <Tooltip
      title={`${container} is in CrashLoopBackOff, or restarted ${CRASH_LOOP_RESTARTS} times or more in the last hour, in ${pluralize(pods, 'pod')}: those pods are not Ready. Check its logs and recent image or config changes; roll back a campaign that changed it.`}
    >
      <Chip
        size="small"
        color="secondary"
        icon={<WarningIcon />}
        label={`Crash-looping in ${pluralize(pods, 'pod')}`}
      />
    </Tooltip>
  );
}
