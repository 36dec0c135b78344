// Regenerates schemas/threatmodel.schema.json from the zod schema.
import fs from 'node:fs';
import path from 'node:path';
import { jsonSchemaText } from '../src/core/model/jsonSchema';

const out = path.join(__dirname, '..', 'schemas', 'threatmodel.schema.json');
fs.writeFileSync(out, jsonSchemaText());
console.log(`wrote ${path.relative(process.cwd(), out)}`);
