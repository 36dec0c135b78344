/**
 * The JSON Schema of the format, generated from the zod schema (the single source of truth). Committed as
 * schemas/threatmodel.schema.json for editors (yamlValidation) and SchemaStore-style use; a unit test fails
 * when the committed copy is stale (`npm run schema` rewrites it).
 */
import { z } from 'zod';
import { model } from './schema';

export function threatModelJsonSchema(): Record<string, unknown> {
  const schema = z.toJSONSchema(model, { target: 'draft-7', io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;
  return {
    $schema: 'http://json-schema.org/draft-07/schema#',
    $id: 'https://rampart.dev/schemas/threatmodel-1.schema.json',
    title: 'Rampart threat model (format 1)',
    description: 'A threat model kept next to the code: *.threatmodel.yaml. See the Rampart README for the format by example.',
    ...Object.fromEntries(Object.entries(schema).filter(([k]) => k !== '$schema')),
  };
}

export const jsonSchemaText = () => JSON.stringify(threatModelJsonSchema(), null, 2) + '\n';
