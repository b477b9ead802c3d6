import { useApi } from '@backstage/core-plugin-api';
import { useSignal } from '@backstage/plugin-signals-react';
import {
  CAMPAIGN_SIGNAL_CHANNELS,
  isSettledPhase,
  type CampaignDetail,
  type CampaignSignalMessage,
} from '@internal/plugin-sidecars-common';
import { useCallback, useEffect, useState } from 'react';
import { SidecarsApiError, sidecarsApiRef } from '../api';

export const CAMPAIGN_REFRESH_INTERVAL_MS = 2000;

/** Answers that a retry will not change. */
function isFinalError(error: unknown): boolean {
  return (
    error instanceof SidecarsApiError && [401, 403, 404].includes(error.status)
  );
}

export interface CampaignDetailState {
  campaign?: CampaignDetail;
  /** The last refresh's error; the previous campaign data stays shown. */
  error?: Error;
  loading: boolean;
  /** True while the page follows the campaign's signals instead of polling. */
  live: boolean;
  /** Shows the campaign an action answered with and restarts the refresh (a rollback revives a completed campaign). */
  replace: (campaign: CampaignDetail) => void;
}

/**
 * One campaign, fetched again on each signal of its channel; where the app has no signals, it is
 * polled every `intervalMs` until it settles instead.
 */
export function useCampaignDetail(
  id: string,
  intervalMs = CAMPAIGN_REFRESH_INTERVAL_MS,
): CampaignDetailState {
  const api = useApi(sidecarsApiRef);
  const [campaign, setCampaign] = useState<CampaignDetail>();
  const [error, setError] = useState<Error>();
  const [loading, setLoading] = useState(true);
  const [generation, setGeneration] = useState(0);
  const { lastSignal, isSignalsAvailable } = useSignal<CampaignSignalMessage>(
    CAMPAIGN_SIGNAL_CHANNELS.campaign(id),
  );

  useEffect(() => {
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const refresh = async () => {
      let keepGoing = true;
      try {
        const next = await api.getCampaign(id);
        if (stopped) return;
        setCampaign(next);
        setError(undefined);
        keepGoing = !isSettledPhase(next.phase);
      } catch (caught) {
        if (stopped) return;
        setError(caught instanceof Error ? caught : new Error(String(caught)));
        keepGoing = !isFinalError(caught);
      }
      setLoading(false);
      if (keepGoing && !isSignalsAvailable)
        timer = setTimeout(refresh, intervalMs);
    };
    refresh();
    return () => {
      stopped = true;
      if (timer) clearTimeout(timer);
    };
    // A new signal runs this again: one fetch, which replaces any still in flight.
  }, [api, id, intervalMs, generation, isSignalsAvailable, lastSignal]);

  const replace = useCallback((next: CampaignDetail) => {
    setCampaign(next);
    setGeneration(current => current + 1);
  }, []);

  return { campaign, error, loading, live: isSignalsAvailable, replace };
}
