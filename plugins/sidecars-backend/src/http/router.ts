import type express from 'express';
import Router from 'express-promise-router';
import type {
  BackstageCredentials,
  BackstageUserPrincipal,
  HttpAuthService,
  LoggerService,
} from '@backstage/backend-plugin-api';
import {
  ConflictError,
  InputError,
  NotFoundError,
  ServiceUnavailableError,
} from '@backstage/errors';
import { WorkflowNotFoundError } from '@temporalio/client';
import {
  CAMPAIGN_SIGNALS,
  type CampaignControlResponse,
  type CampaignDetail,
  type CampaignSignal,
  type CampaignSpec,
  type PlanResponse,
} from '@internal/plugin-sidecars-common';
import type { SidecarsSettings } from '../config';
import { canonicalEntityRef, type EntityLookup } from '../catalog/entities';
import {
  applicableControls,
  notApplicableMessage,
} from '../campaigns/controls';
import { campaignFreezes } from '../campaigns/freezes';
import type { CampaignPlanner, PlanOutcome } from '../campaigns/planner';
import {
  parseCampaignRequest,
  parseControlBody,
  parseFleetQuery,
  parseInventoryQuery,
  parseListQuery,
  previewedPlanOf,
} from './requests';
import {
  resolveCampaignSpec,
  type ResolvedCampaign,
} from '../campaigns/resolveSpec';
import type {
  CampaignRecord,
  CampaignService,
  ControlOutcome,
} from '../campaigns/service';
import { entitySelection } from '@internal/plugin-sidecars-node';
import type { AccountingService } from '../inventory/accounting';
import type { FleetService } from '../inventory/fleet';
import type { InventoryService } from '../inventory/inventory';
import type { CampaignAccess } from '../permissions/access';
import type { OwnedSelection } from '../catalog/entityOwners';
import { parseAccountingQuery } from './accountingRequests';
import { campaignCalendar } from '../campaigns/calendar';
import { parseCalendarQuery } from './calendarRequests';
import { fieldError } from '../errors';
import { errorHandler } from './errors';
import {
  jsonBodyParser,
  rejectUnsafeInput,
  requireJsonContentType,
} from './requestGuards';
import { routeGuard, unknownRoute, type RouteMethods } from './routeTable';
import { createContractRouter } from './contractRouter';
import { addTemplateRoutes } from './templateRoutes';
import type { CampaignTemplateService } from '../campaigns/templates';

/** Any route's request, whatever the contract types its params, query and body as. */
type HttpRequest = Parameters<HttpAuthService['credentials']>[0];

/** A service's public methods: what the router calls, and what a test's fake provides. */
export type PublicApi<T> = { [K in keyof T]: T[K] };

export interface RouterOptions {
  settings: SidecarsSettings;
  logger: LoggerService;
  httpAuth: HttpAuthService;
  access: CampaignAccess;
  entities: EntityLookup;
  inventory: PublicApi<InventoryService>;
  fleet: PublicApi<FleetService>;
  accounting: PublicApi<AccountingService>;
  /** The catalog entities that map to pods, with their owners, as the caller may read them. */
  entityOwners: (
    credentials: BackstageCredentials,
  ) => Promise<OwnedSelection[]>;
  planner: PublicApi<CampaignPlanner>;
  campaigns: PublicApi<CampaignService>;
  /** Recurring campaign templates; without it, their routes answer 404. */
  templates?: PublicApi<CampaignTemplateService>;
}

/** Every route and its methods, for 405 answers; a literal path comes before a `:param` path it would also match. */
const ROUTES: readonly RouteMethods[] = [
  { path: '/inventory', methods: ['GET'] },
  { path: '/inventory/fleet', methods: ['GET'] },
  { path: '/accounting', methods: ['GET'] },
  { path: '/campaigns', methods: ['GET', 'POST'] },
  { path: '/campaigns/plan', methods: ['POST'] },
  { path: '/campaigns/:id', methods: ['GET'] },
  { path: '/campaigns/:id/:action', methods: ['POST'] },
  { path: '/calendar', methods: ['GET'] },
  { path: '/campaign-templates', methods: ['GET', 'POST'] },
  { path: '/campaign-templates/:id', methods: ['DELETE'] },
  { path: '/campaign-templates/:id/:action', methods: ['POST'] },
];

