import type {
  CalendarCampaign,
  CalendarResponse,
  FreezeWindow,
} from '@internal/plugin-sidecars-common';
import { formatTime } from '../../format';

/**
 * What a bar stands for: a freeze, an opening of a campaign's maintenance windows, a scheduled
 * start (an instant), a running campaign's work so far, the rest up to its estimated end, or the
 * time a paused or rolling-back campaign has run.
 */
export type BarKind =
  'freeze' | 'window' | 'scheduled' | 'progress' | 'estimate' | 'stalled';

export interface TimelineBar {
  kind: BarKind;
  start: number;
  end: number;
  /** What the bar says on hover and to a screen reader. */
  label: string;
}

export interface TimelineRow {
  key: string;
  /** A campaign's own row, the openings of its maintenance windows, or a freeze. */
  kind: 'campaign' | 'windows' | 'freeze';
  title: string;
  subtitle: string;
  /** Set on a campaign's rows: its bars and title link to its page. */
  campaignId?: string;
  bars: TimelineBar[];
  /** A line under the subtitle, e.g. why there is no estimated end. */
  note?: string;
}

const between = (start: string, end: string) =>
  `${formatTime(start)} – ${formatTime(end)}`;

function scopeOf(freeze: FreezeWindow): string {
  const parts = [
    freeze.clusters ? `clusters ${freeze.clusters.join(', ')}` : '',
    freeze.namespaces ? `namespaces ${freeze.namespaces.join(', ')}` : '',
  ].filter(Boolean);
  return parts.length > 0 ? parts.join('; ') : 'the whole fleet';
}

function freezeRow(freeze: FreezeWindow): TimelineRow {
  return {
    key: `freeze:${freeze.name}`,
    kind: 'freeze',
    title: `Freeze: ${freeze.name}`,
    subtitle: scopeOf(freeze),
    bars: [
      {
        kind: 'freeze',
        start: Date.parse(freeze.start),
        end: Date.parse(freeze.end),
        label: `Freeze ${freeze.name}, ${between(freeze.start, freeze.end)}: no batch starts in ${scopeOf(freeze)}`,
      },
    ],
  };
}

function campaignBars(campaign: CalendarCampaign, now: number): TimelineBar[] {
  const start = Date.parse(campaign.start);
  if (campaign.phase === 'Scheduled')
    return [
      {
        kind: 'scheduled',
        start,
        end: start,
        label: `Scheduled to start ${formatTime(campaign.start)}`,
      },
    ];
  if (campaign.phase !== 'Running')
    return [
      {
        kind: 'stalled',
        start,
        end: now,
        label: `${campaign.phase} (started ${formatTime(campaign.start)})`,
      },
    ];
  const bars: TimelineBar[] = [
    {
      kind: 'progress',
      start,
      end: now,
      label: `Running since ${formatTime(campaign.start)}`,
    },
  ];
  const end = campaign.estimatedEnd ? Date.parse(campaign.estimatedEnd) : now;
  if (end > now)
    bars.push({
      kind: 'estimate',
      start: now,
      end,
      label: `Estimated end ${formatTime(campaign.estimatedEnd ?? undefined)}: ${campaign.estimate}`,
    });
  return bars;
}

function campaignNote(campaign: CalendarCampaign): string | undefined {
  const notes = [
    campaign.phase !== 'Scheduled' && campaign.estimatedEnd === null
      ? `No estimated end: ${campaign.estimate}`
      : '',
    campaign.freezes.length > 0
      ? `In the scope of ${campaign.freezes.length === 1 ? 'freeze' : 'freezes'} ${campaign.freezes.join(', ')}`
      : '',
  ].filter(Boolean);
  return notes.length > 0 ? notes.join('. ') : undefined;
}

function campaignRows(campaign: CalendarCampaign, now: number): TimelineRow[] {
  const name = `${campaign.container} → ${campaign.targetImage}`;
  const note = campaignNote(campaign);
  const rows: TimelineRow[] = [
    {
      key: `campaign:${campaign.id}`,
      kind: 'campaign',
      title: name,
      subtitle: `${campaign.phase} · ${campaign.entityRef ?? 'Fleet selection'}`,
      campaignId: campaign.id,
      bars: campaignBars(campaign, now),
      ...(note ? { note } : {}),
    },
  ];
  if (campaign.windows)
    rows.push({
      key: `windows:${campaign.id}`,
      kind: 'windows',
      title: 'Maintenance windows',
      subtitle: `of ${name}`,
      campaignId: campaign.id,
      bars: campaign.windows.map(w => ({
        kind: 'window',
        start: Date.parse(w.start),
        end: Date.parse(w.end),
        label: `Maintenance window open ${between(w.start, w.end)}`,
      })),
      ...(campaign.windows.length === 0
        ? { note: 'No window opens in these days' }
        : {}),
    });
  return rows;
}

/** The calendar's rows, top to bottom: the freezes, then each campaign followed by its maintenance windows. */
export function calendarRows(calendar: CalendarResponse): TimelineRow[] {
  const now = Date.parse(calendar.now);
  return [
    ...calendar.freezes.map(freezeRow),
    ...calendar.campaigns.flatMap(c => campaignRows(c, now)),
  ];
}
