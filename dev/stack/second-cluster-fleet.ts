import {
  DEMO_FLEET,
  DEMO_NAMESPACES,
  DEMO_SERVICES,
  type DemoFleet,
} from './demo-fleet';
import type { StackClusterName } from './stack-clusters';

/** Services of the first cluster's fleet that kwok-2 runs as well, fewer replicas each. */
const SERVICES = ['ledger', 'catalog-search'];
const REPLICAS = 2;

/**
 * kwok-2's demo fleet: ledger (istio-proxy and fluent-bit injected, as in the first cluster) and
 * catalog-search (fluent-bit declared), so a campaign over both clusters has pods in each.
 * `npm start` seeds it; the browser tests do not, as they find a service's controls by its name.
 */
export const SECOND_CLUSTER_FLEET: DemoFleet = {
  services: DEMO_SERVICES.filter(s => SERVICES.includes(s.name)).map(s => ({
    ...s,
    replicas: REPLICAS,
  })),
  namespaces: DEMO_NAMESPACES.filter(ns =>
    DEMO_SERVICES.some(
      s => SERVICES.includes(s.name) && s.namespace === ns.name,
    ),
  ),
};

export const fleetOf = (cluster: StackClusterName): DemoFleet =>
  cluster === 'local' ? DEMO_FLEET : SECOND_CLUSTER_FLEET;
