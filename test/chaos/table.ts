import type { ScenarioResult } from './campaign-run';

/** A scenario that ran and did not end in its expected phase with 0 violations. */
export const failed = (result: ScenarioResult) =>
  result.notRunReason === undefined &&
  !(
    result.phase === result.expectedPhase &&
    result.report?.violations.length === 0
  );

function patchesPerTarget({ report }: ScenarioResult): string {
  if (!report || report.targets === 0) return '–';
  const per = (n: number) => (n / report.targets).toFixed(2);
  return `${per(report.patches.upgrade)} up${report.patches.rollback > 0 ? `, ${per(report.patches.rollback)} back` : ''} (${report.targets} targets)`;
}

function phaseCell(result: ScenarioResult): string {
  if (result.notRunReason !== undefined)
    return `not run: ${result.notRunReason}`;
  return result.phase === result.expectedPhase
    ? result.phase
    : `${result.phase} (expected ${result.expectedPhase})`;
}

/** The chaos run as a Markdown table, followed by every violation and note in full. */
export function chaosTable(results: readonly ScenarioResult[]): string {
  const rows = results.map(r => [
    r.scenario,
    r.faults,
    `${(r.wallMs / 1000).toFixed(0)} s`,
    r.report ? String(r.report.violations.length) : '–',
    patchesPerTarget(r),
    phaseCell(r),
  ]);
  const header = [
    'scenario',
    'faults injected',
    'wall time',
    'violations',
    'patches per pod',
    'phase',
  ];
  const lines = [header, header.map(() => '---'), ...rows].map(
    cells => `| ${cells.join(' | ')} |`,
  );
  const details = results.flatMap(r => [
    ...(r.report?.violations ?? []).map(v => `${r.scenario}: VIOLATION ${v}`),
    ...r.notes.map(n => `${r.scenario}: ${n}`),
  ]);
  return [...lines, ...(details.length ? ['', ...details] : [])].join('\n');
}
