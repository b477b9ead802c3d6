import { z } from 'zod';
import type { JsonObject, JsonValue } from '@backstage/types';
import {
  CAMPAIGN_PHASES,
  isDns1123Label,
  parseCampaignSpec,
  parseEntityRef,
  type CampaignSpec,
  type CampaignPhase,
  type PlanFingerprint,
} from '@internal/plugin-sidecars-common';
import { FieldsInputError } from '../errors';
import { parseOrThrow } from './validation';

const isPlainObject = (value: unknown): value is JsonObject =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * `defaults` under `override`: objects merge key by key, anything else in `override` wins.
 * Reads own keys only and builds with Object.fromEntries (which defines, never assigns), so a key
 * such as "__proto__" stays an ordinary key the schema sees, and no prototype is read or written.
 */
export function mergeUnder(
  defaults: JsonValue | undefined,
  override: unknown,
): unknown {
  if (!isPlainObject(defaults) || !isPlainObject(override))
    return override === undefined ? defaults : override;
  const keys = new Set([...Object.keys(defaults), ...Object.keys(override)]);
  return Object.fromEntries(
    [...keys].map(key => {
      const base = Object.hasOwn(defaults, key) ? defaults[key] : undefined;
      return [
        key,
        Object.hasOwn(override, key) ? mergeUnder(base, override[key]) : base,
      ];
    }),
  );
}

const RESEND_FINGERPRINT =
  'send back the "fingerprint" of the plan preview (POST /campaigns/plan) unchanged, or leave previewedPlan out';
const count = z
  .number({ error: `must be a whole number: ${RESEND_FINGERPRINT}` })
  .int({ error: RESEND_FINGERPRINT })
  .nonnegative({ error: RESEND_FINGERPRINT });
const text = (max: number) =>
  z
    .string({ error: `must be text: ${RESEND_FINGERPRINT}` })
    .max(max, { error: RESEND_FINGERPRINT });
const previewedPlanSchema: z.ZodType<PlanFingerprint> = z.strictObject(
  {
    clusters: z
      .array(text(253), {
        error: `must be a list of cluster names: ${RESEND_FINGERPRINT}`,
      })
      .max(1000),
    selectedPods: count,
    targets: count,
    skipped: count,
    partitioned: count,
    batchSizes: text(10_000),
  },
  { error: `previewedPlan must be an object: ${RESEND_FINGERPRINT}` },
);

const campaignRequestSchema = z.strictObject({
  spec: z.unknown().refine(value => value !== undefined, {
    message:
      'spec is required: send {"spec": {"container": "...", "targetImage": "...", "selector": {...}}}',
  }),
  previewedPlan: previewedPlanSchema.optional(),
});

/** The body of POST /campaigns and /campaigns/plan: `{ spec }`, validated with the configured defaults merged under it. */
export function parseCampaignRequest(
  body: unknown,
  defaults: JsonObject,
): CampaignSpec {
  if (!isPlainObject(body)) {
    throw new FieldsInputError([
      {
        field: '',
        message:
          'the request body must be a JSON object: send {"spec": {...}} with Content-Type application/json',
      },
    ]);
  }
  const { spec } = parseOrThrow(
    campaignRequestSchema,
    body,
    'campaign request',
  );
  const parsed = parseCampaignSpec(
    isPlainObject(spec) ? mergeUnder(defaults, spec) : spec,
  );
  if (!parsed.ok)
    throw new FieldsInputError(parsed.errors, 'invalid campaign spec');
  return parsed.spec;
}

/** The preview a start request says the user approved (`previewedPlan`), if it sent one; the body was validated by parseCampaignRequest. */
export function previewedPlanOf(body: unknown): PlanFingerprint | undefined {
  return parseOrThrow(campaignRequestSchema, body, 'campaign request')
    .previewedPlan;
}

const entityRefParam = z.string().refine(value => parseEntityRef(value).ok, {
  message: 'must be an entity reference such as "component:default/checkout"',
});

export const inventoryQuerySchema = z.strictObject({
  entityRef: z
    .string({
      error: 'entityRef is required: pass ?entityRef=component:default/NAME',
    })
    .pipe(entityRefParam),
});

const containerParam = z
  .string({
    error: 'container is required: pass ?container=NAME, e.g. istio-proxy',
  })
  .refine(isDns1123Label, {
    message:
      'must be a container name (lowercase letters, digits and "-"), e.g. istio-proxy',
  });

export const fleetQuerySchema = z.strictObject({ container: containerParam });

export const listQuerySchema = z.strictObject({
  phase: z
    .enum(CAMPAIGN_PHASES, {
      error: `phase must be one of ${CAMPAIGN_PHASES.join(', ')}`,
    })
    .optional() as z.ZodOptional<z.ZodType<CampaignPhase>>,
  entityRef: entityRefParam.optional(),
  container: containerParam.optional(),
  pageSize: z.coerce
    .number({ error: 'pageSize must be a whole number from 1 to 100' })
    .int({ error: 'pageSize must be a whole number from 1 to 100' })
    .min(1, { error: 'pageSize must be a whole number from 1 to 100' })
    .max(100, { error: 'pageSize must be a whole number from 1 to 100' })
    .default(20),
  nextPageToken: z
    .string()
    .regex(/^[A-Za-z0-9_-]+={0,2}$/, {
      error: 'nextPageToken must be the token a previous page returned',
    })
    .optional(),
});

export const controlBodySchema = z.strictObject({
  reason: z
    .string({ error: 'reason must be text, e.g. "error rate up on canary"' })
    .trim()
    .min(1, { error: 'reason is empty: say why, or omit it' })
    .max(500, { error: 'reason is longer than 500 characters: shorten it' })
    .optional(),
});

export const parseInventoryQuery = (query: unknown) =>
  parseOrThrow(inventoryQuerySchema, query, 'inventory query');
export const parseFleetQuery = (query: unknown) =>
  parseOrThrow(fleetQuerySchema, query, 'fleet query');
export const parseListQuery = (query: unknown) =>
  parseOrThrow(listQuerySchema, query, 'campaign list query');
export const parseControlBody = (body: unknown) =>
  parseOrThrow(controlBodySchema, body, 'control request');
