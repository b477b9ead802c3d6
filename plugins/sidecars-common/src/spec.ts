import { z } from 'zod';
import { durationSeconds } from './analysis';
import { CONDITION_EXAMPLE, conditionProblem } from './analysisConditions';
import { describeCronProblem } from './cron';
import { parseEntityRef } from './entityRef';
import { parseImageReference } from './imageReference';
import { isDns1123Label, isValidLabelKey } from './kubernetesNames';
import { parseLabelSelector } from './labelSelector';
import { parseQuantity } from './quantities';

export interface FieldError {
  /** Dotted path of the offending field, e.g. "strategy.maxUnavailable" or "schedule.windows.0.cron"; "" for the spec itself. */
  field: string;
  /** What is wrong and how to fix it. */
  message: string;
}

export type CampaignSpecParseResult =
  { ok: true; spec: CampaignSpec } | { ok: false; errors: FieldError[] };

interface IssueLike {
  readonly code?: string;
  readonly input?: unknown;
}

function show(value: unknown): string {
  let text: string;
  try {
    text = JSON.stringify(value) ?? String(value);
  } catch {
    // Nested too deep to stringify: name the kind of value instead.
    text = Array.isArray(value)
      ? 'a deeply nested list'
      : 'a deeply nested object';
  }
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

/** An error map for a schema's own type check: one message when the field is missing, another when it has the wrong type. */
function typeError(required: string, wrong: (input: unknown) => string) {
  return (issue: IssueLike) =>
    issue.input === undefined ? required : wrong(issue.input);
}

function withProblem<T>(problem: (value: T) => string | null) {
  return (value: T, ctx: z.RefinementCtx<T>) => {
    const message = problem(value);
    if (message !== null)
      ctx.addIssue({ code: 'custom', message, input: value });
  };
}

function objectError(field: string, hint: string) {
  return (issue: IssueLike) => {
    if (issue.code !== 'invalid_type') return undefined;
    if (issue.input === undefined) return `${field} is required: ${hint}`;
    return `${field} must be an object, got ${show(issue.input)}: ${hint}`;
  };
}

// --- identity ---------------------------------------------------------------------------------

const nameSchema = z
  .string({
    error: issue =>
      `name must be text, got ${show(issue.input)}: give a short title such as "istio-proxy 1.24 rollout", or omit it`,
  })
  .superRefine(
    withProblem((value: string) =>
      value.trim().length === 0 || value.length > 200
        ? `name must have 1 to 200 characters, got ${value.length}: give a short title such as "istio-proxy 1.24 rollout", or omit it`
        : null,
    ),
  );

const containerSchema = z
  .string({
    error: typeError(
      'container is required: set it to the name of the sidecar container to upgrade, e.g. "istio-proxy"',
      input =>
        `container must be text, got ${show(input)}: set it to the sidecar container's name, e.g. "istio-proxy"`,
    ),
  })
  .superRefine(
    withProblem((value: string) =>
      isDns1123Label(value)
        ? null
        : `${show(value)} is not a valid container name (at most 63 lowercase letters, digits and "-", starting and ending with a letter or digit): use the name exactly as in the pod spec, e.g. "istio-proxy"`,
    ),
  );

const IMAGE_EXAMPLE =
  'e.g. "docker.io/istio/proxyv2:1.24.2" or "registry.example.com/envoy@sha256:<64 hex digits>"';

const targetImageSchema = z
  .string({
    error: typeError(
      `targetImage is required: set it to the image to roll out, ${IMAGE_EXAMPLE}`,
      input =>
        `targetImage must be text, got ${show(input)}: use an image reference, ${IMAGE_EXAMPLE}`,
    ),
  })
  .superRefine(
    withProblem((value: string) => {
      const parsed = parseImageReference(value);
      if (!parsed.ok)
        return `${show(value)} is not a valid image reference: ${parsed.error}. Use ${IMAGE_EXAMPLE}`;
      if (parsed.image.tag === undefined && parsed.image.digest === undefined) {
        return `${show(value)} has no tag or digest, so the version to roll out is ambiguous: add one, e.g. "${value}:1.24.2" or "${value}@sha256:<64 hex digits>"`;
      }
      return null;
    }),
  );

// --- selector ---------------------------------------------------------------------------------

const LABEL_SELECTOR_EXAMPLE =
  '"app=web,tier!=db,env in (prod,staging),!legacy"';

const selectorShape = {
  clusters: z
    .array(
      z
        .string({
          error: issue =>
            `cluster names must be text, got ${show(issue.input)}: list names from the clusters configuration`,
        })
        .superRefine(
          withProblem((value: string) =>
            value.trim().length === 0
              ? 'a cluster name is empty: remove it or write the cluster name from the clusters configuration'
              : null,
          ),
        ),
      {
        error: issue =>
          `selector.clusters must be a list of cluster names, got ${show(issue.input)}: write e.g. ["prod-eu-1"], or omit it for all clusters`,
      },
    )
    .superRefine(
      withProblem((value: string[]) =>
        value.length === 0
          ? 'selector.clusters is empty, which would select nothing: list at least one cluster, or omit it for all clusters'
          : null,
      ),
    )
    .optional(),
  namespaces: z
    .array(
      z
        .string({
          error: issue =>
            `namespace names must be text, got ${show(issue.input)}: write e.g. "payments"`,
        })
        .superRefine(
          withProblem((value: string) =>
            isDns1123Label(value)
              ? null
              : `${show(value)} is not a valid namespace name (at most 63 lowercase letters, digits and "-"): write it as Kubernetes shows it, e.g. "payments"`,
          ),
        ),
      {
        error: issue =>
          `selector.namespaces must be a list of namespace names, got ${show(issue.input)}: write e.g. ["payments"], or omit it`,
      },
    )
    .superRefine(
      withProblem((value: string[]) =>
        value.length === 0
          ? 'selector.namespaces is empty, which would select nothing: list at least one namespace, or omit the field'
          : null,
      ),
    )
    .optional(),
  labelSelector: z
    .string({
      error: issue =>
        `selector.labelSelector must be text, got ${show(issue.input)}: write a Kubernetes label selector, e.g. ${LABEL_SELECTOR_EXAMPLE}`,
    })
    .superRefine(
      withProblem((value: string) => {
        const parsed = parseLabelSelector(value);
        return parsed.ok
          ? null
          : `invalid label selector: ${parsed.error}. Use Kubernetes label-selector syntax, e.g. ${LABEL_SELECTOR_EXAMPLE}`;
      }),
    )
    .optional(),
  entityRef: z
    .string({
      error: issue =>
        `selector.entityRef must be text, got ${show(issue.input)}: write a catalog entity reference, e.g. "component:default/checkout"`,
    })
    .superRefine(
      withProblem((value: string) => {
        const parsed = parseEntityRef(value);
        return parsed.ok
          ? null
          : `${show(value)} is not a valid entity reference: ${parsed.error}. Write [kind:][namespace/]name, e.g. "component:default/checkout" or "checkout"`;
      }),
    )
    .optional(),
  fleetWide: z
    .boolean({
      error: issue =>
        `selector.fleetWide must be true or false, got ${show(issue.input)}: set true only to confirm a campaign over every pod`,
    })
    .optional(),
};

const selectorSchema = z
  .strictObject(selectorShape, {
    error: objectError(
      'selector',
      'say which pods to upgrade, e.g. {"namespaces":["payments"],"labelSelector":"app=checkout"}',
    ),
  })
  .superRefine((selector, ctx) => {
    const narrowed =
      (selector.labelSelector !== undefined &&
        selector.labelSelector.trim() !== '') ||
      selector.entityRef !== undefined ||
      selector.namespaces !== undefined;
    if (!narrowed && selector.fleetWide !== true) {
      const where = selector.clusters
        ? 'in the listed clusters'
        : 'in every cluster';
      ctx.addIssue({
        code: 'custom',
        input: selector,
        message: `the selector matches every pod running this container ${where}: narrow it with selector.namespaces, selector.labelSelector or selector.entityRef, or set selector.fleetWide to true to confirm a fleet-wide campaign`,
      });
    }
  });

// --- strategy ---------------------------------------------------------------------------------

function countOrPercentSchema(field: string, minimum: 0 | 1, example: string) {
  const range = `a whole number of pods (${minimum} or more) or a percent from "${minimum}%" to "100%"`;
  return z
    .union([z.number(), z.string()], {
      error: typeError(
        `${field} is required: set it to ${range}, e.g. ${example}`,
        input =>
          `${field} must be ${range}, got ${show(input)}: use e.g. ${example}`,
      ),
    })
    .superRefine(
      withProblem((value: number | string) => {
        const quantity = parseQuantity(value);
        if (
          quantity !== null &&
          (quantity.kind === 'count' ? quantity.count : quantity.percent) >=
            minimum
        )
          return null;
        if (typeof value === 'string' && /^\d+$/.test(value)) {
          return `${field} is the text ${show(value)} without "%": write ${value} as a number for a pod count, or "${value}%" for a percent`;
        }
        return `${field} must be ${range}, got ${show(value)}: use e.g. ${example}`;
      }),
    );
}

function wholeNumberSchema(
  field: string,
  unit: string,
  minimum: number,
  example: string,
) {
  const expected = `a whole number of ${unit}, at least ${minimum}`;
  return z
    .number({
      error: typeError(
        `${field} is required: set it to ${expected}, e.g. ${example}`,
        input =>
          `${field} must be ${expected}, got ${show(input)}: use e.g. ${example}`,
      ),
    })
    .superRefine(
      withProblem((value: number) =>
        Number.isSafeInteger(value) && value >= minimum
          ? null
          : `${field} must be ${expected}, got ${show(value)}: use e.g. ${example}`,
      ),
    );
}

function labelKeySchema(field: string, purpose: string, example: string) {
  return z
    .string({
      error: typeError(
        `${field} is required: ${purpose}, e.g. "${example}"`,
        input =>
          `${field} must be a label key, got ${show(input)}: ${purpose}, e.g. "${example}"`,
      ),
    })
    .superRefine(
      withProblem((value: string) =>
        isValidLabelKey(value)
          ? null
          : `${show(value)} is not a valid label key ([prefix/]name, the name at most 63 letters, digits, "-", "_" or "."): ${purpose}, e.g. "${example}"`,
      ),
    );
}

const canaryShape = {
  size: countOrPercentSchema('strategy.canary.size', 1, '1 or "5%"'),
  then: z.enum(['pause', 'bake'], {
    error: typeError(
      'strategy.canary.then is required: set "pause" to wait for a manual resume after the canary, or "bake" to continue after canary.bakeSeconds',
      input =>
        `strategy.canary.then must be "pause" or "bake", got ${show(input)}: "pause" waits for a manual resume, "bake" continues after canary.bakeSeconds`,
    ),
  }),
  bakeSeconds: wholeNumberSchema(
    'strategy.canary.bakeSeconds',
    'seconds',
    1,
    '600',
  ).optional(),
};

const canarySchema = z
  .strictObject(canaryShape, {
    error: objectError(
      'strategy.canary',
      'write e.g. {"size":1,"then":"pause"}, or omit it for no canary batch',
    ),
  })
  .superRefine((canary, ctx) => {
    if (canary.then === 'bake' && canary.bakeSeconds === undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['bakeSeconds'],
        input: canary,
        message:
          'strategy.canary.then is "bake" but no bake time is set: set strategy.canary.bakeSeconds, e.g. 600, or use then: "pause" to wait for a manual resume',
      });
    }
    if (canary.then === 'pause' && canary.bakeSeconds !== undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['bakeSeconds'],
        input: canary,
        message:
          'strategy.canary.bakeSeconds only applies when then is "bake": remove it, or set then to "bake" to continue automatically after that time',
      });
    }
  });

