/** The console's generated API types match the OpenAPI document the REST door serves today. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CONSOLE_API_TYPES_FILE, renderConsoleApiTypes, servedOpenApiDocument } from '../../scripts/console-api-types.js';

describe('console API types (console/src/api/openapi.gen.ts)', () => {
  it('are what `npm run gen:api-types` renders from /docs/json now (run it after changing a REST route schema)', async () => {
    const committed = readFileSync(CONSOLE_API_TYPES_FILE, 'utf8');
    const fresh = await renderConsoleApiTypes(await servedOpenApiDocument());
    expect(committed, 'console/src/api/openapi.gen.ts is stale: run `npm run gen:api-types`').toBe(fresh);
  });
});