/** Rejects a plan or start whose selection has no pod to act on, naming the field to fix. */
function assertSelectsContainer(
  outcome: PlanOutcome,
  spec: CampaignSpec,
): void {
  if (outcome.partial) return;
  if (outcome.selected === 0) {
    throw fieldError(
      'selector',
      "the selector matches no pods in the selected clusters: check selector.labelSelector, selector.namespaces, selector.clusters or the entity's Kubernetes annotations",
    );
  }
  if (outcome.withContainer === 0) {
    throw fieldError(
      'container',
      `none of the ${outcome.selected} selected pod(s) has a container named "${spec.container}": check the name (e.g. "istio-proxy") or the selector`,
    );
  }
}

export function createRouter(options: RouterOptions): express.Router {
  const {
    settings,
    httpAuth,
    access,
    entities,
    inventory,
    fleet,
    accounting,
    entityOwners,
    planner,
    campaigns,
  } = options;
  const router = Router();
  // The plugin lets every request past Backstage's credentials barrier, whose 401 would carry a stack
  // trace in development, and authenticates here so that a 401 gets this router's error body.
  router.use(async (req, _res, next) => {
    await httpAuth.credentials(req, { allow: ['user', 'service'] });
    next();
  });
  router.use(
    routeGuard(ROUTES),
    requireJsonContentType,
    jsonBodyParser(),
    rejectUnsafeInput,
  );
  const api = createContractRouter();
  router.use(api);

  const reader = (req: HttpRequest) =>
    httpAuth.credentials(req, { allow: ['user', 'service'] });
  const user = (
    req: HttpRequest,
  ): Promise<BackstageCredentials<BackstageUserPrincipal>> =>
    httpAuth.credentials(req, { allow: ['user'] });

  async function detail(
    record: CampaignRecord,
    credentials: BackstageCredentials,
  ): Promise<CampaignDetail> {
    const mayControl = await access.canManage(
      credentials,
      record.summary.entityRef,
    );
    return {
      ...record.summary,
      status: record.status,
      statusSource: record.source,
      ...(record.worker ? { worker: record.worker } : {}),
      temporalUiUrl: campaigns.temporalUiUrl(record.summary.id),
      allowedActions: mayControl
        ? applicableControls(record.status, record.open)
        : [],
    };
  }

  /** Body → validated, entity-resolved spec the caller may act on. */
  function authorizedSpec(
    req: HttpRequest,
    credentials: BackstageCredentials,
    what: string,
  ): Promise<ResolvedCampaign> {
    const spec = parseCampaignRequest(req.body, settings.campaignDefaults);
    return authorized(spec, credentials, what);
  }

  /** A validated spec, entity-resolved, once the caller may act on it. */
  async function authorized(
    spec: CampaignSpec,
    credentials: BackstageCredentials,
    what: string,
  ): Promise<ResolvedCampaign> {
    const resolved = await resolveCampaignSpec(spec, {
      clusterNames: settings.clusters.map(c => c.name),
      entities,
      credentials,
    });
    await access.assertCanManage(credentials, resolved.entityRef, what);
    return resolved;
  }

  api.get('/inventory', async (req, res) => {
    const credentials = await reader(req);
    const { entityRef: raw } = parseInventoryQuery(req.query);
    const found = await entities.find(raw, credentials);
    if (!found)
      throw new NotFoundError(
        `there is no catalog entity ${canonicalEntityRef(raw)}`,
      );
    await access.assertCanReadEntity(credentials, found.entityRef);
    const selection = entitySelection(found.entity);
    if (!selection.ok)
      throw fieldError('entityRef', `${found.entityRef}: ${selection.error}`);
    res.json(
      await inventory.entityInventory(found.entityRef, selection.selection),
    );
  });

  api.get('/inventory/fleet', async (req, res) => {
    const credentials = await reader(req);
    const { container } = parseFleetQuery(req.query);
    await access.assertCanRead(credentials);
    const view = await fleet.containerView(container);
    if (view.versions.length === 0 && !view.partial) {
      throw fieldError(
        'container',
        `no pod in any cluster runs a container named "${container}": check the name, e.g. "istio-proxy"`,
      );
    }
    res.json(view);
  });

  api.get('/accounting', async (req, res) => {
    const credentials = await reader(req);
    const { sidecar, groupBy } = parseAccountingQuery(req.query);
    await access.assertCanRead(credentials);
    const result = await accounting.account(
      sidecar,
      groupBy,
      await entityOwners(credentials),
    );
    if (result.fleet.pods === 0 && !result.partial) {
      throw fieldError(
        'sidecar',
        `no pod in any cluster runs a container named "${sidecar}": check the name, e.g. "istio-proxy"`,
      );
    }
    res.json(result);
  });

  api.post('/campaigns/plan', async (req, res) => {
    const credentials = await user(req);
    const { spec } = await authorizedSpec(
      req,
      credentials,
      'plan this campaign',
    );
    const { freezes, refusal } = campaignFreezes(
      settings.freezes,
      spec,
      new Date(),
    );
    const outcome = await planner.plan(spec);
    assertSelectsContainer(outcome, spec);
    const plan: PlanResponse = {
      ...outcome.plan,
      warnings: refusal
        ? [...outcome.plan.warnings, refusal]
        : outcome.plan.warnings,
      freezes,
    };
    res.json(plan);
  });

  api.post('/campaigns', async (req, res) => {
    const credentials = await user(req);
    const { spec, entityRef } = await authorizedSpec(
      req,
      credentials,
      'start this campaign',
    );
    const { freezes, refusal } = campaignFreezes(
      settings.freezes,
      spec,
      new Date(),
    );
    if (refusal) throw fieldError('schedule.notBefore', refusal);
    const outcome = await planner.plan(spec);
    const down = outcome.clusters.filter(c => !c.ok);
    if (down.length > 0) {
      throw new ServiceUnavailableError(
        `cluster(s) ${down.map(c => `${c.name} (${c.error})`).join(', ')} did not answer; the campaign was not started, so that it cannot miss their pods: try again, or narrow selector.clusters`,
      );
    }
    assertSelectsContainer(outcome, spec);
    const previewedPlan = previewedPlanOf(req.body) ?? outcome.plan.fingerprint;
    const summary = await campaigns.start(spec, {
      createdBy: credentials.principal.userEntityRef,
      previewedPlan,
      freezes,
      ...(entityRef ? { entityRef } : {}),
    });
    res.status(201).json(summary);
  });

  api.get('/campaigns', async (req, res) => {
    const credentials = await reader(req);
    const query = parseListQuery(req.query);
    await access.assertCanRead(credentials);
    try {
      res.json(
        await campaigns.list({
          ...query,
          ...(query.entityRef
            ? { entityRef: canonicalEntityRef(query.entityRef) }
            : {}),
        }),
      );
    } catch (error) {
      // The only input Temporal itself judges is the page token.
      throw InputError.is(error)
        ? fieldError('nextPageToken', error.message)
        : error;
    }
  });

  api.get('/calendar', async (req, res) => {
    const credentials = await reader(req);
    const now = new Date();
    const range = parseCalendarQuery(req.query, now);
    await access.assertCanRead(credentials);
    res.json(
      await campaignCalendar(
        { campaigns, freezes: settings.freezes },
        range,
        now,
      ),
    );
  });

  api.get('/campaigns/:id', async (req, res) => {
    const credentials = await reader(req);
    await access.assertCanRead(credentials);
    res.json(await detail(await campaigns.get(req.params.id), credentials));
  });

  api.post('/campaigns/:id/:action', async (req, res) => {
    const action = req.params.action as CampaignSignal;
    if (!CAMPAIGN_SIGNALS.includes(action))
      throw new NotFoundError(
        `unknown campaign control "${req.params.action}": use ${CAMPAIGN_SIGNALS.join(', ')}`,
      );
    const credentials = await user(req);
    const { reason } = parseControlBody(req.body);
    const { id } = req.params;
    const record = await campaigns.get(id);
    await access.assertCanManage(
      credentials,
      record.summary.entityRef,
      `${action} campaign ${id}`,
    );
    if (!applicableControls(record.status, record.open).includes(action)) {
      throw new ConflictError(
        notApplicableMessage(action, id, record.status, record.open),
      );
    }
    let sent: ControlOutcome;
    try {
      sent = await campaigns.signal(record, action, {
        by: credentials.principal.userEntityRef,
        ...(reason ? { reason } : {}),
      });
    } catch (error) {
      if (error instanceof WorkflowNotFoundError)
        throw new ConflictError(
          `cannot ${action} campaign ${id}: it ended meanwhile`,
        );
      throw error;
    }
    if (sent.outcome === 'ignored')
      throw new ConflictError(
        `campaign ${id} did not take the ${action}: ${sent.reason}`,
      );
    const after = await detail(await campaigns.get(id), credentials);
    const message =
      sent.outcome === 'applied'
        ? `the campaign recorded the ${action}`
        : `Temporal recorded the ${action}; it takes effect before any new patch once a worker polls task queue ${settings.temporal.taskQueue}`;
    res.status(202).json({
      ...after,
      control: { action, outcome: sent.outcome, message },
    } satisfies CampaignControlResponse);
  });

  if (options.templates)
    addTemplateRoutes(api, {
      settings,
      access,
      templates: options.templates,
      reader,
      user,
      authorize: authorized,
    });

  router.use(unknownRoute(ROUTES));
  router.use(errorHandler(options.logger));
  return router;
}
