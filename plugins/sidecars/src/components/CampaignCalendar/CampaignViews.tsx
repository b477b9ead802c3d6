import { Box, Tab, Tabs } from '@material-ui/core';
import type { ReactNode } from 'react';
import { useSearchParams } from 'react-router-dom';
import { CampaignCalendar } from './CampaignCalendar';

type View = 'list' | 'calendar' | 'templates';
const LINKED_VIEWS: readonly View[] = ['calendar', 'templates'];

/**
 * The campaigns as a list or on a calendar, or the recurring templates (when given); the choice is
 * in the address (?view=calendar), so it can be linked to and survives a reload.
 */
export function CampaignViews(props: {
  list: ReactNode;
  templates?: ReactNode;
}) {
  const [params, setParams] = useSearchParams();
  const asked = LINKED_VIEWS.find(v => v === params.get('view'));
  const view: View =
    asked === 'templates' && !props.templates ? 'list' : (asked ?? 'list');
  const show = (next: View) =>
    setParams(
      current => {
        const updated = new URLSearchParams(current);
        if (next !== 'list') updated.set('view', next);
        else updated.delete('view');
        if (next !== 'calendar') updated.delete('from');
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
        {props.templates && <Tab value="templates" label="Templates" />}
      </Tabs>
      <Box mt={2}>
        {view === 'calendar' && <CampaignCalendar />}
        {view === 'templates' && props.templates}
        {view === 'list' && props.list}
      </Box>
    </>
  );
}
