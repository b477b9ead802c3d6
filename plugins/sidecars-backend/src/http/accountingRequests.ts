import { z } from 'zod';
import {
  ACCOUNTING_GROUP_BYS,
  isDns1123Label,
  type AccountingGroupBy,
} from '@internal/plugin-sidecars-common';
import { parseOrThrow } from './validation';

const GROUP_BY_MESSAGE = `groupBy must be one of ${ACCOUNTING_GROUP_BYS.join(', ')}`;

export const accountingQuerySchema = z.strictObject({
  sidecar: z
    .string({
      error: 'sidecar is required: pass ?sidecar=NAME, e.g. istio-proxy',
    })
    .refine(isDns1123Label, {
      message:
        'must be a container name (lowercase letters, digits and "-"), e.g. istio-proxy',
    }),
  groupBy: z
    .enum(ACCOUNTING_GROUP_BYS, { error: GROUP_BY_MESSAGE })
    .default('team' satisfies AccountingGroupBy),
});

/** The query of GET /accounting: `sidecar` (a container name) and `groupBy` (team by default). */
export const parseAccountingQuery = (query: unknown) =>
  parseOrThrow(accountingQuerySchema, query, 'accounting query');
