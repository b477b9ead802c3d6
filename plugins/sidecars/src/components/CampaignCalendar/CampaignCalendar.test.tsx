import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { http, HttpResponse } from 'msw';
import {
  SIDECARS_URL,
  apiError,
  backend,
  setUpFakeBackend,
} from '../../__testUtils__/backend';
import {
  calendar,
  calendarCampaign,
  hoursFromNow,
} from '../../__testUtils__/calendarFixtures';
import { renderWithSidecars } from '../../__testUtils__/renderWithSidecars';
import { formatTime } from '../../format';
import { CampaignViews } from './CampaignViews';

setUpFakeBackend();

const freeze = {
  name: 'release-week',
  start: hoursFromNow(48),
  end: hoursFromNow(96),
  clusters: ['prod-eu-1'],
};
const scheduled = calendarCampaign({
  id: 'campaign-2',
  phase: 'Scheduled',
  container: 'log-shipper',
  targetImage: 'registry.example.com/fluent-bit:3.1.0',
  entityRef: undefined,
  notBefore: hoursFromNow(30),
  start: hoursFromNow(30),
  estimatedEnd: null,
  estimate: 'not started yet: its end depends on the pace it will have',
  windows: [{ start: hoursFromNow(30), end: hoursFromNow(32) }],
  freezes: ['release-week'],
});
const running = calendarCampaign();

/** Serves the calendar, recording the query of each request. */
function serveCalendar(answer = calendar()) {
  const queries: URLSearchParams[] = [];
  backend.use(
    http.get(`${SIDECARS_URL}/calendar`, ({ request }) => {
      queries.push(new URL(request.url).searchParams);
      return HttpResponse.json(answer);
    }),
  );
  return queries;
}

const renderCalendar = () =>
  renderWithSidecars(<CampaignViews list={<p>the campaign list</p>} />, {
    route: '/sidecars?view=calendar',
  });

