import { useApi } from '@backstage/core-plugin-api';
import {
  CAMPAIGN_SIGNAL_CHANNELS,
  isSettledPhase,
  type CampaignPhase,
  type CampaignSummary,
  type WorkerPresence,
} from '@internal/plugin-sidecars-common';
import { useCallback, useEffect, useRef, useState } from 'react';
import { sidecarsApiRef } from '../api';
import { useLiveRefresh } from './useLiveRefresh';

const PAGE_SIZE = 25;
/** The API's largest page: a refresh fetches the rows already shown in one request, up to this many. */
const MAX_PAGE_SIZE = 100;
/** Without signals, how often the list is fetched again while a campaign in it has not settled. */
const LIST_REFRESH_INTERVAL_MS = 5000;

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
  /** True while the list follows campaign signals instead of polling. */
  live: boolean;
  loadMore: () => void;
  reload: () => void;
}

/**
 * Campaigns matching the filter, a page at a time; a new filter starts over. The rows shown are
 * fetched again on each campaign signal (or, without signals, polled while one has not settled).
 */
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

  const shown = items.length;
  // A refresh keeps what is shown: the rows loaded so far in one request, and the last answer on a failure.
  const refresh = useCallback(async () => {
    const request = ++latestRequest.current;
    try {
      const page = await api.listCampaigns({
        phase,
        container,
        entityRef,
        pageSize: Math.min(MAX_PAGE_SIZE, Math.max(PAGE_SIZE, shown)),
      });
      if (request !== latestRequest.current) return;
      setItems(page.items);
      setNextPageToken(page.nextPageToken);
      setWorker(page.worker);
    } catch {
      // The next signal or poll tries again.
    }
  }, [api, phase, container, entityRef, shown]);
  const live = useLiveRefresh(CAMPAIGN_SIGNAL_CHANNELS.list, refresh, {
    intervalMs: LIST_REFRESH_INTERVAL_MS,
    enabled: items.some(item => !isSettledPhase(item.phase)),
  });

  return {
    items,
    worker,
    loading,
    error,
    hasMore: nextPageToken !== undefined,
    live,
    loadMore: () => load(nextPageToken),
    reload: () => load(undefined),
  };
}
