import { gzipSync } from 'node:zlib';
import { mockCredentials } from '@backstage/backend-test-utils';
import { InputError } from '@backstage/errors';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import type {
  ApiErrorBody,
  CampaignSummary,
} from '@internal/plugin-sidecars-common';
import type { Response, Test } from 'supertest';
import {
  EMPTY_NAMESPACE,
  FAKE_ENTITY_REF,
  routerWithFakes,
} from '../__testUtils__/routerFakes';
import { MAX_JSON_DEPTH } from './jsonShape';
import {
  loadContract,
  type ContractCheck,
} from '../__testUtils__/contractCheck';

const IMAGE = 'docker.io/istio/proxyv2:1.24.2';
const valid = () => ({
  container: 'istio-proxy',
  targetImage: IMAGE,
  selector: { namespaces: ['shop'] },
});
const withSpec = (patch: Record<string, unknown>) => ({
  spec: { ...valid(), ...patch },
});
const withStrategy = (strategy: Record<string, unknown>) =>
  withSpec({ strategy });
const window = (patch: Record<string, unknown> = {}) => ({
  cron: '0 22 * * 1-5',
  durationMinutes: 240,
  timeZone: 'Europe/Berlin',
  ...patch,
});

/** `[[[...1...]]]` nested `depth` lists deep, as JSON text (a client's serializer would overflow on it as a value). */
const nestedList = (depth: number) =>
  `${'['.repeat(depth)}1${']'.repeat(depth)}`;

/** A JSON body as text with `deep` (JSON text) in place of the string "DEEP". */
const withDeep = (body: object, deep: string) =>
  JSON.stringify(body).replace('"DEEP"', deep);
const JSON_TYPE = { 'Content-Type': 'application/json' };

/** A body as JSON text with `key` defined as an own property of the object at `path` (an object literal would set a prototype instead). */
function withOwnKey(
  body: object,
  path: readonly string[],
  key: string,
  value: unknown,
): string {
  const copy: Record<string, unknown> = JSON.parse(JSON.stringify(body));
  const target = path.reduce<Record<string, unknown>>(
    (node, part) => node[part] as Record<string, unknown>,
    copy,
  );
  Object.defineProperty(target, key, {
    value,
    enumerable: true,
    writable: true,
    configurable: true,
  });
  return JSON.stringify(copy);
}

interface BadRequest {
  name: string;
  method: 'get' | 'post' | 'put' | 'patch' | 'delete';
  path: string;
  body?: unknown;
  /** Sent as is, with these headers (and no JSON encoding by the client). */
  raw?: { data: string | Buffer; headers: Record<string, string> };
  status: number;
  /** The field or header `fields` must name. */
  field?: string;
  /** What the field's message (or, without a field, the error message) must say. */
  says?: RegExp;
  allow?: string;
}

const start = (
  name: string,
  body: unknown,
  field: string,
  says?: RegExp,
): BadRequest => ({
  name,
  method: 'post',
  path: '/campaigns',
  body,
  status: 400,
  field,
  says,
});
const plan = (
  name: string,
  body: unknown,
  field: string,
  says?: RegExp,
): BadRequest => ({
  name,
  method: 'post',
  path: '/campaigns/plan',
  body,
  status: 400,
  field,
  says,
});
const query = (
  name: string,
  path: string,
  field: string,
  says?: RegExp,
): BadRequest => ({ name, method: 'get', path, status: 400, field, says });
const control = (
  name: string,
  body: unknown,
  field: string,
  says?: RegExp,
): BadRequest => ({
  name,
  method: 'post',
  path: '/campaigns/some-campaign/pause',
  body,
  status: 400,
  field,
  says,
});
const rawPost = (
  name: string,
  data: string | Buffer,
  headers: Record<string, string>,
  status: number,
  field: string,
  says?: RegExp,
): BadRequest => ({
  name,
  method: 'post',
  path: '/campaigns',
  raw: { data, headers },
  status,
  field,
  says,
});
const refused = (
  name: string,
  method: BadRequest['method'],
  path: string,
  allow: string,
): BadRequest => ({
  name,
  method,
  path,
  status: 405,
  allow,
  says: new RegExp(`${method.toUpperCase()} is not allowed`),
});
const unknown = (
  name: string,
  method: BadRequest['method'],
  path: string,
  says: RegExp,
): BadRequest => ({ name, method, path, status: 404, says });