describe('the campaign calendar', () => {
  it('shows the list until the Calendar tab is chosen, then the calendar of today and the 13 days after', async () => {
    const queries = serveCalendar();
    await renderWithSidecars(<CampaignViews list={<p>the campaign list</p>} />);
    expect(screen.getByText('the campaign list')).toBeInTheDocument();
    await userEvent.click(screen.getByRole('tab', { name: 'Calendar' }));

    expect(
      await screen.findByText('Nothing planned for these 14 days'),
    ).toBeInTheDocument();
    expect(screen.queryByText('the campaign list')).not.toBeInTheDocument();
    const today = new Date();
    today.setHours(0, 0, 0, 0);
    const inTwoWeeks = new Date(today);
    inTwoWeeks.setDate(today.getDate() + 14);
    expect(queries.map(q => [q.get('from'), q.get('to')])).toEqual([
      [today.toISOString(), inTwoWeeks.toISOString()],
    ]);
  });

  it('moves by 14 days with Later and Earlier, and back with Today, keeping the start in the address', async () => {
    const queries = serveCalendar();
    await renderWithSidecars(
      <CampaignViews list={<p>the campaign list</p>} />,
      { route: '/sidecars?view=calendar&from=2099-06-01' },
    );
    await screen.findByText('Nothing planned for these 14 days');
    await userEvent.click(screen.getByRole('button', { name: 'Later' }));
    await userEvent.click(screen.getByRole('button', { name: 'Earlier' }));
    await userEvent.click(screen.getByRole('button', { name: 'Earlier' }));
    await screen.findByText('Nothing planned for these 14 days');
    const june = (day: number) => new Date(2099, 5, day).toISOString();
    await waitFor(() =>
      expect(queries.map(q => [q.get('from'), q.get('to')])).toEqual([
        [june(1), june(15)],
        [june(15), june(29)],
        [june(1), june(15)],
        [new Date(2099, 4, 18).toISOString(), june(1)],
      ]),
    );
    await userEvent.click(screen.getByRole('button', { name: 'Today' }));
    const today = new Date();
    today.setHours(0, 0, 0, 0);
    await waitFor(() =>
      expect(queries.at(-1)?.get('from')).toBe(today.toISOString()),
    );
  });

  it('has a row per freeze, per campaign and per campaign’s maintenance windows, in that order', async () => {
    serveCalendar(
      calendar({ freezes: [freeze], campaigns: [running, scheduled] }),
    );
    await renderCalendar();

    const rows = await screen.findAllByRole('listitem');
    const titles = rows
      .filter(row => row.closest('[aria-label="Campaign timeline"]'))
      .map(row => row.querySelector('p')?.textContent);
    expect(titles).toEqual([
      'Freeze: release-week',
      'istio-proxy → docker.io/istio/proxyv2:1.24.2',
      'log-shipper → registry.example.com/fluent-bit:3.1.0',
      'Maintenance windows',
    ]);
    expect(screen.getByText('clusters prod-eu-1')).toBeInTheDocument();
    expect(screen.getByText('now')).toBeInTheDocument();
    expect(
      within(screen.getByRole('list', { name: 'Legend' })).getByText(
        'Freeze: no batch starts',
      ),
    ).toBeInTheDocument();
  });

  it('labels each bar with what it stands for, and links campaign bars to the campaign', async () => {
    serveCalendar(
      calendar({ freezes: [freeze], campaigns: [running, scheduled] }),
    );
    await renderCalendar();

    expect(
      await screen.findByRole('img', {
        name: `Freeze release-week, ${formatTime(freeze.start)} – ${formatTime(freeze.end)}: no batch starts in clusters prod-eu-1`,
      }),
    ).toBeInTheDocument();
    expect(
      screen.getByRole('link', {
        name: `Scheduled to start ${formatTime(scheduled.start)}`,
      }),
    ).toHaveAttribute('href', '/sidecars/campaigns/campaign-2');
    expect(
      screen.getByRole('link', {
        name: `Estimated end ${formatTime(running.estimatedEnd!)}: ${running.estimate}`,
      }),
    ).toHaveAttribute('href', '/sidecars/campaigns/campaign-1');
    expect(
      screen.getByRole('link', {
        name: `Maintenance window open ${formatTime(scheduled.windows![0]!.start)} – ${formatTime(scheduled.windows![0]!.end)}`,
      }),
    ).toHaveAttribute('href', '/sidecars/campaigns/campaign-2');
    expect(
      screen.getByRole('link', {
        name: 'log-shipper → registry.example.com/fluent-bit:3.1.0',
      }),
    ).toHaveAttribute('href', '/sidecars/campaigns/campaign-2');
    expect(
      screen.getByText('In the scope of freeze release-week'),
    ).toBeInTheDocument();
  });

  it('says why a running campaign has no estimated end, and that a window-less range has no opening', async () => {
    serveCalendar(
      calendar({
        campaigns: [
          calendarCampaign({
            estimatedEnd: null,
            estimate:
              'no pod of 10 is done yet after 2 h, so there is no pace to go by',
            windows: [],
          }),
        ],
      }),
    );
    await renderCalendar();

    expect(
      await screen.findByText(
        'No estimated end: no pod of 10 is done yet after 2 h, so there is no pace to go by',
      ),
    ).toBeInTheDocument();
    expect(
      screen.getByText('No window opens in these days'),
    ).toBeInTheDocument();
    expect(
      screen.queryByRole('link', { name: /^Estimated end/ }),
    ).not.toBeInTheDocument();
  });

  it('shows the backend’s error with a Retry that loads the calendar again', async () => {
    let calls = 0;
    backend.use(
      http.get(`${SIDECARS_URL}/calendar`, () => {
        calls += 1;
        return calls === 1
          ? apiError(400, 'invalid calendar query: to: to must be after from')
          : HttpResponse.json(calendar({ freezes: [freeze] }));
      }),
    );
    await renderCalendar();

    expect(
      await screen.findByText(/Could not load the campaign calendar/),
    ).toBeInTheDocument();
    await userEvent.click(screen.getByRole('button', { name: 'Retry' }));
    expect(await screen.findByText('Freeze: release-week')).toBeInTheDocument();
  });
});