const ORDER_HINT =
  'use {"by":"name"}, {"by":"priority","label":"<label key>"} or {"by":"scatter","topologyKey":"topology.kubernetes.io/zone"}';

const orderSchema = z.discriminatedUnion(
  'by',
  [
    z.strictObject({ by: z.literal('name') }),
    z.strictObject({
      by: z.literal('priority'),
      label: labelKeySchema(
        'strategy.order.label',
        'name the pod label whose numeric value orders the pods, highest first',
        'sidecar-campaigns.io/priority',
      ),
    }),
    z.strictObject({
      by: z.literal('scatter'),
      topologyKey: labelKeySchema(
        'strategy.order.topologyKey',
        'name the pod label to spread each batch across',
        'topology.kubernetes.io/zone',
      ),
    }),
  ],
  {
    error: issue => {
      if (issue.code !== 'invalid_union')
        return `strategy.order must be an object, got ${show(issue.input)}: ${ORDER_HINT}`;
      const by = (issue.input as { by?: unknown } | undefined)?.by;
      return by === undefined
        ? `strategy.order.by is required: ${ORDER_HINT}`
        : `strategy.order.by must be "name", "priority" or "scatter", got ${show(by)}: ${ORDER_HINT}`;
    },
  },
);

const strategyShape = {
  maxUnavailable: countOrPercentSchema(
    'strategy.maxUnavailable',
    1,
    '5 or "10%"',
  ).default('10%'),
  canary: canarySchema.optional(),
  partition: countOrPercentSchema(
    'strategy.partition',
    0,
    '2 or "50%"',
  ).optional(),
  order: orderSchema.default({ by: 'name' }),
  bakeSeconds: wholeNumberSchema(
    'strategy.bakeSeconds',
    'seconds',
    0,
    '300',
  ).default(0),
  healthTimeoutSeconds: wholeNumberSchema(
    'strategy.healthTimeoutSeconds',
    'seconds',
    5,
    '300',
  ).default(300),
  failureBudget: countOrPercentSchema(
    'strategy.failureBudget',
    0,
    '0 or "2%"',
  ).default(0),
  onFailure: z
    .enum(['rollback', 'pause'], {
      error: issue =>
        `strategy.onFailure must be "rollback" or "pause", got ${show(issue.input)}: "rollback" restores the previous image on every upgraded pod, "pause" stops and waits for you`,
    })
    .default('rollback'),
  rollbackWindowSeconds: wholeNumberSchema(
    'strategy.rollbackWindowSeconds',
    'seconds',
    0,
    '86400',
  ).default(86400),
  pacing: z
    .enum(['rolling', 'batches'], {
      error: issue =>
        `strategy.pacing must be "rolling" (a new pod starts as soon as one finishes) or "batches" (each batch waits for its slowest pod), got ${show(issue.input)}: pick one, or omit it for "batches"`,
    })
    .optional(),
};

