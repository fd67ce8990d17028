// Generates the Kysely table types from schema.prisma (generated/kysely, not committed).
// `prisma generate` insists on locating the native schema engine although it never runs it;
// offline installs cannot download it, so point it at a harmless executable unless the user
// already provides a real engine.
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import path from 'node:path';

const require = createRequire(import.meta.url);
const env = { ...process.env };
env.PRISMA_SCHEMA_ENGINE_BINARY ??= process.execPath;
env.PRISMA_HIDE_UPDATE_MESSAGE = '1';
// Prisma starts a generator by its command name: make the installed ones findable when this
// script runs outside npm (which puts node_modules/.bin on the PATH itself).
const bin = path.resolve(import.meta.dirname, '../node_modules/.bin');
env.PATH = env.PATH ? `${bin}${path.delimiter}${env.PATH}` : bin;
const cli = require.resolve('prisma/build/index.js');
const result = spawnSync(process.execPath, [cli, 'generate'], { stdio: 'inherit', env });
process.exit(result.status ?? 1);
