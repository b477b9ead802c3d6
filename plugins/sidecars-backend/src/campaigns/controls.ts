import {
  CONTROL_PHASES,
  type CampaignPhase,
  type CampaignSignal,
} from '@internal/plugin-sidecars-common';

/** Controls that apply to a campaign now; a closed workflow (its rollback window over) takes none. */
export function applicableControls(
  phase: CampaignPhase,
  open: boolean,
): CampaignSignal[] {
  if (!open) return [];
  return (Object.keys(CONTROL_PHASES) as CampaignSignal[]).filter(action =>
    CONTROL_PHASES[action].includes(phase),
  );
}

export function notApplicableMessage(
  action: CampaignSignal,
  id: string,
  phase: CampaignPhase,
  open: boolean,
): string {
  if (!open)
    return `cannot ${action} campaign ${id}: it has ended (${phase})${phase === 'Completed' ? ' and its rollback window is over' : ''}`;
  return `cannot ${action} campaign ${id} while it is ${phase}: ${action} applies only while it is ${CONTROL_PHASES[action].join(' or ')}`;
}
