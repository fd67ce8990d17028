// A Prisma generator: writes the PostgreSQL type of every column of schema.prisma, keyed by table
// and column as the Kysely types name them (camelCase of the mapped names), so that batched writes
// can cast their array parameters (`unnest($1::text[], …)`) without a second list of column types.
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import generatorHelper from '@prisma/generator-helper';

const { generatorHandler } = generatorHelper;

/** PostgreSQL type of a Prisma scalar without a `@db.` attribute (Prisma's defaults). */
const DEFAULT_TYPES = {
  String: 'text',
  Int: 'integer',
  BigInt: 'bigint',
  Float: 'double precision',
  Decimal: 'numeric',
  Boolean: 'boolean',
  DateTime: 'timestamp',
  Json: 'jsonb',
  Bytes: 'bytea',
};

/** PostgreSQL type of a `@db.` attribute whose name is not the type's own (lower-cased). */
const NATIVE_TYPES = {
  DoublePrecision: 'double precision',
  Decimal: 'numeric',
  JsonB: 'jsonb',
  ByteA: 'bytea',
  VarChar: 'varchar',
  Char: 'char',
  VarBit: 'varbit',
  Timetz: 'timetz',
  Timestamptz: 'timestamptz',
  SmallInt: 'smallint',
  BigInt: 'bigint',
  Integer: 'integer',
};

// snake_case → camelCase as the Kysely types and the runtime plugin name columns; the generated
// map is checked against the Kysely types (`satisfies`), so a name they spell otherwise fails to compile.
const camelCase = (name) => name.replace(/_+([^_])/g, (_, next) => next.toUpperCase());

function columnType(model, field) {
  if (field.nativeType) {
    const [name] = field.nativeType;
    return NATIVE_TYPES[name] ?? name.toLowerCase();
  }
  const type = DEFAULT_TYPES[field.type];
  if (!type) throw new Error(`${model.name}.${field.name}: no PostgreSQL type known for ${field.type}`);
  return type;
}

generatorHandler({
  onManifest: () => ({ prettyName: 'Column types', defaultOutput: '../generated/kysely' }),
  onGenerate: async (options) => {
    const tables = {};
    for (const model of options.dmmf.datamodel.models) {
      const columns = {};
      for (const field of model.fields) {
        if (field.kind !== 'scalar' && field.kind !== 'enum') continue;
        if (field.kind === 'enum') throw new Error(`${model.name}.${field.name}: enum columns are not supported by batched writes`);
        if (field.isList) throw new Error(`${model.name}.${field.name}: list columns are not supported by batched writes`);
        columns[camelCase(field.dbName ?? field.name)] = columnType(model, field);
      }
      tables[camelCase(model.dbName ?? model.name)] = columns;
    }
    const output = options.generator.output?.value;
    if (!output) throw new Error('the column types generator needs an output folder');
    const fileName = options.generator.config.fileName ?? 'column-types.ts';
    const body = JSON.stringify(tables, null, 2)
      .replace(/"([A-Za-z_][A-Za-z0-9_]*)":/g, '$1:')
      .replace(/"/g, "'");
    const text = `// Generated from prisma/schema.prisma by prisma/column-types-generator.mjs: do not edit.
import type { DB } from './database.js';

/** The PostgreSQL type of every column, by table and column as the Kysely types name them. */
export const columnTypes = ${body} as const satisfies { readonly [Table in keyof DB]: { readonly [Column in keyof DB[Table]]-?: string } };
`;
    mkdirSync(output, { recursive: true });
    writeFileSync(path.join(output, fileName), text);
  },
});
