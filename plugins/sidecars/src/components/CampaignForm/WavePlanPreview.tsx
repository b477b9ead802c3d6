import {
  Box,
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableRow,
  Typography,
} from '@material-ui/core';
import type { WavePlan } from '@internal/plugin-sidecars-common';
import { formatDuration } from '../../format';

function describeGate(gate: NonNullable<WavePlan['gate']>): string {
  const steps = [
    gate.bakeSeconds > 0
      ? `bakes ${formatDuration(gate.bakeSeconds)} after the wave before completes`
      : '',
    gate.approval
      ? "waits for approval by the campaign's owners or the platform team"
      : '',
  ].filter(Boolean);
  return steps.length > 0 ? steps.join(', then ') : 'starts at once';
}

const COLUMNS = [
  'Cluster',
  'Pods to upgrade',
  'Batches',
  'Max unavailable',
  'Skipped',
] as const;

/** The waves of a plan in order: each gate, then what the wave would do in each of its clusters. */
export function WavePlanPreview(props: { waves: readonly WavePlan[] }) {
  return (
    <Box mt={1} component="ol" p={0} aria-label="Planned waves">
      {props.waves.map((wave, index) => (
        <Box
          component="li"
          key={wave.name}
          mb={1}
          style={{ listStyle: 'none' }}
        >
          {wave.gate && (
            <Typography variant="body2" color="textSecondary">
              Gate before wave {wave.name}: {describeGate(wave.gate)}.
            </Typography>
          )}
          <Typography variant="subtitle2" component="h4">
            Wave {index + 1}: {wave.name}
          </Typography>
          <Table size="small" aria-label={`Wave ${wave.name} by cluster`}>
            <TableHead>
              <TableRow>
                {COLUMNS.map((column, i) => (
                  <TableCell key={column} align={i > 0 ? 'right' : 'left'}>
                    {column}
                  </TableCell>
                ))}
              </TableRow>
            </TableHead>
            <TableBody>
              {wave.lanes.map(lane => (
                <TableRow key={lane.cluster}>
                  <TableCell component="th" scope="row">
                    {lane.cluster}
                  </TableCell>
                  <TableCell align="right">{lane.pods}</TableCell>
                  <TableCell align="right">{lane.batches}</TableCell>
                  <TableCell align="right">{lane.maxUnavailable}</TableCell>
                  <TableCell align="right">{lane.skipped}</TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        </Box>
      ))}
    </Box>
  );
}
