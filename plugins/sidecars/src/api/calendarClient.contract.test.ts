/**
 * @jest-environment node
 */
import { http, HttpResponse } from 'msw';
import {
  loadContract,
  type ContractCheck,
} from '@internal/plugin-sidecars-backend/testUtils';
import {
  SIDECARS_URL,
  backend,
  setUpFakeBackend,
} from '../__testUtils__/backend';
import {
  calendar,
  calendarCampaign,
  hoursFromNow,
} from '../__testUtils__/calendarFixtures';
import { SidecarsClient } from './SidecarsClient';

setUpFakeBackend();

describe('SidecarsClient.getCalendar against the OpenAPI contract', () => {
  let contract: ContractCheck;
  beforeAll(async () => {
    contract = await loadContract();
  });

  const client = new SidecarsClient({
    discoveryApi: {
      getBaseUrl: async pluginId => `http://localhost:7007/api/${pluginId}`,
    },
    fetchApi: { fetch: (input, init) => globalThis.fetch(input, init) },
  });

  it('sends a range the contract takes, and the portal’s fixtures fit its answer', async () => {
    const answer = calendar({
      freezes: [
        {
          name: 'year-end',
          start: hoursFromNow(24),
          end: hoursFromNow(48),
          clusters: ['prod-eu-1'],
        },
      ],
      campaigns: [
        calendarCampaign(),
        calendarCampaign({
          id: 'campaign-2',
          phase: 'Scheduled',
          notBefore: hoursFromNow(30),
          start: hoursFromNow(30),
          estimatedEnd: null,
          estimate: 'not started yet',
          windows: [{ start: hoursFromNow(30), end: hoursFromNow(32) }],
        }),
      ],
    });
    const urls: string[] = [];
    backend.use(
      http.get(`${SIDECARS_URL}/calendar`, ({ request }) => {
        const url = new URL(request.url);
        urls.push(`/calendar${url.search}`);
        return HttpResponse.json(answer);
      }),
    );
    const range = {
      from: '2030-01-01T00:00:00.000Z',
      to: '2030-01-15T00:00:00.000Z',
    };
    expect(await client.getCalendar(range)).toEqual(answer);
    await client.getCalendar();

    expect(urls).toEqual([
      '/calendar?from=2030-01-01T00%3A00%3A00.000Z&to=2030-01-15T00%3A00%3A00.000Z',
      '/calendar',
    ]);
    for (const url of urls)
      expect(contract.requestProblems('GET', url, undefined)).toEqual([]);
    expect(contract.responseProblems('GET', urls[0]!, 200, answer)).toEqual([]);
  });
});
