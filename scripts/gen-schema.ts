// Regenerates schemas/threatmodel.schema.json and schemas/library.schema.json from the zod schemas.
import fs from 'node:fs';
import path from 'node:path';
import { jsonSchemaText } from '../src/core/model/jsonSchema';
import { libraryJsonSchemaText } from '../src/core/library/schema';

const out = path.join(__dirname, '..', 'schemas', 'threatmodel.schema.json');
fs.writeFileSync(out, jsonSchemaText());
console.log(`wrote ${path.relative(process.cwd(), out)}`);
const lib = path.join(__dirname, '..', 'schemas', 'library.schema.json');
fs.writeFileSync(lib, libraryJsonSchemaText());
console.log(`wrote ${path.relative(process.cwd(), lib)}`);
