import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { notificationService } from '@backstage/plugin-notifications-node';
import { signalsServiceRef } from '@backstage/plugin-signals-node';
import {
  sidecarsPermissions,
  type CampaignSpec,
} from '@internal/plugin-sidecars-common';
import { CampaignEntities } from './campaigns/campaignEntities';
import { campaignFreezes } from './campaigns/freezes';
import {
  CampaignChangeFeed,
  type CampaignSnapshot,
} from './campaigns/changeFeed';
import { publishChangeSignals } from './campaigns/changeSignals';
import { CampaignOwnerNotifier } from './campaigns/ownerNotifier';
import { CampaignPlanner } from './campaigns/planner';
import { CampaignService } from './campaigns/service';
import { CampaignTemplateService } from './campaigns/templates';
import { createTemporalClient } from './campaigns/temporal';
import { EntityLookup } from './catalog/entities';
import { entitiesWithPods } from './catalog/entityOwners';
import { readSidecarsSettings } from './config';
import { createRouter } from './http/router';
import { AccountingService } from './inventory/accounting';
import { FleetService } from './inventory/fleet';
import { InventoryService } from './inventory/inventory';
import { PodCache } from './inventory/podCache';
import { createClusterReaders } from './kubernetes/clusters';
import { CampaignAccess } from './permissions/access';

/** How long a closed campaign stays in the change feed's list: long enough that its final state is seen once. */
const WATCH_CLOSED_FOR_MS = 2 * 60_000;
/** Most campaigns the change feed lists at once. */
const WATCH_LIMIT = 1_000;

/**
 * Sidecar inventory and campaigns: the REST API under /api/sidecars, live updates through
 * Backstage Signals and owner notifications through Backstage Notifications.
 */
export const sidecarsPlugin = createBackendPlugin({
  pluginId: 'sidecars',
  register(env) {
    env.registerInit({
      deps: {
        config: coreServices.rootConfig,
        logger: coreServices.logger,
        httpRouter: coreServices.httpRouter,
        httpAuth: coreServices.httpAuth,
        permissions: coreServices.permissions,
        permissionsRegistry: coreServices.permissionsRegistry,
        lifecycle: coreServices.lifecycle,
        auth: coreServices.auth,
        catalog: catalogServiceRef,
        signals: signalsServiceRef,
        notifications: notificationService,
      },
      async init({
        config,
        logger,
        httpRouter,
        httpAuth,
        permissions,
        permissionsRegistry,
        lifecycle,
        auth,
        catalog,
        signals,
        notifications,
      }) {
        const settings = readSidecarsSettings(config);
        permissionsRegistry.addPermissions(sidecarsPermissions);

        const client = createTemporalClient(settings.temporal);
        let feed: CampaignChangeFeed | undefined;
        // One hook, as hooks run at once: the feed's list in flight must end before its connection closes.
        // The freezes sent to running campaigns at startup: given up at shutdown, before the connection closes.
        const stopSendingFreezes = new AbortController();
        let sendingFreezes: Promise<void> = Promise.resolve();
        lifecycle.addShutdownHook(async () => {
          stopSendingFreezes.abort();
          await Promise.all([feed?.stop(), sendingFreezes]);
          await client.connection.close();
        });
        const campaigns = new CampaignService(client, settings.temporal);
        const templates = new CampaignTemplateService(
          client,
          settings.temporal,
        );
        const clients = createClusterReaders(
          settings.clusters,
          settings.clusterTimeoutMs,
          id => campaigns.isActive(id),
        );
        const cache = settings.inventory.watch
          ? new PodCache(settings.clusters, {
              timeoutMs: settings.clusterTimeoutMs,
              graceMs: settings.inventory.watchGraceMs,
            })
          : undefined;
        if (cache) {
          // Not awaited: until a cluster's cache has synced, its requests list it directly.
          void cache.start();
          lifecycle.addShutdownHook(() => cache.stop());
        }
        const fleet = new FleetService(
          clients,
          settings.clusterTimeoutMs,
          settings.fleetCacheMs,
          cache,
        );

        if (settings.changeFeed.intervalMs > 0) {
          const entities = new CampaignEntities({
            catalog,
            auth,
            ...(cache
              ? { campaignPodLabels: id => cache.campaignPodLabels(id) }
              : {}),
          });
          const touchedEntities = (snapshot: CampaignSnapshot) =>
            entities.of(snapshot);
          const notifier = settings.changeFeed.notifyOwners
            ? new CampaignOwnerNotifier({
                notifications,
                touchedEntities,
                logger,
              })
            : undefined;
          const changeFeed = new CampaignChangeFeed({
            listWatched: () =>
              campaigns.listWatched(WATCH_CLOSED_FOR_MS, WATCH_LIMIT),
            listeners: [
              publishChangeSignals(signals, touchedEntities),
              ...(notifier ? [notifier.listener] : []),
            ],
            logger,
            intervalMs: settings.changeFeed.intervalMs,
          });
          feed = changeFeed;
          lifecycle.addStartupHook(() => changeFeed.start());
        }

        const freezesOf = (spec: CampaignSpec) =>
          campaignFreezes(settings.freezes, spec, new Date()).freezes;
        // Also with no freezes configured, so that running campaigns let go of removed ones.
        lifecycle.addStartupHook(() => {
          // Not awaited: a Temporal that is down must not hold the backend's start.
          sendingFreezes = client
            .withAbortSignal(stopSendingFreezes.signal, () =>
              // Both settle before the backend stops: a call still retrying must not outlive the connection.
              Promise.allSettled([
                campaigns.sendFreezes(freezesOf),
                // Templates carry them in their runs' input: the campaigns they start later know them from their start.
                templates.refreshFreezes(freezesOf),
              ]),
            )
            .then(([sent, rewritten]) => {
              if (sent.status === 'fulfilled')
                logger.info(
                  `sent the configured freezes to ${sent.value} running campaign(s)`,
                );
              else
                logger.warn(
                  `could not send the configured freezes to the running campaigns: ${sent.reason}`,
                );
              if (rewritten.status === 'fulfilled')
                logger.info(
                  `gave ${rewritten.value} template(s) the configured freezes`,
                );
              else
                logger.warn(
                  `could not give the templates the configured freezes: ${rewritten.reason}`,
                );
            });
        });
        // The router authenticates every request itself, so that a 401 carries its JSON error body.
        httpRouter.addAuthPolicy({ path: '/', allow: 'unauthenticated' });
        httpRouter.use(
          createRouter({
            settings,
            logger,
            httpAuth,
            access: new CampaignAccess(permissions),
            entities: new EntityLookup(catalog),
            inventory: new InventoryService(
              clients,
              settings.knownSidecars,
              settings.clusterTimeoutMs,
              fleet,
              cache,
            ),
            fleet,
            accounting: new AccountingService(
              clients,
              settings.clusterTimeoutMs,
              cache,
            ),
            entityOwners: credentials => entitiesWithPods(catalog, credentials),
            planner: new CampaignPlanner(clients, settings.clusterTimeoutMs),
            campaigns,
            templates,
          }),
        );
        logger.info(
          `sidecars: Temporal ${settings.temporal.address} (namespace ${settings.temporal.namespace}, task queue ${settings.temporal.taskQueue}); clusters ${settings.clusters.map(c => c.name).join(', ') || 'none'}`,
        );
      },
    });
  },
});