const strategySchema = z
  .strictObject(strategyShape, {
    error: objectError(
      'strategy',
      'write e.g. {"maxUnavailable":"10%"}, or omit it to use the defaults',
    ),
  })
  .superRefine((strategy, ctx) => {
    if (strategy.pacing === 'rolling' && strategy.bakeSeconds > 0) {
      ctx.addIssue({
        code: 'custom',
        path: ['pacing'],
        input: strategy,
        message: `strategy.pacing "rolling" has no batches to bake between, but strategy.bakeSeconds is ${strategy.bakeSeconds}: set bakeSeconds to 0, or use pacing "batches" to wait between batches`,
      });
    }
  })
  .prefault({});

// --- schedule ---------------------------------------------------------------------------------

const ISO_INSTANT =
  /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?(?:Z|[+-](\d{2}):(\d{2}))$/;

/** Whether `value` is an ISO 8601 date-time with an offset ("Z" or "+02:00") that names a real instant. */
export function isIsoInstantWithOffset(value: string): boolean {
  const match = ISO_INSTANT.exec(value);
  if (!match) return false;
  const [
    year,
    month,
    day,
    hour,
    minute,
    second = 0,
    offsetHours = 0,
    offsetMinutes = 0,
  ] = match
    .slice(1)
    .map(part => (part === undefined ? undefined : Number(part)));
  if (
    year === undefined ||
    month === undefined ||
    day === undefined ||
    hour === undefined ||
    minute === undefined
  )
    return false;
  const daysInMonth = new Date(Date.UTC(year, month, 0)).getUTCDate();
  return (
    month >= 1 &&
    month <= 12 &&
    day >= 1 &&
    day <= daysInMonth &&
    hour <= 23 &&
    minute <= 59 &&
    second <= 59 &&
    offsetHours <= 23 &&
    offsetMinutes <= 59 &&
    Number.isFinite(Date.parse(value))
  );
}