const specCases: BadRequest[] = [
  start('body is a list', [valid()], '', /must be a JSON object/),
  start('spec is missing', {}, 'spec', /spec is required/),
  start('spec is null', { spec: null }, '', /must be a JSON object/),
  start(
    'spec is a string',
    { spec: 'istio-proxy' },
    '',
    /must be a JSON object/,
  ),
  start(
    'unknown top-level field',
    { ...withSpec({}), dryRun: true },
    'dryRun',
    /unknown field "dryRun"/,
  ),
  start(
    'container is missing',
    { spec: { targetImage: IMAGE, selector: { namespaces: ['shop'] } } },
    'container',
    /container is required/,
  ),
  start(
    'container is not a container name',
    withSpec({ container: 'Istio_Proxy' }),
    'container',
    /not a valid container name/,
  ),
  start(
    'container is a number',
    withSpec({ container: 7 }),
    'container',
    /must be text/,
  ),
  plan(
    'analysis condition does not parse',
    withSpec({
      analysis: {
        metrics: [{ name: 'ok', query: 'up', successCondition: 'result >=' }],
      },
    }),
    'analysis.metrics.0.successCondition',
    /not a valid expression/,
  ),
  plan(
    'analysis metric has no condition',
    withSpec({ analysis: { metrics: [{ name: 'ok', query: 'up' }] } }),
    'analysis.metrics.0.successCondition',
    /has no condition/,
  ),
  plan(
    'analysis interval is not a duration',
    withSpec({
      analysis: {
        metrics: [
          {
            name: 'ok',
            query: 'up',
            interval: '10 minutes',
            successCondition: 'result[0] > 0',
          },
        ],
      },
    }),
    'analysis.metrics.0.interval',
    /not a duration/,
  ),
  start(
    'target image is missing',
    { spec: { container: 'istio-proxy', selector: { namespaces: ['shop'] } } },
    'targetImage',
    /targetImage is required/,
  ),
  start(
    'target image has no tag',
    withSpec({ targetImage: 'docker.io/istio/proxyv2' }),
    'targetImage',
    /no tag or digest/,
  ),
  start(
    'target image is malformed',
    withSpec({ targetImage: 'docker.io/Istio/proxy v2:1' }),
    'targetImage',
    /not a valid image reference/,
  ),
  start(
    'target image is a list',
    withSpec({ targetImage: [IMAGE] }),
    'targetImage',
    /must be text/,
  ),
  start(
    'selector is missing',
    { spec: { container: 'istio-proxy', targetImage: IMAGE } },
    'selector',
    /selector is required/,
  ),
  start(
    'selector is a string',
    withSpec({ selector: 'app=checkout' }),
    'selector',
    /must be an object/,
  ),
  start(
    'selector matches everything',
    withSpec({ selector: {} }),
    'selector',
    /fleetWide/,
  ),
  start(
    'selector has an empty label selector only',
    withSpec({ selector: { labelSelector: '' } }),
    'selector',
    /fleetWide/,
  ),
  start(
    'label selector does not parse',
    withSpec({ selector: { labelSelector: 'app in (' } }),
    'selector.labelSelector',
    /invalid label selector/,
  ),
  start(
    'label selector is a number',
    withSpec({ selector: { labelSelector: 5 } }),
    'selector.labelSelector',
    /must be text/,
  ),
  start(
    'namespaces is empty',
    withSpec({ selector: { namespaces: [] } }),
    'selector.namespaces',
    /is empty/,
  ),
  start(
    'namespace name is invalid',
    withSpec({ selector: { namespaces: ['Shop!'] } }),
    'selector.namespaces.0',
    /not a valid namespace name/,
  ),
  start(
    'namespaces is a string',
    withSpec({ selector: { namespaces: 'shop' } }),
    'selector.namespaces',
    /must be a list/,
  ),
  start(
    'clusters is empty',
    withSpec({ selector: { namespaces: ['shop'], clusters: [] } }),
    'selector.clusters',
    /is empty/,
  ),
  start(
    'cluster name is blank',
    withSpec({ selector: { namespaces: ['shop'], clusters: [' '] } }),
    'selector.clusters.0',
    /empty/,
  ),
  start(
    'unknown cluster',
    withSpec({ selector: { namespaces: ['shop'], clusters: ['nowhere'] } }),
    'selector.clusters.0',
    /unknown cluster "nowhere".*local/,
  ),
  start(
    'fleetWide is not a boolean',
    withSpec({ selector: { fleetWide: 'yes' } }),
    'selector.fleetWide',
    /true or false/,
  ),
  start(
    'unknown selector field',
    withSpec({ selector: { namespaces: ['shop'], pods: ['a'] } }),
    'selector.pods',
    /unknown field "pods"/,
  ),
  start(
    'unknown entity',
    withSpec({ selector: { entityRef: 'component:default/unknown-service' } }),
    'selector.entityRef',
    /no catalog entity/,
  ),
  start(
    'malformed entity ref',
    withSpec({ selector: { entityRef: 'component:default/Not A Name!' } }),
    'selector.entityRef',
    /not a valid entity reference/,
  ),
  start(
    'entity without Kubernetes annotations',
    withSpec({ selector: { entityRef: 'component:default/no-annotations' } }),
    'selector.entityRef',
    /kubernetes-id/,
  ),
  start(
    'entity ref combined with a label selector',
    withSpec({
      selector: { entityRef: FAKE_ENTITY_REF, labelSelector: 'app=x' },
    }),
    'selector.labelSelector',
    /cannot be combined/,
  ),
  start(
    'entity ref combined with namespaces',
    withSpec({
      selector: { entityRef: FAKE_ENTITY_REF, namespaces: ['shop'] },
    }),
    'selector.namespaces',
    /cannot be combined/,
  ),
  start(
    'misspelt spec field',
    { spec: { ...valid(), contianer: 'istio-proxy' } },
    'contianer',
    /did you mean "container"/,
  ),
  start(
    'unknown mode',
    withSpec({ mode: 'rolling' }),
    'mode',
    /"in-place".*"workload"/,
  ),
  start(
    'name is blank',
    withSpec({ name: '  ' }),
    'name',
    /1 to 200 characters/,
  ),
  start(
    'name is too long',
    withSpec({ name: 'x'.repeat(201) }),
    'name',
    /1 to 200 characters/,
  ),
  start(
    'strategy is a list',
    withSpec({ strategy: [] }),
    'strategy',
    /must be an object/,
  ),
  start(
    'misspelt strategy field',
    withStrategy({ maxUnavailible: 1 }),
    'strategy.maxUnavailible',
    /did you mean "maxUnavailable"/,
  ),
  start(
    'maxUnavailable is 0',
    withStrategy({ maxUnavailable: 0 }),
    'strategy.maxUnavailable',
  ),
  start(
    'maxUnavailable is 0%',
    withStrategy({ maxUnavailable: '0%' }),
    'strategy.maxUnavailable',
  ),
  start(
    'maxUnavailable is over 100%',
    withStrategy({ maxUnavailable: '150%' }),
    'strategy.maxUnavailable',
  ),
  start(
    'maxUnavailable is a number as text',
    withStrategy({ maxUnavailable: '5' }),
    'strategy.maxUnavailable',
    /without "%"/,
  ),
  start(
    'maxUnavailable is negative',
    withStrategy({ maxUnavailable: -1 }),
    'strategy.maxUnavailable',
  ),
  start(
    'maxUnavailable is a boolean',
    withStrategy({ maxUnavailable: true }),
    'strategy.maxUnavailable',
  ),
  start(
    'canary bakes without a bake time',
    withStrategy({ canary: { size: 1, then: 'bake' } }),
    'strategy.canary.bakeSeconds',
    /no bake time/,
  ),
  start(
    'canary pauses with a bake time',
    withStrategy({ canary: { size: 1, then: 'pause', bakeSeconds: 60 } }),
    'strategy.canary.bakeSeconds',
    /only applies/,
  ),
  start(
    'canary size is 0',
    withStrategy({ canary: { size: 0, then: 'pause' } }),
    'strategy.canary.size',
  ),
  start(
    'canary then is unknown',
    withStrategy({ canary: { size: 1, then: 'wait' } }),
    'strategy.canary.then',
    /"pause" or "bake"/,
  ),
  start(
    'canary is a number',
    withStrategy({ canary: 1 }),
    'strategy.canary',
    /must be an object/,
  ),
  start(
    'partition is negative',
    withStrategy({ partition: -1 }),
    'strategy.partition',
  ),
  start(
    'order by is unknown',
    withStrategy({ order: { by: 'random' } }),
    'strategy.order.by',
    /"name", "priority" or "scatter"/,
  ),
  start(
    'order by priority has no label',
    withStrategy({ order: { by: 'priority' } }),
    'strategy.order.label',
    /label is required/,
  ),
  start(
    'order label with by name',
    withStrategy({ order: { by: 'name', label: 'tier' } }),
    'strategy.order.label',
    /only applies with by "priority"/,
  ),
  start(
    'scatter topology key is invalid',
    withStrategy({ order: { by: 'scatter', topologyKey: 'not a key' } }),
    'strategy.order.topologyKey',
    /not a valid label key/,
  ),
  start(
    'bakeSeconds is negative',
    withStrategy({ bakeSeconds: -5 }),
    'strategy.bakeSeconds',
  ),
  start(
    'bakeSeconds is fractional',
    withStrategy({ bakeSeconds: 1.5 }),
    'strategy.bakeSeconds',
  ),
  start(
    'healthTimeoutSeconds is too short',
    withStrategy({ healthTimeoutSeconds: 1 }),
    'strategy.healthTimeoutSeconds',
  ),
  start(
    'failureBudget is over 100%',
    withStrategy({ failureBudget: '101%' }),
    'strategy.failureBudget',
  ),
  start(
    'onFailure is unknown',
    withStrategy({ onFailure: 'ignore' }),
    'strategy.onFailure',
    /"rollback" or "pause"/,
  ),
  start(
    'rollbackWindowSeconds is text',
    withStrategy({ rollbackWindowSeconds: 'a day' }),
    'strategy.rollbackWindowSeconds',
  ),
  start(
    'schedule is a string',
    withSpec({ schedule: 'tonight' }),
    'schedule',
    /must be an object/,
  ),
  start(
    'notBefore is not a time',
    withSpec({ schedule: { notBefore: 'tomorrow' } }),
    'schedule.notBefore',
    /ISO 8601/,
  ),
  start(
    'notBefore has no offset',
    withSpec({ schedule: { notBefore: '2030-01-01T08:00:00' } }),
    'schedule.notBefore',
    /ISO 8601/,
  ),
  start(
    'empty maintenance windows',
    withSpec({ schedule: { windows: [] } }),
    'schedule.windows',
    /is empty/,
  ),
  start(
    'window cron does not parse',
    withSpec({ schedule: { windows: [window({ cron: 'at night' })] } }),
    'schedule.windows.0.cron',
    /cron/,
  ),
  start(
    'window duration is 0',
    withSpec({ schedule: { windows: [window({ durationMinutes: 0 })] } }),
    'schedule.windows.0.durationMinutes',
  ),
  start(
    'window time zone is unknown',
    withSpec({ schedule: { windows: [window({ timeZone: 'Mars/Olympus' })] } }),
    'schedule.windows.0.timeZone',
    /IANA/,
  ),
  start(
    'window has an unknown field',
    withSpec({ schedule: { windows: [window({ days: 'weekdays' })] } }),
    'schedule.windows.0.days',
    /unknown field/,
  ),
  start(
    'no selected pod runs the container',
    withSpec({ container: 'fluent-bit' }),
    'container',
    /none of the 2 selected pod\(s\) has a container named "fluent-bit"/,
  ),
  start(
    'selection matches no pods',
    withSpec({ selector: { namespaces: [EMPTY_NAMESPACE] } }),
    'selector',
    /matches no pods/,
  ),
  plan(
    'plan with maxUnavailable 0',
    withStrategy({ maxUnavailable: 0 }),
    'strategy.maxUnavailable',
  ),
  plan('plan without a spec', {}, 'spec', /spec is required/),
  plan('plan with a list body', [], '', /must be a JSON object/),
  plan(
    'plan with an unknown top-level field',
    { ...withSpec({}), force: true },
    'force',
    /unknown field/,
  ),
];

