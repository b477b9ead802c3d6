import { useSignal } from '@backstage/plugin-signals-react';
import type { CampaignSignalMessage } from '@internal/plugin-sidecars-common';
import { useEffect, useRef } from 'react';

export interface PollingFallback {
  intervalMs: number;
  /** Whether anything shown can still change (e.g. a campaign that has not settled). */
  enabled: boolean;
}

/**
 * Calls `refresh` on each signal of a campaign channel. Where the app has no signals, it polls
 * instead: every `fallback.intervalMs` while `fallback.enabled`. Returns true while signals drive
 * the refresh.
 */
export function useLiveRefresh(
  channel: string,
  refresh: () => void,
  fallback: PollingFallback,
): boolean {
  const { lastSignal, isSignalsAvailable } =
    useSignal<CampaignSignalMessage>(channel);
  const latestRefresh = useRef(refresh);
  useEffect(() => {
    latestRefresh.current = refresh;
  }, [refresh]);

  useEffect(() => {
    if (lastSignal) latestRefresh.current();
  }, [lastSignal]);

  const polling = !isSignalsAvailable && fallback.enabled;
  useEffect(() => {
    if (!polling) return undefined;
    const timer = setInterval(
      () => latestRefresh.current(),
      fallback.intervalMs,
    );
    return () => clearInterval(timer);
  }, [polling, fallback.intervalMs]);

  return isSignalsAvailable;
}
