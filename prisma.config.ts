import { defineConfig } from 'prisma/config';

// The datasource URL is only needed by `prisma migrate deploy` for users who have the native
// engine; the app itself connects through driver adapters (see subgraphs/shared/database).
export default defineConfig({
  schema: 'prisma/schema.prisma',
  migrations: { path: 'prisma/migrations' },
  datasource: { url: process.env.DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres' },
});
