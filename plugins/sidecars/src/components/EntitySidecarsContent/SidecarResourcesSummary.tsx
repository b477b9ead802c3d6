import { Typography } from '@material-ui/core';
import type {
  ResourceAmounts,
  SidecarResources,
} from '@internal/plugin-sidecars-common';
import { formatShare } from '../../format';

function describe(
  name: string,
  requests: ResourceAmounts,
  limits: ResourceAmounts,
  key: keyof ResourceAmounts,
  share?: number,
) {
  const request = requests[key] ?? 'no request';
  const limit = limits[key] ?? 'no limit';
  const shareText = formatShare(share);
  return `${name} ${request} / ${limit}${shareText ? ` · ${shareText} of pod` : ''}`;
}

/** Requests / limits, and the sidecar's share of the pod's requests. */
export function SidecarResourcesSummary(props: {
  resources: SidecarResources;
}) {
  const { requests, limits, shareOfPod } = props.resources;
  return (
    <>
      <Typography variant="body2">
        {describe('CPU', requests, limits, 'cpu', shareOfPod.cpu)}
      </Typography>
      <Typography variant="body2">
        {describe('Memory', requests, limits, 'memory', shareOfPod.memory)}
      </Typography>
    </>
  );
}
