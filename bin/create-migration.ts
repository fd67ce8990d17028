// Writes prisma/migrations/<timestamp>_<name>/migration.sql with what schema.prisma adds.
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { MIGRATIONS_DIR } from '../subgraphs/shared/database/migrator.js';
import { diffMigrationsToSchema } from '../subgraphs/shared/database/schema-engine.js';

const name = (process.argv[2] ?? '').replace(/[^a-z0-9_]+/gi, '_').toLowerCase();
if (name === '') {
  console.error('usage: npm run db:migration -- <name>');
  process.exit(2);
}
const sql = (await diffMigrationsToSchema()).replace(/^-- CreateSchema\nCREATE SCHEMA IF NOT EXISTS "public";\n\n/, '');
if (sql === '') {
  console.log('schema.prisma has no changes; no migration written');
} else {
  const stamp = new Date().toISOString().replace(/\D/g, '').slice(0, 14);
  const dir = path.join(MIGRATIONS_DIR, `${stamp}_${name}`);
  await mkdir(dir, { recursive: true });
  await writeFile(path.join(dir, 'migration.sql'), `${sql}\n`);
  console.log(`wrote ${path.relative(process.cwd(), dir)}/migration.sql`);
}
