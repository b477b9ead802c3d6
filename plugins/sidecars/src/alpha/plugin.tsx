import {
  convertLegacyRouteRef,
  convertLegacyRouteRefs,
} from '@backstage/core-compat-api';
import {
  ApiBlueprint,
  PageBlueprint,
  createFrontendPlugin,
  discoveryApiRef,
  fetchApiRef,
} from '@backstage/frontend-plugin-api';
import { EntityContentBlueprint } from '@backstage/plugin-catalog-react/alpha';
import SyncAltIcon from '@material-ui/icons/SyncAlt';
import { SidecarsClient, sidecarsApiRef } from '../api';
import { accountingRouteRef, campaignRouteRef, rootRouteRef } from '../routes';

const sidecarsApi = ApiBlueprint.make({
  params: defineParams =>
    defineParams({
      api: sidecarsApiRef,
      deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
      factory: ({ discoveryApi, fetchApi }) =>
        new SidecarsClient({ discoveryApi, fetchApi }),
    }),
});

/** The campaigns page at /sidecars; its title and icon also make its sidebar entry. */
const sidecarCampaignsPage = PageBlueprint.make({
  params: {
    path: '/sidecars',
    title: 'Sidecar campaigns',
    icon: <SyncAltIcon fontSize="inherit" />,
    routeRef: convertLegacyRouteRef(rootRouteRef),
    noHeader: true,
    loader: () =>
      import('../components/SidecarCampaignsPage').then(m => (
        <m.SidecarCampaignsPage />
      )),
  },
});

/** The Sidecars tab on component entity pages. */
const entitySidecarsContent = EntityContentBlueprint.make({
  params: {
    path: 'sidecars',
    title: 'Sidecars',
    filter: { kind: 'component' },
    loader: () =>
      import('../components/EntitySidecarsContent').then(m => (
        <m.EntitySidecarsContent />
      )),
  },
});

/** The Sidecar Campaigns plugin for Backstage's new frontend system. */
export const sidecarsPlugin = createFrontendPlugin({
  pluginId: 'sidecars',
  title: 'Sidecar campaigns',
  icon: <SyncAltIcon fontSize="inherit" />,
  info: { packageJson: () => import('../../package.json') },
  routes: convertLegacyRouteRefs({
    root: rootRouteRef,
    campaign: campaignRouteRef,
    accounting: accountingRouteRef,
  }),
  extensions: [sidecarsApi, sidecarCampaignsPage, entitySidecarsContent],
});