const queryCases: BadRequest[] = [
  query(
    'inventory without entityRef',
    '/inventory',
    'entityRef',
    /entityRef is required/,
  ),
  query(
    'inventory with a malformed entityRef',
    '/inventory?entityRef=not%20a%20ref!',
    'entityRef',
    /entity reference/,
  ),
  query(
    'inventory with entityRef twice',
    `/inventory?entityRef=${FAKE_ENTITY_REF}&entityRef=${FAKE_ENTITY_REF}`,
    'entityRef',
  ),
  query(
    'inventory with an unknown parameter',
    `/inventory?entityRef=${FAKE_ENTITY_REF}&verbose=1`,
    'verbose',
    /unknown field/,
  ),
  query(
    'inventory of an entity without Kubernetes annotations',
    '/inventory?entityRef=component:default/no-annotations',
    'entityRef',
    /kubernetes-id/,
  ),
  query(
    'fleet view without container',
    '/inventory/fleet',
    'container',
    /container is required/,
  ),
  query(
    'fleet view of an invalid container name',
    '/inventory/fleet?container=Istio_Proxy',
    'container',
    /container name/,
  ),
  query(
    'fleet view of a container nobody runs',
    '/inventory/fleet?container=no-such-sidecar',
    'container',
    /no pod/,
  ),
  query(
    'fleet view with an unknown parameter',
    '/inventory/fleet?container=istio-proxy&cluster=local',
    'cluster',
    /unknown field/,
  ),
  query(
    'list with pageSize 0',
    '/campaigns?pageSize=0',
    'pageSize',
    /1 to 100/,
  ),
  query(
    'list with pageSize 101',
    '/campaigns?pageSize=101',
    'pageSize',
    /1 to 100/,
  ),
  query(
    'list with a pageSize that is not a number',
    '/campaigns?pageSize=ten',
    'pageSize',
    /1 to 100/,
  ),
  query(
    'list with an unknown phase',
    '/campaigns?phase=Done',
    'phase',
    /Running/,
  ),
  query(
    'list with a garbled page token',
    '/campaigns?nextPageToken=%21%21',
    'nextPageToken',
    /token a previous page returned/,
  ),
  query(
    'list with an unknown parameter',
    '/campaigns?sort=asc',
    'sort',
    /unknown field/,
  ),
  query(
    'list with a malformed entityRef',
    '/campaigns?entityRef=a%20b',
    'entityRef',
    /entity reference/,
  ),
  query(
    'list with an invalid container',
    '/campaigns?container=UPPER',
    'container',
    /container name/,
  ),
  query(
    'list with a nested query parameter',
    '/campaigns?phase[a]=Running',
    'phase',
    /Running/,
  ),
];

