import { ensureCompiledWorker } from './compiled-worker';
import { ensureWorkflowBundle } from './workflow-bundle';

/** `npm run build -w workers`: pre-bundles the workflow code and compiles the worker, where stale. */
async function buildWorker(): Promise<void> {
  const log = (line: string) => console.log(line);
  await ensureWorkflowBundle(log);
  await ensureCompiledWorker(log);
}

buildWorker().catch(error => {
  console.error(
    `building the worker failed: ${error instanceof Error ? error.message : String(error)}`,
  );
  process.exit(1);
});
