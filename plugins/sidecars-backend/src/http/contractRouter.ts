import {
  createValidatedOpenApiRouterFromGeneratedEndpointMap,
  type TypedRouter,
} from '@backstage/backend-openapi-utils';
import { spec, type EndpointMap } from '../schema/openapi';

/**
 * The router typed by the OpenAPI contract (src/schema/openapi.yaml): each route's params, query,
 * body and JSON answer have the contract's types, and GET /openapi.json serves the contract.
 *
 * It is the generated `createOpenApiRouter` made synchronously, with request validation off: the
 * guards before it and the zod parsers in the routes judge every request, so that each 4xx names
 * the field and its fix; router.test.ts checks that the contract agrees with them on every case.
 * Authentication is Backstage's (httpAuth), not the validator's. Its default express.json() leaves
 * alone the body the guards' parser has already read.
 */
export function createContractRouter(): TypedRouter<EndpointMap> {
  return createValidatedOpenApiRouterFromGeneratedEndpointMap<EndpointMap>(
    spec,
    {
      validatorOptions: {
        validateRequests: false,
        validateResponses: false,
        validateSecurity: false,
      },
    },
  );
}