const controlCases: BadRequest[] = [
  control(
    'control with a non-text reason',
    { reason: 5 },
    'reason',
    /must be text/,
  ),
  control(
    'control with an unknown field',
    { why: 'x' },
    'why',
    /unknown field/,
  ),
  control(
    'control with an empty reason',
    { reason: '   ' },
    'reason',
    /reason is empty/,
  ),
  control(
    'control with a reason over 500 characters',
    { reason: 'x'.repeat(501) },
    'reason',
    /longer than 500/,
  ),
  control('control with a list body', ['pause'], ''),
];

const transportCases: BadRequest[] = [
  rawPost(
    'body is not JSON',
    '{"spec": ',
    JSON_TYPE,
    400,
    '',
    /not valid JSON/,
  ),
  rawPost(
    'body is a bare string',
    '"spec"',
    JSON_TYPE,
    400,
    '',
    /not valid JSON/,
  ),
  rawPost(
    'gzip header on a plain body',
    JSON.stringify(withSpec({})),
    { 'Content-Type': 'application/json', 'Content-Encoding': 'gzip' },
    400,
    'Content-Encoding',
    /not valid gzip data/,
  ),
  rawPost(
    'deflate header on a plain body',
    JSON.stringify(withSpec({})),
    { 'Content-Type': 'application/json', 'Content-Encoding': 'deflate' },
    400,
    'Content-Encoding',
    /not valid deflate data/,
  ),
  rawPost(
    'gzip header on a truncated gzip body',
    gzipSync(JSON.stringify(withSpec({}))).subarray(0, 20),
    { 'Content-Type': 'application/json', 'Content-Encoding': 'gzip' },
    400,
    'Content-Encoding',
  ),
  rawPost(
    'brotli encoding',
    JSON.stringify(withSpec({})),
    { 'Content-Type': 'application/json', 'Content-Encoding': 'br' },
    415,
    'Content-Encoding',
    /"br" is not supported/,
  ),
  rawPost(
    'an unknown encoding',
    JSON.stringify(withSpec({})),
    { 'Content-Type': 'application/json', 'Content-Encoding': 'zstd' },
    415,
    'Content-Encoding',
    /"zstd" is not supported/,
  ),
  rawPost(
    'two stacked encodings',
    JSON.stringify(withSpec({})),
    { 'Content-Type': 'application/json', 'Content-Encoding': 'gzip, deflate' },
    415,
    'Content-Encoding',
  ),
  rawPost(
    'a text/plain body',
    JSON.stringify(withSpec({})),
    { 'Content-Type': 'text/plain' },
    415,
    'Content-Type',
    /"text\/plain" is not accepted/,
  ),
  rawPost(
    'a form body',
    'spec=1',
    { 'Content-Type': 'application/x-www-form-urlencoded' },
    415,
    'Content-Type',
    /application\/json/,
  ),
  rawPost(
    'an XML body',
    '<spec/>',
    { 'Content-Type': 'application/xml' },
    415,
    'Content-Type',
  ),
  rawPost(
    'a multipart body',
    '--x\r\n\r\n--x--',
    { 'Content-Type': 'multipart/form-data; boundary=x' },
    415,
    'Content-Type',
  ),
  rawPost(
    'a JSON body in Latin-1',
    JSON.stringify(withSpec({})),
    { 'Content-Type': 'application/json; charset=iso-8859-1' },
    415,
    'Content-Type',
    /UTF-8/,
  ),
  rawPost(
    'a body over 1 MB',
    JSON.stringify(withSpec({ name: 'x'.repeat(1_100_000) })),
    JSON_TYPE,
    413,
    '',
    /larger than this API accepts/,
  ),
  {
    name: 'a text/plain control body',
    method: 'post',
    path: '/campaigns/some-campaign/abort',
    raw: { data: 'stop', headers: { 'Content-Type': 'text/plain' } },
    status: 415,
    field: 'Content-Type',
  },
];

