import type { SignalsService } from '@backstage/plugin-signals-node';
import {
  CAMPAIGN_SIGNAL_CHANNELS,
  type CampaignSignalMessage,
} from '@internal/plugin-sidecars-common';
import type { CampaignChangeListener, CampaignSnapshot } from './changeFeed';

/**
 * Publishes each campaign change as a Backstage signal on the list channel, the campaign's channel
 * and the channel of each entity whose pods it touches. Signals are broadcast (any signed-in user
 * may subscribe), so the message carries the campaign's id and phase only.
 */
export function publishChangeSignals(
  signals: SignalsService,
  touchedEntities: (
    snapshot: CampaignSnapshot,
  ) => Promise<ReadonlyArray<{ entityRef: string }>>,
): CampaignChangeListener {
  return async ({ current }) => {
    const { id, phase } = current.summary;
    const message: CampaignSignalMessage = { campaignId: id, phase };
    const publish = (channel: string) =>
      signals.publish({ recipients: { type: 'broadcast' }, channel, message });
    await Promise.all([
      publish(CAMPAIGN_SIGNAL_CHANNELS.campaign(id)),
      publish(CAMPAIGN_SIGNAL_CHANNELS.list),
    ]);
    const entities = await touchedEntities(current);
    await Promise.all(
      entities.map(({ entityRef }) =>
        publish(CAMPAIGN_SIGNAL_CHANNELS.entity(entityRef)),
      ),
    );
  };
}
