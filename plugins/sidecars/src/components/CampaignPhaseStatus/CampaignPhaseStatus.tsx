import {
  StatusAborted,
  StatusError,
  StatusOK,
  StatusPending,
  StatusRunning,
  StatusWarning,
} from '@backstage/core-components';
import type { CampaignPhase } from '@internal/plugin-sidecars-common';
import type { ComponentType, ReactNode } from 'react';

const STATUS_BY_PHASE: Record<
  CampaignPhase,
  ComponentType<{ children?: ReactNode }>
> = {
  Scheduled: StatusPending,
  Running: StatusRunning,
  Paused: StatusWarning,
  RollingBack: StatusWarning,
  Completed: StatusOK,
  RolledBack: StatusWarning,
  Failed: StatusError,
  Aborted: StatusAborted,
};

const LABEL_BY_PHASE: Record<CampaignPhase, string> = {
  Scheduled: 'Scheduled',
  Running: 'Running',
  Paused: 'Paused',
  RollingBack: 'Rolling back',
  Completed: 'Completed',
  RolledBack: 'Rolled back',
  Failed: 'Failed',
  Aborted: 'Aborted',
};

export function phaseLabel(phase: CampaignPhase): string {
  return LABEL_BY_PHASE[phase] ?? phase;
}

export function CampaignPhaseStatus(props: { phase: CampaignPhase }) {
  const Status = STATUS_BY_PHASE[props.phase] ?? StatusPending;
  return <Status>{phaseLabel(props.phase)}</Status>;
}
