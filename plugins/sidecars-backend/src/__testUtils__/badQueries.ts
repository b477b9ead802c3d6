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

/** The router's answer to a bad query: its status and what it says of the query's field. */
export async function answerTo(
  harness: ReturnType<typeof routerWithFakes>,
  query: BadQuery,
): Promise<{ status: number; message?: string }> {
  const res = await harness.client().get(query.path).set(harness.auth);
  const body = res.body as ApiErrorBody;
  return {
    status: res.status,
    message: body.fields?.find(f => f.field === query.field)?.message,
  };
}

/** Whether the contract rejects each query, by name: compare with `contractRejects`. */
export const contractVerdicts = (
  contract: ContractCheck,
  bad: readonly BadQuery[],
) =>
  bad.map(query => ({
    name: query.name,
    rejected: contract.requestProblems('get', query.path, undefined).length > 0,
  }));
