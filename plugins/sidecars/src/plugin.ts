import {
  createApiFactory,
  createComponentExtension,
  createPlugin,
  createRoutableExtension,
  discoveryApiRef,
  fetchApiRef,
} from '@backstage/core-plugin-api';
import { SidecarsClient, sidecarsApiRef } from './api';
import { accountingRouteRef, campaignRouteRef, rootRouteRef } from './routes';

/** The Sidecar Campaigns plugin for Backstage's legacy frontend system (see `/alpha` for the new one). */
export const sidecarsPlugin = createPlugin({
  id: 'sidecars',
  apis: [
    createApiFactory({
      api: sidecarsApiRef,
      deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
      factory: ({ discoveryApi, fetchApi }) =>
        new SidecarsClient({ discoveryApi, fetchApi }),
    }),
  ],
  routes: {
    root: rootRouteRef,
    campaign: campaignRouteRef,
    accounting: accountingRouteRef,
  },
});

/** The campaigns page: mount it at /sidecars with a trailing wildcard, e.g. `<Route path="/sidecars/*" element={<SidecarCampaignsPage />} />`. */
export const SidecarCampaignsPage = sidecarsPlugin.provide(
  createRoutableExtension({
    name: 'SidecarCampaignsPage',
    component: () =>
      import('./components/SidecarCampaignsPage').then(
        m => m.SidecarCampaignsPage,
      ),
    mountPoint: rootRouteRef,
  }),
);

/** The Sidecars tab of a component's entity page: `<EntityLayout.Route path="/sidecars" title="Sidecars"><EntitySidecarsContent /></EntityLayout.Route>`. */
export const EntitySidecarsContent = sidecarsPlugin.provide(
  createComponentExtension({
    name: 'EntitySidecarsContent',
    component: {
      lazy: () =>
        import('./components/EntitySidecarsContent').then(
          m => m.EntitySidecarsContent,
        ),
    },
  }),
);
