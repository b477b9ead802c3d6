import { z } from 'zod';
import {
  describeCronProblem,
  templateIdOf,
  type CampaignSpec,
  type CampaignTemplateRequest,
} from '@internal/plugin-sidecars-common';
import type { JsonObject } from '@backstage/types';
import { FieldsInputError, fieldError } from '../errors';
import { parseCampaignRequest } from './requests';
import { parseOrThrow } from './validation';

const EXAMPLE =
  'send {"name":"nightly fluent-bit","cron":"0 2 * * 2","timeZone":"UTC","spec":{...}}';

const knownTimeZone = (value: string) => {
  try {
    return (
      Intl.DateTimeFormat('en-US', { timeZone: value }).resolvedOptions()
        .timeZone.length > 0
    );
  } catch {
    return false;
  }
};

const templateRequestSchema = z.strictObject({
  name: z
    .string({ error: `name is required (text): ${EXAMPLE}` })
    .trim()
    .min(1, { error: 'name must not be blank: name the template' })
    .max(100, { error: 'name must be at most 100 characters: shorten it' })
    .refine(name => templateIdOf(name) !== '', {
      error: 'name must contain a letter or digit, which make its id',
    }),
  cron: z
    .string({
      error: `cron is required: when a run starts, as a 5-field cron expression, e.g. "0 2 * * 2" for Tuesdays 02:00`,
    })
    .superRefine((value, ctx) => {
      const problem = describeCronProblem(value);
      if (problem)
        ctx.addIssue({
          code: 'custom',
          message: `"${value}" is not a usable cron expression: ${problem}. Write minute, hour, day of month, month and day of week, e.g. "0 2 * * 2" for Tuesdays 02:00`,
        });
    }),
  timeZone: z
    .string({
      error:
        'timeZone is required: the IANA time zone cron is read in, e.g. "UTC" or "Europe/Berlin"',
    })
    .refine(knownTimeZone, {
      error:
        'not a known IANA time zone: use a name such as "UTC", "Europe/Berlin" or "America/New_York"',
    }),
  targetImageFrom: z
    .strictObject(
      {
        clusters: z
          .array(z.string(), {
            error: 'must be a list of cluster names, e.g. ["production"]',
          })
          .min(1, {
            error: 'name at least one cluster whose version runs should follow',
          })
          .max(20),
      },
      {
        error:
          'targetImageFrom must be an object such as {"clusters":["production"]}',
      },
    )
    .optional(),
  spec: z.unknown(),
});

/** Runs a judgement of a campaign spec, naming its bad fields as fields of the template's `spec`. */
export async function underSpec<T>(judge: () => Promise<T>): Promise<T> {
  try {
    return await judge();
  } catch (error) {
    if (!(error instanceof FieldsInputError)) throw error;
    throw new FieldsInputError(
      error.fields.map(f => ({
        ...f,
        field: f.field && f.field !== 'spec' ? `spec.${f.field}` : 'spec',
      })),
      'invalid campaign spec',
    );
  }
}

export type TemplateRequest = Omit<CampaignTemplateRequest, 'spec'> & {
  id: string;
  spec: CampaignSpec;
};

/**
 * The body of POST /campaign-templates: the spec is judged as POST /campaigns judges one (its
 * field errors under `spec.`), the rest here; `clusterNames` are the configured clusters.
 */
export async function parseTemplateRequest(
  body: unknown,
  defaults: JsonObject,
  clusterNames: readonly string[],
): Promise<TemplateRequest> {
  const { spec: rawSpec, ...rest } = parseOrThrow(
    templateRequestSchema,
    body,
    'campaign template',
  );
  const spec = await underSpec(async () =>
    parseCampaignRequest({ spec: rawSpec }, defaults),
  );
  if (spec.schedule?.notBefore)
    throw fieldError(
      'spec.schedule.notBefore',
      "a template's runs start at its cron times: leave notBefore out",
    );
  const unknown = (rest.targetImageFrom?.clusters ?? []).findIndex(
    c => !clusterNames.includes(c),
  );
  if (unknown >= 0)
    throw fieldError(
      `targetImageFrom.clusters.${unknown}`,
      `unknown cluster "${rest.targetImageFrom!.clusters[unknown]}": use one of ${clusterNames.join(', ')}`,
    );
  return { ...rest, id: templateIdOf(rest.name), spec };
}
