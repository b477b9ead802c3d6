import { ConfigReader } from '@backstage/config';
import type { DiscoveryApi, FetchApi } from '@backstage/core-plugin-api';
import {
  IdentityPermissionApi,
  permissionApiRef,
} from '@backstage/plugin-permission-react';
import { signalApiRef, type SignalApi } from '@backstage/plugin-signals-react';
import {
  TestApiProvider,
  mockApis,
  renderInTestApp,
} from '@backstage/test-utils';
import type { ReactElement } from 'react';
import { SWRConfig } from 'swr';
import { SidecarsClient, sidecarsApiRef } from '../api';
import { rootRouteRef } from '../routes';
import { BACKEND_URL } from './backend';

const discoveryApi: DiscoveryApi = {
  getBaseUrl: async pluginId => `${BACKEND_URL}/api/${pluginId}`,
};
const fetchApi: FetchApi = {
  fetch: (input, init) => globalThis.fetch(input, init),
};

/**
 * Renders in Backstage's test app with the real sidecars client and the real permission client,
 * both talking HTTP to the fake backend; the campaigns page is mounted at /sidecars. With
 * `signals`, the app has a signals API (as with the signals plugin installed); without, it has none.
 */
export function renderWithSidecars(
  element: ReactElement,
  options: { route?: string; signals?: SignalApi } = {},
) {
  const permissionApi = IdentityPermissionApi.create({
    config: new ConfigReader({ permission: { enabled: true } }),
    discovery: discoveryApi,
    identity: mockApis.identity(),
  });
  // usePermission caches decisions in SWR's global cache; each test starts with an empty one.
  return renderInTestApp(
    <SWRConfig value={{ provider: () => new Map() }}>
      <TestApiProvider
        apis={[
          [sidecarsApiRef, new SidecarsClient({ discoveryApi, fetchApi })],
          [permissionApiRef, permissionApi],
          ...(options.signals
            ? [[signalApiRef, options.signals] as const]
            : []),
        ]}
      >
        {element}
      </TestApiProvider>
    </SWRConfig>,
    {
      mountedRoutes: { '/sidecars': rootRouteRef },
      routeEntries: options.route ? [options.route] : undefined,
    },
  );
}