/** The runtime's name for an IANA time zone; undefined for one it does not know (Intl throws a RangeError). */
function resolvedTimeZone(timeZone: string): string | undefined {
  try {
    return new Intl.DateTimeFormat('en-US', { timeZone }).resolvedOptions()
      .timeZone;
  } catch {
    return undefined;
  }
}

const windowShape = {
  cron: z
    .string({
      error: typeError(
        'cron is required: set when the window opens as a 5-field cron expression, e.g. "0 22 * * 1-5" for 22:00 on weekdays',
        input =>
          `cron must be text, got ${show(input)}: write a 5-field cron expression, e.g. "0 22 * * 1-5" for 22:00 on weekdays`,
      ),
    })
    .superRefine(
      withProblem((value: string) => {
        const problem = describeCronProblem(value);
        return problem === null
          ? null
          : `${show(value)} is not a usable cron expression: ${problem}. Write minute, hour, day of month, month and day of week, e.g. "0 22 * * 1-5" for 22:00 on weekdays`;
      }),
    ),
  durationMinutes: wholeNumberSchema('durationMinutes', 'minutes', 1, '240'),
  timeZone: z
    .string({
      error: typeError(
        'timeZone is required: name the IANA time zone the cron expression is read in, e.g. "Europe/Berlin" or "UTC"',
        input =>
          `timeZone must be text, got ${show(input)}: name an IANA time zone, e.g. "Europe/Berlin" or "UTC"`,
      ),
    })
    .superRefine(
      withProblem((value: string) =>
        resolvedTimeZone(value) !== undefined
          ? null
          : `${show(value)} is not a known IANA time zone: use a name such as "Europe/Berlin", "America/New_York" or "UTC"`,
      ),
    ),
};

