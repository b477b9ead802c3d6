import { Box, Tab, Tabs } from '@material-ui/core';
import type { ReactNode } from 'react';
import { useSearchParams } from 'react-router-dom';
import { CampaignCalendar } from './CampaignCalendar';

type View = 'list' | 'calendar';

/** The campaigns as a list or on a calendar; the choice is in the address (?view=calendar), so it can be linked to and survives a reload. */
export function CampaignViews(props: { list: ReactNode }) {
  const [params, setParams] = useSearchParams();
  const view: View = params.get('view') === 'calendar' ? 'calendar' : 'list';
  const show = (next: View) =>
    setParams(
      current => {
        const updated = new URLSearchParams(current);
        if (next === 'calendar') updated.set('view', 'calendar');
        else {
          updated.delete('view');
          updated.delete('from');
        }
        return updated;
      },
      { replace: true },
    );
  return (
    <>
      <Tabs
        value={view}
        onChange={(_event, next: View) => show(next)}
        indicatorColor="primary"
        textColor="primary"
        aria-label="Campaign views"
      >
        <Tab value="list" label="List" />
        <Tab value="calendar" label="Calendar" />
      </Tabs>
      <Box mt={2}>
        {view === 'calendar' ? <CampaignCalendar /> : props.list}
      </Box>
    </>
  );
}