const nestingCases: BadRequest[] = [
  rawPost(
    'a list nested 5,000 deep in a typed field',
    withDeep(withSpec({ container: 'DEEP' }), nestedList(5000)),
    JSON_TYPE,
    400,
    `spec.container${'.0'.repeat(MAX_JSON_DEPTH - 2)}`,
    /nested more than 32 levels/,
  ),
  rawPost(
    'objects nested 100 deep under strategy',
    withDeep(
      withSpec({ strategy: 'DEEP' }),
      `${'{"a":'.repeat(100)}1${'}'.repeat(100)}`,
    ),
    JSON_TYPE,
    400,
    `spec.strategy${'.a'.repeat(MAX_JSON_DEPTH - 2)}`,
    /nested more than 32 levels/,
  ),
  rawPost(
    'nesting just under the limit is judged by the schema',
    withDeep(withSpec({ container: 'DEEP' }), nestedList(MAX_JSON_DEPTH - 2)),
    JSON_TYPE,
    400,
    'container',
    /must be text/,
  ),
  {
    name: 'a reason nested 10,000 deep',
    method: 'post',
    path: '/campaigns/some-campaign/pause',
    raw: {
      data: withDeep({ reason: 'DEEP' }, nestedList(10_000)),
      headers: JSON_TYPE,
    },
    status: 400,
    field: `reason${'.0'.repeat(MAX_JSON_DEPTH - 1)}`,
    says: /nested more than 32 levels/,
  },
];