const windowSchema = z.strictObject(windowShape, {
  error: objectError(
    'each window',
    'write e.g. {"cron":"0 22 * * 1-5","durationMinutes":240,"timeZone":"Europe/Berlin"}',
  ),
});

const scheduleShape = {
  notBefore: z
    .string({
      error: issue =>
        `schedule.notBefore must be text, got ${show(issue.input)}: write an ISO 8601 time with an offset, e.g. "2025-06-02T08:00:00+02:00"`,
    })
    .superRefine(
      withProblem((value: string) =>
        isIsoInstantWithOffset(value)
          ? null
          : `${show(value)} is not an ISO 8601 date-time with an offset: write e.g. "2025-06-02T08:00:00+02:00" or "2025-06-02T06:00:00Z"`,
      ),
    )
    .optional(),
  windows: z
    .array(windowSchema, {
      error: issue =>
        `schedule.windows must be a list of windows, got ${show(issue.input)}: write e.g. [{"cron":"0 22 * * 1-5","durationMinutes":240,"timeZone":"Europe/Berlin"}]`,
    })
    .superRefine(
      withProblem((value: unknown[]) =>
        value.length === 0
          ? 'schedule.windows is empty, so the campaign could never run: add a window, or omit the field to run at any time'
          : null,
      ),
    )
    .optional(),
};

const scheduleSchema = z.strictObject(scheduleShape, {
  error: objectError(
    'schedule',
    'write e.g. {"notBefore":"2025-06-02T08:00:00+02:00"}, or omit it to start at once',
  ),
});

// --- analysis ---------------------------------------------------------------------------------

const ANALYSIS_EXAMPLE =
  '{"metrics":[{"name":"success-rate","query":"sum(rate(http_requests_total{code!~\\"5..\\"}[1m])) / sum(rate(http_requests_total[1m]))","interval":"30s","count":3,"successCondition":"result[0] >= 0.95"}]}';

function conditionSchema(field: string) {
  return z
    .string({
      error: issue =>
        `${field} must be text, got ${show(issue.input)}: write an expression over result, e.g. ${CONDITION_EXAMPLE}`,
    })
    .superRefine(
      withProblem((value: string) => {
        const problem = conditionProblem(value);
        return problem === null ? null : `${field}: ${problem}`;
      }),
    )
    .optional();
}

const metricShape = {
  name: z
    .string({
      error: typeError(
        'each metric needs a name: set name, e.g. "success-rate"',
        input =>
          `a metric's name must be text, got ${show(input)}: write e.g. "success-rate"`,
      ),
    })
    .superRefine(
      withProblem((value: string) =>
        isDns1123Label(value)
          ? null
          : `${show(value)} is not a usable metric name (at most 63 lowercase letters, digits and "-"): write e.g. "success-rate"`,
      ),
    ),
  query: z
    .string({
      error: typeError(
        'each metric needs a query: write the PromQL to measure, e.g. "min(sidecar_container_ready{namespace=\\"payments\\"})"',
        input =>
          `query must be a PromQL query as text, got ${show(input)}: write e.g. "min(sidecar_container_ready{namespace=\\"payments\\"})"`,
      ),
    })
    .superRefine(
      withProblem((value: string) =>
        value.trim() === ''
          ? 'query is empty: write the PromQL to measure, e.g. "min(sidecar_container_ready{namespace=\\"payments\\"})"'
          : null,
      ),
    ),
  interval: z
    .string({
      error: issue =>
        `interval must be a duration as text, got ${show(issue.input)}: write e.g. "30s", "5m" or "1m30s"`,
    })
    .superRefine(
      withProblem((value: string) => {
        const seconds = durationSeconds(value);
        if (seconds === null)
          return `${show(value)} is not a duration: write e.g. "30s", "5m" or "1m30s"`;
        return seconds < 1 || seconds > 3600
          ? `interval must be from "1s" to "1h", got ${show(value)}: measure e.g. every "30s"`
          : null;
      }),
    )
    .default('30s'),
  count: wholeNumberSchema('count', 'measurements', 1, '3')
    .superRefine(
      withProblem((value: number) =>
        value > 100
          ? `count must be at most 100 measurements per batch, got ${value}: take fewer, further apart`
          : null,
      ),
    )
    .default(1),
  successCondition: conditionSchema('successCondition'),
  failureCondition: conditionSchema('failureCondition'),
  failureLimit: wholeNumberSchema(
    'failureLimit',
    'failed measurements',
    0,
    '0',
  ).default(0),
  inconclusiveLimit: wholeNumberSchema(
    'inconclusiveLimit',
    'inconclusive measurements',
    0,
    '0',
  ).default(0),
};

