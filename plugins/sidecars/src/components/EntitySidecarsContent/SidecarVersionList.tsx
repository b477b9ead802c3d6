import { Tooltip, Typography } from '@material-ui/core';
import type { SidecarVersionCount } from '@internal/plugin-sidecars-common';
import { pluralize } from '../../format';

/** Each running version with its pod count; the full image on hover. */
export function SidecarVersionList(props: {
  versions: readonly SidecarVersionCount[];
}) {
  return (
    <>
      {props.versions.map(version => (
        <Tooltip key={version.image} title={version.image}>
          <Typography variant="body2">
            <strong>{version.version}</strong> ·{' '}
            {pluralize(version.pods, 'pod')}
            {version.readyPods < version.pods
              ? ` (${version.readyPods} ready)`
              : ''}
          </Typography>
        </Tooltip>
      ))}
    </>
  );
}
