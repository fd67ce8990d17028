import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { PGlite } from '@electric-sql/pglite';
import { bindMigrationAwareSqlAdapterFactory } from '@prisma/driver-adapter-utils';
import { PrismaPGlite } from 'pglite-prisma-adapter';
import { MIGRATIONS_DIR, readMigrations } from './migrator.js';

/** The repository's Prisma schema. */
export const PRISMA_SCHEMA_PATH = path.resolve(import.meta.dirname, '../../../prisma/schema.prisma');

// The subset of @prisma/schema-engine-wasm used here (its own .d.ts assumes a bundler).
type DiffTarget =
  | { tag: 'empty' }
  | { tag: 'schemaDatamodel'; files: { path: string; content: string }[] }
  | {
      tag: 'migrations';
      baseDir: string;
      lockfile: { path: string; content: string | null };
      shadowDbInitScript: string;
      migrationDirectories: { path: string; migrationFile: { path: string; content: { tag: 'ok'; value: string } } }[];
    };
interface WasmSchemaEngine {
  diff(params: {
    from: DiffTarget;
    to: DiffTarget;
    script: boolean;
    exitCode: boolean | null;
    filters: { externalTables: string[]; externalEnums: string[] };
  }): Promise<{ exitCode: number; stdout: string | null }>;
  free(): void;
}
interface WasmModule {
  __wbg_set_wasm(exports: Record<string, unknown>): void;
  SchemaEngine: { new: (options: unknown, log: (message: string) => void, adapter: unknown) => Promise<WasmSchemaEngine> };
}

// The project compiles without DOM typings, so describe the one WebAssembly call it makes. Sound:
// every Node version the project supports has the WebAssembly global with this call.
const wasm = (
  globalThis as unknown as {
    WebAssembly: { instantiate(bytes: Uint8Array, imports: Record<string, unknown>): Promise<{ instance: { exports: Record<string, unknown> } }> };
  }
).WebAssembly;

let glueLoading: Promise<WasmModule> | undefined;

/**
 * Instantiates the engine's WebAssembly once per process: the wasm-bindgen glue caches views of
 * the module's memory, so a second instance behind the same glue would corrupt both.
 */
function loadGlue(): Promise<WasmModule> {
  glueLoading ??= (async () => {
    const packageDir = path.dirname(fileURLToPath(import.meta.resolve('@prisma/schema-engine-wasm')));
    // The package is built for bundlers (it imports its .wasm as a module), so instantiate it by hand.
    const glue = (await import(pathToFileURL(path.join(packageDir, 'schema_engine_bg.js')).href)) as WasmModule;
    const bytes = await readFile(path.join(packageDir, 'schema_engine_bg.wasm'));
    const { instance } = await wasm.instantiate(bytes, { './schema_engine_bg.js': glue });
    glue.__wbg_set_wasm(instance.exports);
    (instance.exports.__wbindgen_start as (() => void) | undefined)?.();
    return glue;
  })();
  return glueLoading;
}

/**
 * Opens Prisma's WebAssembly schema engine (the native one cannot be downloaded offline) on an
 * in-memory PGlite, which also serves as the shadow database for replaying migrations.
 */
async function openSchemaEngine(schema: string): Promise<{ engine: WasmSchemaEngine; close: () => Promise<void> }> {
  const glue = await loadGlue();
  const db = new PGlite();
  const adapter = bindMigrationAwareSqlAdapterFactory(new PrismaPGlite(db));
  const engine = await glue.SchemaEngine.new({ datamodels: [['schema.prisma', schema]] }, () => undefined, adapter);
  return {
    engine,
    close: async () => {
      engine.free();
      await db.close();
    },
  };
}

const noFilters = { externalTables: [], externalEnums: [] };

async function migrationsTarget(dir: string): Promise<DiffTarget> {
  const migrations = await readMigrations(dir).catch(() => []);
  const lockfile = await readFile(path.join(dir, 'migration_lock.toml'), 'utf8').catch(() => 'provider = "postgresql"\n');
  return {
    tag: 'migrations',
    baseDir: dir,
    lockfile: { path: 'migration_lock.toml', content: lockfile },
    shadowDbInitScript: '',
    migrationDirectories: migrations.map((migration) => ({
      path: migration.name,
      migrationFile: { path: 'migration.sql', content: { tag: 'ok', value: migration.sql } },
    })),
  };
}

/**
 * The SQL that would bring a database migrated with `prisma/migrations` to what `schema.prisma`
 * declares; empty when they agree (no drift).
 */
export async function diffMigrationsToSchema(options: { schemaPath?: string; migrationsDir?: string } = {}): Promise<string> {
  const schemaPath = options.schemaPath ?? PRISMA_SCHEMA_PATH;
  const schema = await readFile(schemaPath, 'utf8');
  const { engine, close } = await openSchemaEngine(schema);
  try {
    const result = await engine.diff({
      from: await migrationsTarget(options.migrationsDir ?? MIGRATIONS_DIR),
      to: { tag: 'schemaDatamodel', files: [{ path: schemaPath, content: schema }] },
      script: true,
      exitCode: null,
      filters: noFilters,
    });
    const script = (result.stdout ?? '').trim();
    return script === '-- This is an empty migration.' ? '' : script;
  } finally {
    await close();
  }
}
