import { useApi } from '@backstage/core-plugin-api';
import type { FleetResponse } from '@internal/plugin-sidecars-common';
import { useState } from 'react';
import useAsync from 'react-use/esm/useAsync';
import useDebounce from 'react-use/esm/useDebounce';
import { sidecarsApiRef } from '../api';

const TYPING_PAUSE_MS = 400;

/** The fleet's versions of one container, fetched once the name has stopped changing; nothing for an empty name. */
export function useFleet(container: string): {
  fleet?: FleetResponse;
  loading: boolean;
  error?: Error;
} {
  const api = useApi(sidecarsApiRef);
  const [settledName, setSettledName] = useState(container.trim());
  useDebounce(() => setSettledName(container.trim()), TYPING_PAUSE_MS, [
    container,
  ]);
  const { value, loading, error } = useAsync(
    async () => (settledName ? api.getFleet(settledName) : undefined),
    [api, settledName],
  );
  return { fleet: value, loading, error };
}
