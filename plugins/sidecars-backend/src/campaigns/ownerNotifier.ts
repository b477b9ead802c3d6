import type { LoggerService } from '@backstage/backend-plugin-api';
import type { NotificationService } from '@backstage/plugin-notifications-node';
import type {
  CampaignChange,
  CampaignChangeListener,
  CampaignSnapshot,
} from './changeFeed';
import type { TouchedEntity } from './campaignEntities';
import { milestoneOf, type CampaignMilestone } from './milestones';

export interface CampaignOwnerNotifierOptions {
  notifications: NotificationService;
  touchedEntities: (snapshot: CampaignSnapshot) => Promise<TouchedEntity[]>;
  logger: LoggerService;
}

/** The notification topic owners can mute in their notification settings. */
export const CAMPAIGN_NOTIFICATION_TOPIC = 'sidecar-campaigns';

/** The campaign's page in the portal (the sidecars page's default path), relative to the app's base URL. */
export const campaignPagePath = (campaignId: string) =>
  `/sidecars/campaigns/${encodeURIComponent(campaignId)}`;

/** One notification per campaign and entity: a later milestone updates it in place. */
export const notificationScope = (campaignId: string, entityRef: string) =>
  `sidecar-campaign:${campaignId}:${entityRef}`;

function describe(
  snapshot: CampaignSnapshot,
  entityRef: string,
  milestone: CampaignMilestone,
): string {
  const { id, counts } = snapshot.summary;
  const progress = counts
    ? ` ${counts.upgraded} of ${counts.total} pod(s) upgraded, ${counts.failed} failed, ${counts.rolledBack} rolled back.`
    : '';
  const reason = milestone.reason ? ` ${milestone.reason}.` : '';
  return `Campaign ${id} touches ${entityRef}.${reason}${progress}`;
}

/**
 * Tells the owners of each entity a campaign touches when it starts, pauses, fails pods, rolls
 * back, completes, fails or is aborted, through Backstage Notifications: one notification per
 * campaign and entity (its `scope`), updated in place, linking to the campaign's page. Recipients
 * are the entity's owner, which the notifications backend resolves to the users of that group.
 */
export class CampaignOwnerNotifier {
  constructor(private readonly options: CampaignOwnerNotifierOptions) {}

  /** For the change feed. */
  readonly listener: CampaignChangeListener = change => this.notify(change);

  async notify(change: CampaignChange): Promise<void> {
    const milestone = milestoneOf(change);
    if (!milestone) return;
    const { current } = change;
    const { id, container, targetImage } = current.summary;
    const entities = await this.options.touchedEntities(current);
    const sent = await Promise.allSettled(
      entities.map(({ entityRef, ownerRef }) =>
        this.options.notifications.send({
          recipients: { type: 'entity', entityRef: ownerRef ?? entityRef },
          payload: {
            title: `Sidecar campaign ${container} → ${targetImage} ${milestone.headline}`,
            description: describe(current, entityRef, milestone),
            link: campaignPagePath(id),
            severity: milestone.severity,
            topic: CAMPAIGN_NOTIFICATION_TOPIC,
            scope: notificationScope(id, entityRef),
          },
        }),
      ),
    );
    for (const outcome of sent)
      if (outcome.status === 'rejected') throw outcome.reason;
  }
}
