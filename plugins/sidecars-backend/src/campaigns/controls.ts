import {
  CONTROL_PHASES,
  type CampaignSignal,
  type CampaignStatus,
} from '@internal/plugin-sidecars-common';

const awaitingApproval = (status: CampaignStatus) =>
  status.waves?.find(wave => wave.gate?.state === 'awaiting-approval');

/** A campaign in waves paused only by a gate waiting for approval: resume would not start the wave. */
const onlyAtGate = (status: CampaignStatus) =>
  status.pauseCauses?.length === 1 && status.pauseCauses[0] === 'gate';

/** Controls that apply to a campaign now; a closed workflow (its rollback window over) takes none, approve needs a wave gate waiting for it, and resume a pause it can lift. */
export function applicableControls(
  status: CampaignStatus,
  open: boolean,
): CampaignSignal[] {
  if (!open) return [];
  return (Object.keys(CONTROL_PHASES) as CampaignSignal[]).filter(
    action =>
      CONTROL_PHASES[action].includes(status.phase) &&
      (action !== 'approve' || awaitingApproval(status) !== undefined) &&
      (action !== 'resume' || !onlyAtGate(status)),
  );
}

export function notApplicableMessage(
  action: CampaignSignal,
  id: string,
  status: CampaignStatus,
  open: boolean,
): string {
  const { phase } = status;
  const gated = awaitingApproval(status);
  if (action === 'resume' && open && onlyAtGate(status) && gated)
    return `cannot resume campaign ${id}: wave "${gated.name}" waits for approval, not for a resume: approve it to start it`;
  if (action === 'approve' && open && !gated)
    return `cannot approve campaign ${id}: no wave gate waits for approval (it is ${phase}${status.waves ? '' : ' and has no waves'})`;
  if (!open)
    return `cannot ${action} campaign ${id}: it has ended (${phase})${phase === 'Completed' ? ' and its rollback window is over' : ''}`;
  return `cannot ${action} campaign ${id} while it is ${phase}: ${action} applies only while it is ${CONTROL_PHASES[action].join(' or ')}`;
}
