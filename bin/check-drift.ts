// Fails when prisma/schema.prisma and prisma/migrations disagree, printing the missing SQL.
import { diffMigrationsToSchema } from '../subgraphs/shared/database/schema-engine.js';

const missing = await diffMigrationsToSchema();
if (missing === '') {
  console.log('✔ prisma/schema.prisma and prisma/migrations agree (no drift)');
} else {
  console.error('✖ prisma/schema.prisma has changes that no migration contains:\n');
  console.error(missing);
  console.error('\nCreate a migration with: npm run db:migration -- <name>');
  process.exitCode = 1;
}