const metricSchema = z
  .strictObject(metricShape, {
    error: objectError('each metric', `write e.g. ${ANALYSIS_EXAMPLE}`),
  })
  .superRefine((metric, ctx) => {
    if (
      metric.successCondition === undefined &&
      metric.failureCondition === undefined
    )
      ctx.addIssue({
        code: 'custom',
        path: ['successCondition'],
        input: metric,
        message: `metric "${metric.name}" has no condition, so no measurement could pass or fail: set successCondition, e.g. ${CONDITION_EXAMPLE}, and optionally failureCondition`,
      });
  });

const analysisShape = {
  metrics: z
    .array(metricSchema, {
      error: issue =>
        `analysis.metrics must be a list of metrics, got ${show(issue.input)}: write e.g. ${ANALYSIS_EXAMPLE}`,
    })
    .superRefine((metrics, ctx) => {
      if (metrics.length === 0 || metrics.length > 10)
        ctx.addIssue({
          code: 'custom',
          input: metrics,
          message: `analysis.metrics must list 1 to 10 metrics, got ${metrics.length}: add one, e.g. ${ANALYSIS_EXAMPLE}, or omit analysis`,
        });
      const seen = new Set<string>();
      metrics.forEach((metric, index) => {
        if (seen.has(metric.name))
          ctx.addIssue({
            code: 'custom',
            path: [index, 'name'],
            input: metric.name,
            message: `metric name "${metric.name}" is used twice: give each metric its own name`,
          });
        seen.add(metric.name);
      });
    }),
};

const analysisSchema = z.strictObject(analysisShape, {
  error: objectError(
    'analysis',
    `write e.g. ${ANALYSIS_EXAMPLE}, or omit it for no metric gates`,
  ),
});

// --- waves ----------------------------------------------------------------------------------

const WAVE_EXAMPLE =
  '[{"name":"staging","clusters":["staging-1"]},{"name":"prod","clusters":["prod-eu-1","prod-us-1"],"gate":{"approval":true}}]';

/** Most waves a campaign may have, and most clusters in one wave: each cluster of a wave runs as a child workflow. */
export const WAVE_LIMITS = { waves: 10, clustersPerWave: 20 } as const;

const waveStrategyShape = {
  maxUnavailable: countOrPercentSchema(
    "a wave's strategy.maxUnavailable",
    1,
    '5 or "10%"',
  ).optional(),
  failureBudget: countOrPercentSchema(
    "a wave's strategy.failureBudget",
    0,
    '0 or "2%"',
  ).optional(),
  healthTimeoutSeconds: wholeNumberSchema(
    "a wave's strategy.healthTimeoutSeconds",
    'seconds',
    5,
    '300',
  ).optional(),
  bakeSeconds: wholeNumberSchema(
    "a wave's strategy.bakeSeconds",
    'seconds',
    0,
    '300',
  ).optional(),
};

const gateShape = {
  approval: z
    .boolean({
      error: issue =>
        `a wave's gate.approval must be true or false, got ${show(issue.input)}: true makes the wave wait until someone who may manage the campaign approves it`,
    })
    .optional(),
  bakeSeconds: wholeNumberSchema(
    "a wave's gate.bakeSeconds",
    'seconds',
    0,
    '3600',
  ).optional(),
};

