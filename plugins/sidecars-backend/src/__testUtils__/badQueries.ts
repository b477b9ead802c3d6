import type { ApiErrorBody } from '@internal/plugin-sidecars-common';
import type { ContractCheck } from './contractCheck';
import type { routerWithFakes } from './routerFakes';

/** A GET request the router must answer 400, naming `field`. */
export interface BadQuery {
  name: string;
  path: string;
  field: string;
  says: RegExp;
  /** Whether the contract alone can tell the request is bad (a range's length, say, it cannot). */
  contractRejects: boolean;
}

/** Expects the router to answer the query 400, with a message for its field that says what it should. */
export async function expectRejected(
  harness: ReturnType<typeof routerWithFakes>,
  query: BadQuery,
): Promise<void> {
  const res = await harness.client().get(query.path).set(harness.auth);
  expect(res.status).toBe(400);
  const body = res.body as ApiErrorBody;
  expect(body.fields?.find(f => f.field === query.field)?.message).toMatch(
    query.says,
  );
}

/** Expects the contract to reject exactly the queries it can judge. */
export function expectContractJudges(
  contract: ContractCheck,
  bad: readonly BadQuery[],
): void {
  expect(
    bad.map(query => ({
      name: query.name,
      rejected:
        contract.requestProblems('get', query.path, undefined).length > 0,
    })),
  ).toEqual(
    bad.map(query => ({ name: query.name, rejected: query.contractRejects })),
  );
}
