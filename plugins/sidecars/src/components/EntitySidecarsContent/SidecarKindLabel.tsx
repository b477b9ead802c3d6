import { Chip, Tooltip } from '@material-ui/core';
import type { SidecarKind } from '@internal/plugin-sidecars-common';

const KIND_DESCRIPTIONS: Record<
  SidecarKind,
  { label: string; description: string }
> = {
  native: {
    label: 'Native',
    description:
      'An init container with restartPolicy Always, declared in the pod template; upgraded in place.',
  },
  injected: {
    label: 'Injected',
    description:
      'Added at admission by an injector (mesh, logging); not in the pod template, so upgraded in place.',
  },
  declared: {
    label: 'Declared',
    description:
      "A regular container in the workload's pod template; upgraded by restarting the workload.",
  },
};

/** How the sidecar got into the pod, which decides how it can be upgraded. */
export function SidecarKindLabel(props: { kind: SidecarKind }) {
  const { label, description } = KIND_DESCRIPTIONS[props.kind];
  return (
    <Tooltip title={description}>
      <Chip size="small" variant="outlined" label={label} />
    </Tooltip>
  );
}
