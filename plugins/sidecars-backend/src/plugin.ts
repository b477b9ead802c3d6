import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { sidecarsPermissions } from '@internal/plugin-sidecars-common';
import { CampaignPlanner } from './campaigns/planner';
import { CampaignService } from './campaigns/service';
import { createTemporalClient } from './campaigns/temporal';
import { EntityLookup } from './catalog/entities';
import { readSidecarsSettings } from './config';
import { createRouter } from './http/router';
import { FleetService } from './inventory/fleet';
import { InventoryService } from './inventory/inventory';
import { PodCache } from './inventory/podCache';
import { createClusterReaders } from './kubernetes/clusters';
import { CampaignAccess } from './permissions/access';

/** Sidecar inventory and campaigns: the REST API under /api/sidecars. */
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
        catalog: catalogServiceRef,
      },
      async init({
        config,
        logger,
        httpRouter,
        httpAuth,
        permissions,
        permissionsRegistry,
        lifecycle,
        catalog,
      }) {
        const settings = readSidecarsSettings(config);
        permissionsRegistry.addPermissions(sidecarsPermissions);

        const client = createTemporalClient(settings.temporal);
        lifecycle.addShutdownHook(() => client.connection.close());
        const campaigns = new CampaignService(client, settings.temporal);
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
            planner: new CampaignPlanner(clients, settings.clusterTimeoutMs),
            campaigns,
          }),
        );
        logger.info(
          `sidecars: Temporal ${settings.temporal.address} (namespace ${settings.temporal.namespace}, task queue ${settings.temporal.taskQueue}); clusters ${settings.clusters.map(c => c.name).join(', ') || 'none'}`,
        );
      },
    });
  },
});
