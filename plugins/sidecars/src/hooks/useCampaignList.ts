import { useApi } from '@backstage/core-plugin-api';
import type {
  CampaignPhase,
  CampaignSummary,
  WorkerPresence,
} from '@internal/plugin-sidecars-common';
import { useCallback, useEffect, useRef, useState } from 'react';
import { sidecarsApiRef } from '../api';

const PAGE_SIZE = 25;

export interface CampaignListFilter {
  phase?: CampaignPhase;
  container?: string;
  entityRef?: string;
}

export interface CampaignListState {
  items: CampaignSummary[];
  /** Set when the backend says no worker polls the campaign task queue. */
  worker?: WorkerPresence;
  loading: boolean;
  error?: Error;
  hasMore: boolean;
  loadMore: () => void;
  reload: () => void;
}

/** Campaigns matching the filter, a page at a time; a new filter starts over. */
export function useCampaignList(filter: CampaignListFilter): CampaignListState {
  const api = useApi(sidecarsApiRef);
  const [items, setItems] = useState<CampaignSummary[]>([]);
  const [nextPageToken, setNextPageToken] = useState<string>();
  const [worker, setWorker] = useState<WorkerPresence>();
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<Error>();
  // Answers to an older filter or page request must not overwrite newer ones.
  const latestRequest = useRef(0);
  const { phase, container, entityRef } = filter;

  const load = useCallback(
    async (pageToken: string | undefined) => {
      const request = ++latestRequest.current;
      setLoading(true);
      setError(undefined);
      try {
        const page = await api.listCampaigns({
          phase,
          container,
          entityRef,
          pageSize: PAGE_SIZE,
          nextPageToken: pageToken,
        });
        if (request !== latestRequest.current) return;
        setItems(current =>
          pageToken ? [...current, ...page.items] : page.items,
        );
        setNextPageToken(page.nextPageToken);
        setWorker(page.worker);
      } catch (caught) {
        if (request !== latestRequest.current) return;
        setError(caught instanceof Error ? caught : new Error(String(caught)));
      } finally {
        if (request === latestRequest.current) setLoading(false);
      }
    },
    [api, phase, container, entityRef],
  );

  useEffect(() => {
    load(undefined);
  }, [load]);

  return {
    items,
    worker,
    loading,
    error,
    hasMore: nextPageToken !== undefined,
    loadMore: () => load(nextPageToken),
    reload: () => load(undefined),
  };
}