const waveShape = {
  name: z
    .string({
      error: issue =>
        `a wave's name is required text, got ${show(issue.input)}: name it for its stage, e.g. "staging" or "prod-eu"`,
    })
    .superRefine(
      withProblem((value: string) =>
        value.trim().length === 0 || value.length > 40
          ? `a wave's name must have 1 to 40 characters, got ${value.length}: name it for its stage, e.g. "staging"`
          : null,
      ),
    ),
  clusters: z
    .array(selectorShape.clusters.unwrap().element, {
      error: issue =>
        `a wave's clusters must be a list of cluster names, got ${show(issue.input)}: write e.g. ["prod-eu-1"]`,
    })
    .superRefine(
      withProblem((value: string[]) => {
        if (value.length === 0)
          return "a wave's clusters is empty, which would select nothing: list the clusters the wave upgrades";
        if (value.length > WAVE_LIMITS.clustersPerWave)
          return `a wave may list at most ${WAVE_LIMITS.clustersPerWave} clusters, got ${value.length}: split them into more waves`;
        if (new Set(value).size !== value.length)
          return 'a wave lists a cluster twice: list each cluster once';
        return null;
      }),
    ),
  namespaces: selectorShape.namespaces,
  labelSelector: selectorShape.labelSelector,
  strategy: z
    .strictObject(waveStrategyShape, {
      error: objectError(
        "a wave's strategy",
        'write the settings that differ from the campaign\'s strategy, e.g. {"maxUnavailable":"25%"}, or omit it',
      ),
    })
    .optional(),
  gate: z
    .strictObject(gateShape, {
      error: objectError(
        "a wave's gate",
        'write e.g. {"approval":true} or {"bakeSeconds":600}, or omit it to start the wave as soon as the one before completes',
      ),
    })
    .optional(),
};

const wavesSchema = z
  .array(
    z.strictObject(waveShape, {
      error: objectError(
        'each wave',
        `write e.g. {"name":"staging","clusters":["staging-1"]}`,
      ),
    }),
    {
      error: issue =>
        `waves must be a list of waves, got ${show(issue.input)}: write e.g. ${WAVE_EXAMPLE}, or omit it for one wave over the selector`,
    },
  )
  .superRefine((waves, ctx) => {
    if (waves.length === 0 || waves.length > WAVE_LIMITS.waves)
      ctx.addIssue({
        code: 'custom',
        input: waves,
        message: `waves must list 1 to ${WAVE_LIMITS.waves} waves, got ${waves.length}: write e.g. ${WAVE_EXAMPLE}, or omit it for one wave over the selector`,
      });
    const names = new Set<string>();
    waves.forEach((wave, index) => {
      if (names.has(wave.name))
        ctx.addIssue({
          code: 'custom',
          path: [index, 'name'],
          input: wave.name,
          message: `two waves are named ${show(wave.name)}: give each wave its own name`,
        });
      names.add(wave.name);
    });
    if (waves[0]?.gate)
      ctx.addIssue({
        code: 'custom',
        path: [0, 'gate'],
        input: waves[0].gate,
        message:
          'the first wave has a gate, but a gate waits between a wave and the one before it: remove it, or schedule the campaign with schedule.notBefore',
      });
  });

// --- the spec ---------------------------------------------------------------------------------

const campaignSpecShape = {
  name: nameSchema.optional(),
  container: containerSchema,
  targetImage: targetImageSchema,
  selector: selectorSchema,
  mode: z
    .enum(['in-place', 'workload', 'to-native'], {
      error: issue =>
        `mode must be "in-place" (patch the container image; only the sidecar restarts), "workload" (restart the owning workload) or "to-native" (move a sidecar the workload declares as a regular container to a native sidecar, running targetImage), got ${show(issue.input)}: pick one of them, or omit it for "in-place"`,
    })
    .default('in-place'),
  strategy: strategySchema,
  schedule: scheduleSchema.optional(),
  analysis: analysisSchema.optional(),
  waves: wavesSchema.optional(),
};

export const campaignSpecSchema = z
  .strictObject(campaignSpecShape, {
    error: issue =>
      issue.code === 'invalid_type'
        ? `the campaign spec must be a JSON object, got ${show(issue.input)}: send e.g. {"container":"istio-proxy","targetImage":"docker.io/istio/proxyv2:1.24.2","selector":{"namespaces":["payments"]}}`
        : undefined,
  })
  .superRefine((spec, ctx) => {
    if (spec.mode !== 'in-place' && spec.strategy.pacing === 'rolling') {
      ctx.addIssue({
        code: 'custom',
        path: ['strategy', 'pacing'],
        input: spec,
        message: `strategy.pacing "rolling" needs mode "in-place": in ${spec.mode} mode maxUnavailable is a pod budget packed by each rollout's size, so the campaign keeps batches; use pacing "batches" (or omit it), or mode "in-place"`,
      });
    }
    if (spec.waves && spec.selector.clusters) {
      ctx.addIssue({
        code: 'custom',
        path: ['selector', 'clusters'],
        input: spec.selector.clusters,
        message:
          'selector.clusters is set, but with waves each wave lists its own clusters: remove selector.clusters and list the clusters in waves[].clusters',
      });
    }
    spec.waves?.forEach((wave, index) => {
      const bake = wave.strategy?.bakeSeconds ?? spec.strategy.bakeSeconds;
      if (spec.strategy.pacing === 'rolling' && bake > 0)
        ctx.addIssue({
          code: 'custom',
          path: ['waves', index, 'strategy', 'bakeSeconds'],
          input: bake,
          message: `wave ${show(wave.name)} bakes ${bake} s between batches, but strategy.pacing "rolling" has no batches to bake between: set it to 0, or bake between waves with gate.bakeSeconds`,
        });
    });
  });

