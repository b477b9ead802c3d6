import { mkdirSync, readdirSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { bundleWorkflowCode } from '@temporalio/worker';

/** Where the pre-bundled workflow code goes (git-ignored; rebuilt when the sources change). */
export const WORKFLOW_BUNDLE_PATH = join(__dirname, '..', 'dist', 'workflow-bundle.js');

const WORKFLOWS_PATH = require.resolve('@internal/sidecar-workflows/src/workflows');

const packageDir = (name: string) => dirname(require.resolve(`${name}/package.json`));

/**
 * What the bundle is made of: the workflow package, the common package it imports, and the
 * lockfile (a changed dependency, such as @temporalio/workflow, changes the bundle too).
 */
function bundleInputs(): string[] {
  const sourceFiles = (dir: string) =>
    readdirSync(dir, { recursive: true, encoding: 'utf8' })
      .filter(file => /\.tsx?$/.test(file) && !/\.test\.tsx?$/.test(file))
      .map(file => join(dir, file));
  const workflows = packageDir('@internal/sidecar-workflows');
  return [
    ...sourceFiles(join(workflows, 'src')),
    ...sourceFiles(join(packageDir('@internal/plugin-sidecars-common'), 'src')),
    join(workflows, '..', 'package-lock.json'),
  ];
}

const modifiedAt = (path: string) => statSync(path, { throwIfNoEntry: false })?.mtimeMs;

/** The bundle's path if it exists and is newer than everything it was built from. */
export function freshWorkflowBundle(): string | undefined {
  const built = modifiedAt(WORKFLOW_BUNDLE_PATH);
  if (built === undefined) return undefined;
  const newestInput = Math.max(...bundleInputs().map(path => modifiedAt(path) ?? 0));
  return built >= newestInput ? WORKFLOW_BUNDLE_PATH : undefined;
}

/**
 * Bundles the workflow code unless a fresh bundle exists; returns its path. The file is replaced
 * atomically, so a worker starting meanwhile reads either the old bundle or the new one.
 */
export async function ensureWorkflowBundle(log: (line: string) => void): Promise<string> {
  const fresh = freshWorkflowBundle();
  if (fresh) return fresh;
  const started = Date.now();
  log('bundling the workflow code (missing or older than its sources)');
  const { code } = await bundleWorkflowCode({ workflowsPath: WORKFLOWS_PATH });
  mkdirSync(dirname(WORKFLOW_BUNDLE_PATH), { recursive: true });
  const partial = `${WORKFLOW_BUNDLE_PATH}.${process.pid}.tmp`;
  writeFileSync(partial, code);
  renameSync(partial, WORKFLOW_BUNDLE_PATH);
  log(`workflow bundle written to ${WORKFLOW_BUNDLE_PATH} in ${Date.now() - started} ms`);
  return WORKFLOW_BUNDLE_PATH;
}

/** Worker options for the workflow code: the pre-built bundle when fresh, else bundling at start. */
export function workflowCodeOption(log: (line: string) => void): { workflowBundle: { codePath: string } } | { workflowsPath: string } {
  const bundle = freshWorkflowBundle();
  if (bundle) return { workflowBundle: { codePath: bundle } };
  log(`no fresh workflow bundle at ${WORKFLOW_BUNDLE_PATH}: bundling the workflow code at start-up (slower; run \`npm run build:workflow-bundle -w workers\`)`);
  return { workflowsPath: WORKFLOWS_PATH };
}
