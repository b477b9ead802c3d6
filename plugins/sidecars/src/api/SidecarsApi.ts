import { createApiRef } from '@backstage/core-plugin-api';
import type {
  AccountingGroupBy,
  CalendarResponse,
  CampaignControlResponse,
  CampaignDetail,
  CampaignListResponse,
  CampaignPhase,
  CampaignSignal,
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

/** A control a user can apply to a running campaign. */
export type CampaignAction = CampaignSignal;

/** A range of GET /calendar, as ISO 8601 instants; the backend's defaults (now, 14 days on) where absent. */
export interface CalendarQuery {
  from?: string;
  to?: string;
}

export interface CampaignListQuery {
  phase?: CampaignPhase;
  entityRef?: string;
  container?: string;
  pageSize?: number;
  nextPageToken?: string;
}

/** The `sidecars` backend's REST API, as the frontend uses it. */
export interface SidecarsApi {
  /** The sidecars running in one catalog entity's pods, grouped by cluster and workload. */
  getInventory(entityRef: string): Promise<InventoryResponse>;
  /** The versions of one sidecar container across every cluster and namespace. */
  getFleet(container: string): Promise<FleetResponse>;
  /** One sidecar's cost and faults across the fleet, by cluster, namespace or owning team. */
  getAccounting(
    sidecar: string,
    groupBy: AccountingGroupBy,
  ): Promise<SidecarAccountingResponse>;
  /** A dry run: the batches a spec would produce, without starting anything. */
  planCampaign(spec: CampaignSpecInput): Promise<PlanResponse>;
  /** Starts a campaign; `previewedPlan` is the fingerprint of the plan preview the user approved. */
  createCampaign(
    spec: CampaignSpecInput,
    previewedPlan?: PlanFingerprint,
  ): Promise<CampaignSummary>;
  listCampaigns(query?: CampaignListQuery): Promise<CampaignListResponse>;
  getCampaign(id: string): Promise<CampaignDetail>;
  /** Sends pause, resume, rollback or abort; answers with the campaign as it is after the signal. */
  controlCampaign(
    id: string,
    action: CampaignAction,
    reason?: string,
  ): Promise<CampaignControlResponse>;
  /** The configured freezes and the open campaigns' starts, window openings and estimated ends in a range. */
  getCalendar(query?: CalendarQuery): Promise<CalendarResponse>;
  /** Recurring campaign templates (Temporal Schedules) with their next and latest runs. */
  listCampaignTemplates(): Promise<CampaignTemplateListResponse>;
  createCampaignTemplate(
    template: CampaignTemplateRequest,
  ): Promise<CampaignTemplate>;
  /** Pauses or resumes a template's Schedule, or runs it now (trigger). */
  controlCampaignTemplate(
    id: string,
    action: CampaignTemplateAction,
  ): Promise<CampaignTemplate>;
  deleteCampaignTemplate(id: string): Promise<void>;
}

export const sidecarsApiRef = createApiRef<SidecarsApi>({
  id: 'plugin.sidecars.api',
});
