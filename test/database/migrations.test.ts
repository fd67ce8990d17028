import { cp, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { MIGRATIONS_DIR, applyMigrations, readMigrations } from '../../subgraphs/shared/database/migrator.js';
import { PRISMA_SCHEMA_PATH, diffMigrationsToSchema } from '../../subgraphs/shared/database/schema-engine.js';
import { createTestDatabase } from '../support/environment.js';

describe('migrations', () => {
  it('agree with schema.prisma (no drift)', { timeout: 180_000 }, async () => {
    expect(await diffMigrationsToSchema()).toBe('');
  });

  it('report drift when schema.prisma gains a column no migration creates', { timeout: 180_000 }, async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'tributary-drift-'));
    const schema = (await readFile(PRISMA_SCHEMA_PATH, 'utf8')).replace(
      'model Store {\n  id        String   @id',
      'model Store {\n  id        String   @id\n  phone     String?',
    );
    await writeFile(path.join(dir, 'schema.prisma'), schema);
    const missing = await diffMigrationsToSchema({ schemaPath: path.join(dir, 'schema.prisma') });
    expect(missing).toMatch(/ALTER TABLE "stores" ADD COLUMN\s+"phone" TEXT/);
  });

  it('are recorded like prisma migrate deploy records them, and applying twice changes nothing', async () => {
    const test = await createTestDatabase();
    try {
      const rows = await test.database.sql.query<{ migration_name: string; checksum: string; finished_at: Date | null }>(
        'SELECT migration_name, checksum, finished_at FROM "_prisma_migrations" ORDER BY migration_name',
      );
      const files = await readMigrations();
      expect(rows.map((row) => [row.migration_name, row.checksum])).toEqual(files.map((file) => [file.name, file.checksum]));
      expect(rows.every((row) => row.finished_at !== null)).toBe(true);
      expect(await applyMigrations(test.database.sql)).toEqual([]);
    } finally {
      await test.drop();
    }
  });

  it('refuse to run when an applied migration was edited afterwards', async () => {
    const test = await createTestDatabase();
    const dir = await mkdtemp(path.join(tmpdir(), 'tributary-migrations-'));
    try {
      await cp(MIGRATIONS_DIR, dir, { recursive: true });
      const [first] = await readMigrations(dir);
      await writeFile(path.join(dir, first!.name, 'migration.sql'), `${first!.sql}\n-- edited\n`);
      await expect(applyMigrations(test.database.sql, dir)).rejects.toThrow(/modified after it was applied/);
    } finally {
      await test.drop();
    }
  });
});
