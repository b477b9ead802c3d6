import {
  StatusError,
  StatusOK,
  StatusWarning,
} from '@backstage/core-components';
import { Typography } from '@material-ui/core';
import {
  adviseStartOrdering,
  type SidecarKind,
  type StartOrdering,
} from '@internal/plugin-sidecars-common';

const LABELS: Record<StartOrdering['kind'], string> = {
  native: 'Starts first (native)',
  'start-hook': 'App waits for it (start hook)',
  unordered: 'No start ordering',
};

/** Whether the app may start before this sidecar is ready, and what to change, in a service owner's words. */
export function StartOrderingNote(props: {
  container: string;
  ordering: StartOrdering;
  kind: SidecarKind;
}) {
  const { container, ordering, kind } = props;
  const advice = adviseStartOrdering(container, ordering, kind === 'injected');
  const label = LABELS[ordering.kind];
  let status;
  if (advice.risk === 'ok') status = <StatusOK>{label}</StatusOK>;
  else if (advice.risk === 'partial')
    status = <StatusWarning>{label}</StatusWarning>;
  else status = <StatusError>{label}</StatusError>;
  return (
    <>
      <Typography variant="body2">{status}</Typography>
      <Typography variant="caption" component="p">
        {advice.summary}
      </Typography>
      {advice.fix && (
        <Typography variant="caption" component="p" color="textSecondary">
          {advice.fix}
        </Typography>
      )}
    </>
  );
}
