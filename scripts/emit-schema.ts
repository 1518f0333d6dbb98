/**
 * `npm run schema`: writes schema/schema.graphql from the schema the code builds (src/api), so the
 * checked-in SDL always matches the API; test/api/schema-sdl.test.ts fails when it does not.
 */
import 'reflect-metadata';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { printApiSchema } from '../src/api/schema';

const target = path.resolve(__dirname, '..', 'schema', 'schema.graphql');
writeFileSync(target, printApiSchema(), 'utf8');
process.stdout.write(`wrote ${path.relative(process.cwd(), target)}\n`);
