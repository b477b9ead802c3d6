import { createRouteRef, createSubRouteRef } from '@backstage/core-plugin-api';

/** The campaigns page (/sidecars in the app). */
export const rootRouteRef = createRouteRef({ id: 'sidecars' });

/** One campaign's detail page, below the campaigns page. */
export const campaignRouteRef = createSubRouteRef({
  id: 'sidecars/campaign',
  parent: rootRouteRef,
  path: '/campaigns/:id',
});

/** What one sidecar costs across the fleet and who pays, below the campaigns page. */
export const accountingRouteRef = createSubRouteRef({
  id: 'sidecars/accounting',
  parent: rootRouteRef,
  path: '/accounting',
});
