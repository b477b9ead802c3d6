import type { DiscoveryApi, FetchApi } from '@backstage/core-plugin-api';
import type {
  AccountingGroupBy,
  CalendarResponse,
  CampaignControlResponse,
  CampaignDetail,
  CampaignListResponse,
  CampaignRequest,
  CampaignSpecInput,
  CampaignSummary,
  CampaignTemplate,
  CampaignTemplateAction,
  CampaignTemplateListResponse,
  CampaignTemplateRequest,
  FleetResponse,
  InventoryResponse,
  PlanFingerprint,
  PlanResponse,
  SidecarAccountingResponse,
} from '@internal/plugin-sidecars-common';
import type {
  CalendarQuery,
  CampaignAction,
  CampaignListQuery,
  SidecarsApi,
} from './SidecarsApi';
import { SidecarsApiError } from './SidecarsApiError';

/** Calls the `sidecars` backend plugin through Backstage's discovery and (authenticated) fetch APIs. */
export class SidecarsClient implements SidecarsApi {
  private readonly discoveryApi: DiscoveryApi;
  private readonly fetchApi: FetchApi;

  constructor(options: { discoveryApi: DiscoveryApi; fetchApi: FetchApi }) {
    this.discoveryApi = options.discoveryApi;
    this.fetchApi = options.fetchApi;
  }

  getInventory(entityRef: string): Promise<InventoryResponse> {
    return this.request('GET', '/inventory', { query: { entityRef } });
  }

  getFleet(container: string): Promise<FleetResponse> {
    return this.request('GET', '/inventory/fleet', { query: { container } });
  }

  getAccounting(
    sidecar: string,
    groupBy: AccountingGroupBy,
  ): Promise<SidecarAccountingResponse> {
    return this.request('GET', '/accounting', { query: { sidecar, groupBy } });
  }

  planCampaign(spec: CampaignSpecInput): Promise<PlanResponse> {
    return this.request('POST', '/campaigns/plan', {
      body: { spec } satisfies CampaignRequest,
    });
  }

  createCampaign(
    spec: CampaignSpecInput,
    previewedPlan?: PlanFingerprint,
  ): Promise<CampaignSummary> {
    return this.request('POST', '/campaigns', {
      body: {
        spec,
        ...(previewedPlan ? { previewedPlan } : {}),
      } satisfies CampaignRequest,
    });
  }

  listCampaigns(query: CampaignListQuery = {}): Promise<CampaignListResponse> {
    return this.request('GET', '/campaigns', {
      query: {
        phase: query.phase,
        entityRef: query.entityRef,
        container: query.container,
        pageSize: query.pageSize?.toString(),
        nextPageToken: query.nextPageToken,
      },
    });
  }

  getCampaign(id: string): Promise<CampaignDetail> {
    return this.request('GET', `/campaigns/${encodeURIComponent(id)}`);
  }

  controlCampaign(
    id: string,
    action: CampaignAction,
    reason?: string,
  ): Promise<CampaignControlResponse> {
    const trimmed = reason?.trim();
    return this.request(
      'POST',
      `/campaigns/${encodeURIComponent(id)}/${action}`,
      {
        body: trimmed ? { reason: trimmed } : {},
      },
    );
  }

  getCalendar(query: CalendarQuery = {}): Promise<CalendarResponse> {
    return this.request('GET', '/calendar', {
      query: { from: query.from, to: query.to },
    });
  }

  listCampaignTemplates(): Promise<CampaignTemplateListResponse> {
    return this.request('GET', '/campaign-templates');
  }

  createCampaignTemplate(
    template: CampaignTemplateRequest,
  ): Promise<CampaignTemplate> {
    return this.request('POST', '/campaign-templates', { body: template });
  }

  controlCampaignTemplate(
    id: string,
    action: CampaignTemplateAction,
  ): Promise<CampaignTemplate> {
    return this.request(
      'POST',
      `/campaign-templates/${encodeURIComponent(id)}/${action}`,
    );
  }

  deleteCampaignTemplate(id: string): Promise<void> {
    return this.request(
      'DELETE',
      `/campaign-templates/${encodeURIComponent(id)}`,
    );
  }

  private async request<T>(
    method: 'GET' | 'POST' | 'DELETE',
    path: string,
    options: {
      query?: Record<string, string | undefined>;
      body?: unknown;
    } = {},
  ): Promise<T> {
    const baseUrl = await this.discoveryApi.getBaseUrl('sidecars');
    const params = new URLSearchParams();
    for (const [key, value] of Object.entries(options.query ?? {})) {
      if (value !== undefined && value !== '') params.set(key, value);
    }
    const search = params.size > 0 ? `?${params}` : '';
    let response: Response;
    try {
      response = await this.fetchApi.fetch(`${baseUrl}${path}${search}`, {
        method,
        headers:
          options.body === undefined
            ? undefined
            : { 'Content-Type': 'application/json' },
        body:
          options.body === undefined ? undefined : JSON.stringify(options.body),
      });
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      throw new SidecarsApiError(
        `Could not reach the sidecars backend at ${baseUrl} (${reason}): check that the Backstage backend is running, then retry.`,
        0,
      );
    }
    if (!response.ok) throw await SidecarsApiError.fromResponse(response);
    // A DELETE answers 204 with no body.
    if (response.status === 204) return undefined as T;
    return (await response.json()) as T;
  }
}