const pathCases: BadRequest[] = [
  {
    name: 'an undecodable campaign id',
    method: 'get',
    path: '/campaigns/%',
    status: 400,
    field: 'id',
    says: /not valid percent-encoding/,
  },
  {
    name: 'a truncated UTF-8 escape in a campaign id',
    method: 'get',
    path: '/campaigns/%E0%A4%A',
    status: 400,
    field: 'id',
  },
  {
    name: 'an undecodable id in a control',
    method: 'post',
    path: '/campaigns/%zz/pause',
    status: 400,
    field: 'id',
  },
  {
    name: 'an undecodable control name',
    method: 'post',
    path: '/campaigns/some-campaign/%',
    status: 400,
    field: 'action',
  },
  refused('PUT on the campaign list', 'put', '/campaigns', 'GET, POST, HEAD'),
  refused(
    'DELETE on the campaign list',
    'delete',
    '/campaigns',
    'GET, POST, HEAD',
  ),
  refused(
    'PATCH on a campaign',
    'patch',
    '/campaigns/some-campaign',
    'GET, HEAD',
  ),
  refused(
    'DELETE on a campaign',
    'delete',
    '/campaigns/some-campaign',
    'GET, HEAD',
  ),
  refused(
    'POST on a campaign',
    'post',
    '/campaigns/some-campaign',
    'GET, HEAD',
  ),
  refused('GET on a control', 'get', '/campaigns/some-campaign/pause', 'POST'),
  refused('GET on the plan', 'get', '/campaigns/plan', 'POST'),
  refused('DELETE on the inventory', 'delete', '/inventory', 'GET, HEAD'),
  refused('POST on the fleet view', 'post', '/inventory/fleet', 'GET, HEAD'),
  unknown(
    'an unknown route',
    'get',
    '/nothing-here',
    /no route GET \/nothing-here/,
  ),
  unknown(
    'a path below a control',
    'post',
    '/campaigns/some-campaign/pause/now',
    /no route POST/,
  ),
  unknown(
    'an unknown control',
    'post',
    '/campaigns/some-campaign/explode',
    /unknown campaign control "explode"/,
  ),
  unknown(
    'an unknown campaign',
    'get',
    '/campaigns/istio-proxy-0-0-0-000000',
    /no campaign/,
  ),
];

/** A reserved key at each level a client can write, on both spec endpoints and the control body. */
const SMUGGLE_LEVELS: Array<{ level: string; path: string[] }> = [
  { level: 'request', path: [] },
  { level: 'spec', path: ['spec'] },
  { level: 'selector', path: ['spec', 'selector'] },
  { level: 'strategy', path: ['spec', 'strategy'] },
  { level: 'canary', path: ['spec', 'strategy', 'canary'] },
  { level: 'schedule', path: ['spec', 'schedule'] },
  { level: 'a maintenance window', path: ['spec', 'schedule', 'windows', '0'] },
];
const RESERVED = ['__proto__', 'constructor', 'prototype'];
const SMUGGLED = {
  selector: { fleetWide: true },
  fleetWide: true,
  partition: 1,
  mode: 'workload',
};
const smuggleBase = () => ({
  spec: {
    ...valid(),
    strategy: { canary: { size: 1, then: 'pause' } },
    schedule: { windows: [window()] },
  },
});

const smuggleCases: BadRequest[] = [
  ...SMUGGLE_LEVELS.flatMap(({ level, path }) =>
    RESERVED.flatMap(key =>
      ['/campaigns', '/campaigns/plan'].map((endpoint): BadRequest => ({
        name: `${key} at the ${level} level of POST ${endpoint}`,
        method: 'post',
        path: endpoint,
        raw: {
          data: withOwnKey(smuggleBase(), path, key, SMUGGLED),
          headers: JSON_TYPE,
        },
        status: 400,
        field: [...path, key].join('.'),
        says: /not allowed as a field name/,
      })),
    ),
  ),
  ...RESERVED.map((key): BadRequest => ({
    name: `${key} in a control body`,
    method: 'post',
    path: '/campaigns/some-campaign/rollback',
    raw: {
      data: withOwnKey({ reason: 'x' }, [], key, {
        by: 'user:default/mallory',
      }),
      headers: JSON_TYPE,
    },
    status: 400,
    field: key,
    says: /not allowed as a field name/,
  })),
  query(
    '__proto__ in a query parameter name',
    '/campaigns?__proto__[phase]=Running',
    '__proto__[phase]',
    /not allowed as a field name/,
  ),
  query(
    'constructor as a query parameter',
    '/campaigns?constructor=x',
    'constructor',
    /not allowed as a field name/,
  ),
];

/** Bad requests whose fault no schema can express: image, selector and cron syntax, cross-field rules, and what the catalog, clusters and Temporal know. */
const JUDGED_BY_SERVICES: readonly string[] = [
  'target image has no tag',
  'target image is malformed',
  'label selector does not parse',
  'window cron does not parse',
  'window time zone is unknown',
  'selector matches everything',
  'selector has an empty label selector only',
  'canary bakes without a bake time',
  'canary pauses with a bake time',
  'entity ref combined with a label selector',
  'entity ref combined with namespaces',
  'unknown cluster',
  'unknown entity',
  'entity without Kubernetes annotations',
  'inventory of an entity without Kubernetes annotations',
  'fleet view of a container nobody runs',
  'no selected pod runs the container',
  'selection matches no pods',
  'analysis condition does not parse',
  'analysis metric has no condition',
];

const cases: BadRequest[] = [
  ...specCases,
  ...queryCases,
  ...controlCases,
  ...transportCases,
  ...nestingCases,
  ...pathCases,
  ...smuggleCases,
];

