/** The committed contract: schema.graphql matches the code, and integrators get a description everywhere. */
import { readFile } from 'node:fs/promises';
import { isEnumType, isInputObjectType, isInterfaceType, isObjectType, isUnionType, validateSchema } from 'graphql';
import { describe, expect, it } from 'vitest';
import { schema } from '../api/schema/index.js';
import { printedSchema, schemaFile } from '../api/schema/print.js';

describe('schema.graphql', () => {
  it('is a valid GraphQL schema', () => {
    expect(validateSchema(schema).map((error) => error.message)).toEqual([]);
  });

  it('matches the schema the server serves (run `npm run schema:print` after changing it)', async () => {
    expect(await readFile(schemaFile, 'utf8')).toBe(printedSchema());
  });

  it('describes every type, field, argument and enum value', () => {
    const missing: string[] = [];
    for (const type of Object.values(schema.getTypeMap())) {
      if (type.name.startsWith('__')) continue;
      if (['String', 'Int', 'Float', 'Boolean', 'ID'].includes(type.name)) continue;
      if (!type.description) missing.push(type.name);
      if (isObjectType(type) || isInterfaceType(type) || isInputObjectType(type)) {
        for (const field of Object.values(type.getFields())) {
          if (!field.description) missing.push(`${type.name}.${field.name}`);
          if ('args' in field) {
            for (const arg of field.args) if (!arg.description) missing.push(`${type.name}.${field.name}(${arg.name})`);
          }
        }
      }
      if (isEnumType(type)) {
        for (const value of type.getValues()) if (!value.description) missing.push(`${type.name}.${value.name}`);
      }
      if (isUnionType(type) && !type.description) missing.push(type.name);
    }
    expect(missing).toEqual([]);
  });
});
