import type {
  BackstageCredentials,
  BackstageUserPrincipal,
  HttpAuthService,
} from '@backstage/backend-plugin-api';
import type { TypedRouter } from '@backstage/backend-openapi-utils';
import { NotFoundError } from '@backstage/errors';
import {
  CAMPAIGN_TEMPLATE_ACTIONS,
  type CampaignSpec,
  type CampaignTemplate,
  type CampaignTemplateAction,
} from '@internal/plugin-sidecars-common';
import type { SidecarsSettings } from '../config';
import { campaignFreezes } from '../campaigns/freezes';
import type { ResolvedCampaign } from '../campaigns/resolveSpec';
import type {
  CampaignTemplateService,
  TemplateRecord,
} from '../campaigns/templates';
import type { CampaignAccess } from '../permissions/access';
import type { EndpointMap } from '../schema/openapi';
import { parseTemplateRequest, underSpec } from './templateRequests';

type Credentials = BackstageCredentials;
type HttpRequest = Parameters<HttpAuthService['credentials']>[0];

export interface TemplateRouteOptions {
  settings: SidecarsSettings;
  access: CampaignAccess;
  templates: Pick<
    CampaignTemplateService,
    'create' | 'list' | 'get' | 'control' | 'delete' | 'temporalUiUrl'
  >;
  reader: (req: HttpRequest) => Promise<Credentials>;
  user: (
    req: HttpRequest,
  ) => Promise<BackstageCredentials<BackstageUserPrincipal>>;
  /** The spec resolved (an entity's selection written in) once the caller may start it (see router.ts). */
  authorize: (
    spec: CampaignSpec,
    credentials: Credentials,
    what: string,
  ) => Promise<ResolvedCampaign>;
}

/** GET/POST /campaign-templates, POST /campaign-templates/:id/:action and DELETE /campaign-templates/:id. */
export function addTemplateRoutes(
  api: TypedRouter<EndpointMap>,
  options: TemplateRouteOptions,
): void {
  const { settings, access, templates, reader, user, authorize } = options;

  const view = async (
    record: TemplateRecord,
    credentials: Credentials,
  ): Promise<CampaignTemplate> => ({
    ...record,
    mayManage: await access.canManage(credentials, record.entityRef),
    temporalUiUrl: templates.temporalUiUrl(record.id),
  });

  /** The template, once the caller may manage it: what starting its campaign needs. */
  async function managed(id: string, credentials: Credentials, what: string) {
    const record = await templates.get(id);
    await access.assertCanManage(
      credentials,
      record.entityRef,
      `${what} template ${id}`,
    );
    return record;
  }

  api.get('/campaign-templates', async (req, res) => {
    const credentials = await reader(req);
    await access.assertCanRead(credentials);
    const records = await templates.list();
    res.json({
      items: await Promise.all(records.map(r => view(r, credentials))),
    });
  });

  api.post('/campaign-templates', async (req, res) => {
    const credentials = await user(req);
    const request = await parseTemplateRequest(
      req.body,
      settings.campaignDefaults,
      settings.clusters.map(c => c.name),
    );
    const { spec, entityRef } = await underSpec(() =>
      authorize(request.spec, credentials, 'create this template'),
    );
    const { freezes } = campaignFreezes(settings.freezes, spec, new Date());
    const record = await templates.create(
      request.id,
      {
        name: request.name,
        cron: request.cron,
        timeZone: request.timeZone,
        spec,
        ...(request.targetImageFrom
          ? { targetImageFrom: request.targetImageFrom }
          : {}),
        ...(entityRef ? { entityRef } : {}),
        createdBy: credentials.principal.userEntityRef,
      },
      freezes,
    );
    res.status(201).json(await view(record, credentials));
  });

  api.post('/campaign-templates/:id/:action', async (req, res) => {
    const action = req.params.action as CampaignTemplateAction;
    if (!CAMPAIGN_TEMPLATE_ACTIONS.includes(action))
      throw new NotFoundError(
        `unknown template control "${req.params.action}": use ${CAMPAIGN_TEMPLATE_ACTIONS.join(', ')}`,
      );
    const credentials = await user(req);
    await managed(req.params.id, credentials, action);
    const record = await templates.control(
      req.params.id,
      action,
      credentials.principal.userEntityRef,
    );
    res.status(202).json(await view(record, credentials));
  });

  api.delete('/campaign-templates/:id', async (req, res) => {
    const credentials = await user(req);
    await managed(req.params.id, credentials, 'delete');
    await templates.delete(req.params.id);
    res.status(204).end();
  });
}
