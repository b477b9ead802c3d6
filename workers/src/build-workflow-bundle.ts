import { ensureWorkflowBundle } from './workflow-bundle';

/** `npm run build:workflow-bundle -w workers`: pre-bundles the workflow code for fast worker starts. */
ensureWorkflowBundle(line => console.log(line)).catch(error => {
  console.error(`bundling the workflow code failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