/** Sends bytes as they are: the client would serialize a Buffer to JSON under a JSON Content-Type. */
function sendRaw(req: Test, data: string | Buffer): Test {
  if (typeof data === 'string') return req.send(data);
  req.write(data);
  return req;
}

async function send(
  harness: ReturnType<typeof routerWithFakes>,
  bad: BadRequest,
  headers = harness.auth,
): Promise<Response> {
  const req = harness.client()[bad.method](bad.path).set(headers);
  if (bad.raw) return sendRaw(req.set(bad.raw.headers), bad.raw.data);
  return bad.body === undefined ? req : req.send(bad.body as object);
}

function expectJsonError(res: Response, status: number): ApiErrorBody {
  expect(res.status).toBe(status);
  expect(res.headers['content-type']).toMatch(/^application\/json/);
  const body = res.body as ApiErrorBody;
  expect(body.error).toEqual({
    name: expect.any(String),
    message: expect.any(String),
  });
  expect(res.text).not.toMatch(/\bat .*\.(ts|js):\d+/);
  expect(res.text).not.toContain('"stack"');
  return body;
}

describe('the router with fake services', () => {
  const harness = routerWithFakes({
    campaigns: {
      list: async filter => {
        if (filter.nextPageToken === 'Ym9ndXM')
          throw new InputError(
            'nextPageToken is not valid (it may have expired): list again from the first page',
          );
        return { items: [] };
      },
    },
  });

  it('has a bad-request table of more than 100 cases', () => {
    expect(cases.length).toBeGreaterThan(100);
    expect(new Set(cases.map(c => c.name)).size).toBe(cases.length);
  });

  // A case that says nothing of the message still wants one.
  const SOME_MESSAGE = /./;

  it.each(
    cases.filter(c => c.field !== undefined).map(c => [c.name, c] as const),
  )('answers a JSON 4xx naming the field to fix: %s', async (_name, bad) => {
    const body = expectJsonError(await send(harness, bad), bad.status);
    expect(body.fields).toEqual(
      expect.arrayContaining([expect.objectContaining({ field: bad.field })]),
    );
    const named = body.fields!.find(f => f.field === bad.field)!;
    expect(named.message.length).toBeGreaterThan(10);
    expect(named.message).toMatch(bad.says ?? SOME_MESSAGE);
  });

  it.each(
    cases.filter(c => c.field === undefined).map(c => [c.name, c] as const),
  )('answers a JSON 4xx saying what is wrong: %s', async (_name, bad) => {
    const body = expectJsonError(await send(harness, bad), bad.status);
    expect(body.error.message).toMatch(bad.says ?? SOME_MESSAGE);
  });

  it.each(cases.filter(c => c.allow).map(c => [c.name, c] as const))(
    'names the allowed methods in Allow: %s',
    async (_name, bad) => {
      expect((await send(harness, bad)).headers.allow).toBe(bad.allow);
    },
  );

  it('starts no campaign for any rejected request', () => {
    expect(harness.started).toEqual([]);
  });

  it('maps a page token Temporal does not recognise to 400 naming nextPageToken', async () => {
    const body = expectJsonError(
      await harness
        .client()
        .get('/campaigns?nextPageToken=Ym9ndXM')
        .set(harness.auth),
      400,
    );
    expect(body.fields).toEqual([
      {
        field: 'nextPageToken',
        message: expect.stringMatching(/list again from the first page/),
      },
    ]);
  });

  it('starts a valid campaign with the configured defaults merged under its spec', async () => {
    const fresh = routerWithFakes();
    const res = await fresh
      .client()
      .post('/campaigns')
      .set(fresh.auth)
      .send(withStrategy({ maxUnavailable: 1 }));
    expect(res.status).toBe(201);
    expect((res.body as CampaignSummary).container).toBe('istio-proxy');
    expect(fresh.started).toHaveLength(1);
    expect(fresh.started[0]!.strategy).toMatchObject({
      maxUnavailable: 1,
      healthTimeoutSeconds: 120,
    });
    expect(fresh.started[0]!.schedule).toEqual({
      notBefore: '2030-01-01T00:00:00Z',
    });
  });

  it('takes a gzip-compressed body', async () => {
    const fresh = routerWithFakes();
    const req = fresh
      .client()
      .post('/campaigns/plan')
      .set({
        ...fresh.auth,
        'Content-Type': 'application/json',
        'Content-Encoding': 'gzip',
      });
    const res = await sendRaw(req, gzipSync(JSON.stringify(withSpec({}))));
    expect(res.status).toBe(200);
    expect(res.body.totalPods).toBe(2);
  });
});

