import {
  CONTROL_PHASES,
  type CampaignPhase,
  type CampaignSignal,
  type ControlSignalArgs,
} from '@internal/plugin-sidecars-common/src/workflow';

/** The controls a campaign has taken; carried across continueAsNew. */
export interface ControlState {
  paused: boolean;
  rollback: ControlSignalArgs | null;
  abort: ControlSignalArgs | null;
}

export const noControls = (): ControlState => ({
  paused: false,
  rollback: null,
  abort: null,
});

/**
 * Why `action` does not apply to the campaign as it stands, or undefined when it does. The workflow
 * is the one arbiter: controls are applied in the order they arrive, the first of abort and rollback
 * wins, and a control that no longer applies is recorded as ignored instead of being applied twice.
 */
export function controlRefusal(
  action: CampaignSignal,
  controls: ControlState,
  phase: CampaignPhase,
): string | undefined {
  if (controls.abort) return 'the campaign is already being aborted';
  if (controls.rollback) return 'the campaign is already rolling back';
  if (action === 'pause' && controls.paused)
    return 'the campaign is already paused';
  if (action === 'resume')
    return controls.paused ? undefined : 'the campaign is not paused';
  // While a paused campaign finishes its in-flight batch it still reports Running.
  const applies =
    CONTROL_PHASES[action].includes(phase) ||
    (controls.paused && CONTROL_PHASES[action].includes('Paused'));
  return applies ? undefined : `the campaign is ${phase}`;
}