/** The spec as a client sends it: optional fields may be omitted. */
export type CampaignSpecInput = z.input<typeof campaignSpecSchema>;
/** The validated spec with every default applied; plain JSON, safe to pass to a workflow. */
export type CampaignSpec = z.output<typeof campaignSpecSchema>;
export type CampaignStrategy = CampaignSpec['strategy'];
export type CampaignSelector = CampaignSpec['selector'];
export type CampaignSchedule = NonNullable<CampaignSpec['schedule']>;
export type CampaignAnalysis = NonNullable<CampaignSpec['analysis']>;
export type CampaignWave = NonNullable<CampaignSpec['waves']>[number];

// Known field names by object path ("*" for a list index), for messages about unknown fields.
const KNOWN_FIELDS: Record<string, readonly string[]> = {
  '': Object.keys(campaignSpecShape),
  selector: Object.keys(selectorShape),
  strategy: Object.keys(strategyShape),
  'strategy.canary': Object.keys(canaryShape),
  'strategy.order': ['by', 'label', 'topologyKey'],
  schedule: Object.keys(scheduleShape),
  'schedule.windows.*': Object.keys(windowShape),
  analysis: Object.keys(analysisShape),
  'analysis.metrics.*': Object.keys(metricShape),
  'waves.*': Object.keys(waveShape),
  'waves.*.strategy': Object.keys(waveStrategyShape),
  'waves.*.gate': Object.keys(gateShape),
};

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const substitution =
        (previous[j - 1] ?? 0) +
        (a[i - 1]?.toLowerCase() === b[j - 1]?.toLowerCase() ? 0 : 1);
      current.push(
        Math.min(
          (previous[j] ?? 0) + 1,
          (current[j - 1] ?? 0) + 1,
          substitution,
        ),
      );
    }
    previous = current;
  }
  return previous[b.length] ?? 0;
}

// Fields that exist only in one variant of a union, with the setting they need.
const CONDITIONAL_FIELDS: Record<string, Readonly<Record<string, string>>> = {
  'strategy.order': { label: 'by "priority"', topologyKey: 'by "scatter"' },
};

function unknownFieldMessage(
  objectPath: readonly PropertyKey[],
  key: string,
): string {
  const pattern = objectPath
    .map(part => (typeof part === 'number' ? '*' : String(part)))
    .join('.');
  const requires = CONDITIONAL_FIELDS[pattern]?.[key];
  if (requires !== undefined)
    return `"${key}" only applies with ${requires}: remove it, or change ${pattern} to ${requires}`;
  const known = KNOWN_FIELDS[pattern] ?? [];
  const closest = known
    .map(candidate => ({ candidate, distance: editDistance(key, candidate) }))
    .sort((a, b) => a.distance - b.distance)[0];
  const suggestion =
    closest !== undefined &&
    closest.distance <= Math.max(2, Math.floor(key.length / 3))
      ? `did you mean "${closest.candidate}"? `
      : '';
  return `unknown field "${key}": ${suggestion}remove it or use one of the known fields: ${known.join(', ')}`;
}

function fieldPath(path: readonly PropertyKey[]): string {
  return path.map(String).join('.');
}

export function toFieldErrors(
  issues: readonly z.core.$ZodIssue[],
): FieldError[] {
  return issues.flatMap(issue =>
    issue.code === 'unrecognized_keys'
      ? issue.keys.map(key => ({
          field: fieldPath([...issue.path, key]),
          message: unknownFieldMessage(issue.path, key),
        }))
      : [{ field: fieldPath(issue.path), message: issue.message }],
  );
}

export function parseCampaignSpec(input: unknown): CampaignSpecParseResult {
  const result = campaignSpecSchema.safeParse(input);
  return result.success
    ? { ok: true, spec: result.data }
    : { ok: false, errors: toFieldErrors(result.error.issues) };
}
