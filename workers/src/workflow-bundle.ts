import { join } from 'node:path';
import { bundleWorkflowCode } from '@temporalio/worker';
import {
  isFresh,
  lockfile,
  sourceFiles,
  writeAtomically,
} from './build-inputs';

/** Where the pre-bundled workflow code goes (git-ignored; rebuilt when the sources change). */
export const WORKFLOW_BUNDLE_PATH = join(
  __dirname,
  '..',
  'dist',
  'workflow-bundle.js',
);

const WORKFLOWS_PATH =
  require.resolve('@internal/sidecar-workflows/src/workflows.ts');

/** The bundle's path if it is newer than the workflow package, the common package it imports, and the lockfile. */
export function freshWorkflowBundle(): string | undefined {
  const inputs = [
    ...sourceFiles('@internal/sidecar-workflows'),
    ...sourceFiles('@internal/plugin-sidecars-common'),
    lockfile(),
  ];
  return isFresh(WORKFLOW_BUNDLE_PATH, inputs)
    ? WORKFLOW_BUNDLE_PATH
    : undefined;
}

/** Bundles the workflow code unless a fresh bundle exists. */
export async function ensureWorkflowBundle(
  log: (line: string) => void,
): Promise<void> {
  if (freshWorkflowBundle()) return;
  const started = Date.now();
  log('bundling the workflow code (missing or older than its sources)');
  const { code } = await bundleWorkflowCode({ workflowsPath: WORKFLOWS_PATH });
  writeAtomically(WORKFLOW_BUNDLE_PATH, code);
  log(
    `workflow bundle written to ${WORKFLOW_BUNDLE_PATH} in ${Date.now() - started} ms`,
  );
}

/** Worker options for the workflow code: the pre-built bundle when fresh, else bundling at start. */
export function workflowCodeOption(
  log: (line: string) => void,
): { workflowBundle: { codePath: string } } | { workflowsPath: string } {
  const bundle = freshWorkflowBundle();
  if (bundle) return { workflowBundle: { codePath: bundle } };
  log(
    `no fresh workflow bundle at ${WORKFLOW_BUNDLE_PATH}: bundling the workflow code at start-up (slower; run \`npm run build -w workers\`)`,
  );
  return { workflowsPath: WORKFLOWS_PATH };
}
