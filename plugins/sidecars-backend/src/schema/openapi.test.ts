import { readdir, readFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import SwaggerParser from '@apidevtools/swagger-parser';
import {
  generatedFiles,
  OUTPUT_DIR,
  SPEC_PATH,
} from '../__testUtils__/generateOpenApi';

async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries
    .filter(e => e.isFile())
    .map(e => relative(dir, join(e.parentPath, e.name)));
}

describe('the OpenAPI contract', () => {
  it('is a valid OpenAPI 3 document', async () => {
    const api = await SwaggerParser.validate(SPEC_PATH);
    expect(api).toHaveProperty('openapi', expect.stringMatching(/^3\./));
  });

  it('has generated files that are up to date: run `node --import tsx plugins/sidecars-backend/src/__testUtils__/generateOpenApi.ts` after changing openapi.yaml', async () => {
    const expected = await generatedFiles();
    expect((await filesUnder(OUTPUT_DIR)).sort()).toEqual(
      Object.keys(expected).sort(),
    );
    for (const [path, content] of Object.entries(expected)) {
      expect({
        path,
        content: await readFile(join(OUTPUT_DIR, path), 'utf8'),
      }).toEqual({ path, content });
    }
  });
});
