import type {
  ApiErrorBody,
  FieldError,
} from '@internal/plugin-sidecars-common';

/** What to do next, for the statuses whose server message alone does not say it. */
const NEXT_STEP_BY_STATUS: Record<number, string> = {
  401: 'Your session has expired or you are not signed in: reload the page and sign in again.',
  403: 'Ask the owners of the service, or the platform team for fleet-wide campaigns, to grant you access.',
  502: 'The sidecars backend is not reachable: check that the Backstage backend is running, then retry.',
  503: 'The sidecars backend is not ready (Temporal or a cluster may be down): retry in a minute.',
};

function isApiErrorBody(value: unknown): value is ApiErrorBody {
  if (typeof value !== 'object' || value === null || !('error' in value))
    return false;
  const error = (value as { error: unknown }).error;
  return (
    typeof error === 'object' &&
    error !== null &&
    typeof (error as { message?: unknown }).message === 'string'
  );
}

/** An error answer of the sidecars backend, with field-level details for a rejected campaign spec. */
export class SidecarsApiError extends Error {
  override readonly name = 'SidecarsApiError';

  constructor(
    message: string,
    readonly status: number,
    readonly fields: readonly FieldError[] = [],
  ) {
    super(message);
  }

  static async fromResponse(response: Response): Promise<SidecarsApiError> {
    const text = await response.text().catch(() => '');
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      body = undefined;
    }
    const serverMessage = isApiErrorBody(body)
      ? body.error.message
      : text.trim().slice(0, 300);
    const nextStep = NEXT_STEP_BY_STATUS[response.status];
    const base =
      serverMessage ||
      `The sidecars backend answered HTTP ${response.status} ${response.statusText}`.trim();
    const message = nextStep
      ? `${base.replace(/[.\s]+$/, '')}. ${nextStep}`
      : base;
    const fields =
      isApiErrorBody(body) && Array.isArray(body.fields) ? body.fields : [];
    return new SidecarsApiError(message, response.status, fields);
  }
}