describe('smuggled keys', () => {
  it.each(
    SMUGGLE_LEVELS.flatMap(({ level, path }) =>
      RESERVED.map(key => [key, level, path] as const),
    ),
  )(
    'a %s key at the %s level starts nothing and plans nothing',
    async (key, _level, path) => {
      const harness = routerWithFakes();
      const data = withOwnKey(smuggleBase(), path, key, SMUGGLED);
      for (const endpoint of ['/campaigns', '/campaigns/plan']) {
        const res = await harness
          .client()
          .post(endpoint)
          .set({ ...harness.auth, 'Content-Type': 'application/json' })
          .send(data);
        expect(res.status).toBe(400);
      }
      expect(harness.started).toEqual([]);
    },
  );

  it("the same body without the smuggled key starts a campaign, so the rejections above are the key's doing", async () => {
    const harness = routerWithFakes();
    const res = await harness
      .client()
      .post('/campaigns')
      .set(harness.auth)
      .send(smuggleBase());
    expect(res.status).toBe(201);
    expect(harness.started).toHaveLength(1);
    expect(harness.started[0]!.selector).toEqual({ namespaces: ['shop'] });
  });
});

describe('authentication and permission errors', () => {
  const harness = routerWithFakes();

  it('answers 401 with a JSON body and no stack trace when no credentials are sent', async () => {
    const body = expectJsonError(await harness.client().get('/campaigns'), 401);
    expect(body.error.name).toBe('AuthenticationError');
  });

  it('answers 401 to a forged token', async () => {
    const res = await harness
      .client()
      .post('/campaigns')
      .set({ Authorization: mockCredentials.user.invalidHeader() })
      .send(withSpec({}));
    expect(expectJsonError(res, 401).error.name).toBe('AuthenticationError');
    expect(harness.started).toEqual([]);
  });

  it('answers 401 before 404 and 405 to an anonymous caller', async () => {
    expectJsonError(await harness.client().get('/nothing-here'), 401);
    expectJsonError(await harness.client().put('/campaigns'), 401);
  });

  it('answers 403 naming the permission when the policy denies', async () => {
    const denied = routerWithFakes({ permission: AuthorizeResult.DENY });
    const res = await denied
      .client()
      .post('/campaigns')
      .set(denied.auth)
      .send(withSpec({}));
    const body = expectJsonError(res, 403) as ApiErrorBody & {
      permission?: string;
    };
    expect(body.permission).toEqual(expect.stringMatching(/^sidecars\./));
    expect(denied.started).toEqual([]);
  });
});

describe('the OpenAPI contract agrees with the router', () => {
  let contract: ContractCheck;
  beforeAll(async () => {
    contract = await loadContract();
  });

  const TRANSPORT = Symbol('judged by the transport guards');

  /** The JSON body a case sends, when it sends one the contract can judge (raw bytes in another encoding or media type are judged before any route). */
  function jsonBodyOf(bad: BadRequest): unknown {
    if (!bad.raw) return bad.body;
    const type = bad.raw.headers['Content-Type'] ?? '';
    if (
      typeof bad.raw.data !== 'string' ||
      type !== 'application/json' ||
      bad.raw.headers['Content-Encoding']
    )
      return TRANSPORT;
    try {
      return JSON.parse(bad.raw.data);
    } catch {
      return TRANSPORT;
    }
  }

  it('has no operation for exactly the routes the router answers 405 or "no route" 404 for, and rejects an unknown control', () => {
    for (const bad of pathCases) {
      const noRoute =
        bad.status === 405 ||
        (bad.status === 404 && /no route/.test(bad.says?.source ?? ''));
      expect({
        name: bad.name,
        documented: contract.hasOperation(bad.method, bad.path),
      }).toEqual({ name: bad.name, documented: !noRoute });
    }
    expect(
      contract.requestProblems('post', '/campaigns/some-campaign/explode', {}),
    ).toEqual([
      expect.stringMatching(
        /^path\/action must be equal to one of the allowed values/,
      ),
    ]);
  });

  it.each([
    {
      method: 'post',
      url: '/campaigns/plan',
      body: withStrategy({ maxUnavailable: 1 }),
      status: 200,
    },
    { method: 'post', url: '/campaigns', body: smuggleBase(), status: 201 },
    {
      method: 'get',
      url: `/campaigns?phase=Running&pageSize=5&entityRef=${FAKE_ENTITY_REF}`,
      body: undefined,
      status: 200,
    },
  ] as const)(
    'accepts the valid $method $url, and the answer matches it',
    async ({ method, url, body, status }) => {
      expect(contract.requestProblems(method, url, body)).toEqual([]);
      const fresh = routerWithFakes();
      const req = fresh.client()[method](url).set(fresh.auth);
      const res = await (body === undefined ? req : req.send(body));
      expect(res.status).toBe(status);
      expect(
        contract.responseProblems(method, url, res.status, res.body),
      ).toEqual([]);
    },
  );

  it('rejects every bad request the router rejects, except the rules only the services can judge', () => {
    const acceptedByContract = cases
      .filter(
        bad =>
          bad.status === 400 &&
          contract.hasOperation(bad.method, bad.path.split('?')[0]!),
      )
      .filter(bad => {
        const body = jsonBodyOf(bad);
        return (
          body !== TRANSPORT &&
          contract.requestProblems(bad.method, bad.path, body).length === 0
        );
      })
      .map(bad => bad.name);
    expect(acceptedByContract.sort()).toEqual([...JUDGED_BY_SERVICES].sort());
  });
});
