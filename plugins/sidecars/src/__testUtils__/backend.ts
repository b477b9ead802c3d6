import { registerMswTestHooks } from '@backstage/test-utils';
import { act, waitFor } from '@testing-library/react';
import { http, HttpResponse, type JsonBodyType } from 'msw';
import { setupServer } from 'msw/node';

/** Where the test app's discovery finds every backend plugin. */
export const BACKEND_URL = 'http://localhost:7007';
export const SIDECARS_URL = `${BACKEND_URL}/api/sidecars`;

/** The one HTTP fake of these tests: every request the components make goes through it, anything unexpected fails the test. */
export const backend = setupServer();

/** Starts the fake backend around each test of the calling file. */
export function setUpFakeBackend(): void {
  registerMswTestHooks(backend);
}

type Decision = 'ALLOW' | 'DENY';

/** Counts the permission decisions the fake backend has sent, so a test can wait for them before judging a control. */
export interface PermissionLog {
  answered: number;
}

/** Answers the permission backend's /authorize per permission name; anything not listed is allowed. */
export function permissionHandler(
  decisions: Record<string, Decision> = {},
  log: PermissionLog = { answered: 0 },
) {
  return http.post(
    `${BACKEND_URL}/api/permission/authorize`,
    async ({ request }) => {
      const body = (await request.json()) as {
        items: Array<{ id: string; permission: { name: string } }>;
      };
      log.answered += body.items.length;
      return HttpResponse.json({
        items: body.items.map(item => ({
          id: item.id,
          result: decisions[item.permission.name] ?? 'ALLOW',
        })),
      });
    },
  );
}

const ERROR_NAME_BY_STATUS: Record<number, string> = {
  400: 'InputError',
  403: 'NotAllowedError',
  404: 'NotFoundError',
};

/** A backend error in the sidecars API's shape. */
export function apiError(
  status: number,
  message: string,
  fields?: Array<{ field: string; message: string }>,
) {
  const name = ERROR_NAME_BY_STATUS[status] ?? 'Error';
  return HttpResponse.json(
    { error: { name, message }, ...(fields ? { fields } : {}) } as JsonBodyType,
    { status },
  );
}

/** Waits until the fake backend has answered `count` permission checks and the page has re-rendered. */
export async function permissionsSettled(
  log: PermissionLog,
  count: number,
): Promise<void> {
  await waitFor(() => expect(log.answered).toBeGreaterThanOrEqual(count));
  await act(() => new Promise(resolve => setTimeout(resolve, 50)));
}
