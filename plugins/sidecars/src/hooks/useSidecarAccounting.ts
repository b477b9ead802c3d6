import { useApi } from '@backstage/core-plugin-api';
import type {
  AccountingGroupBy,
  SidecarAccountingResponse,
} from '@internal/plugin-sidecars-common';
import { useState } from 'react';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import useDebounce from 'react-use/esm/useDebounce';
import { sidecarsApiRef } from '../api';

const TYPING_PAUSE_MS = 400;

/** One sidecar's accounting, fetched once the name has stopped changing; nothing for an empty name. */
export function useSidecarAccounting(
  sidecar: string,
  groupBy: AccountingGroupBy,
): {
  accounting?: SidecarAccountingResponse;
  loading: boolean;
  error?: Error;
  retry: () => void;
} {
  const api = useApi(sidecarsApiRef);
  const [settledName, setSettledName] = useState(sidecar.trim());
  useDebounce(() => setSettledName(sidecar.trim()), TYPING_PAUSE_MS, [sidecar]);
  const { value, loading, error, retry } = useAsyncRetry(
    async () =>
      settledName ? api.getAccounting(settledName, groupBy) : undefined,
    [api, settledName, groupBy],
  );
  return { accounting: value, loading, error, retry };
}
