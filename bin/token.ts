// `npm run token -- --sub alice --scope inventory:write [--scope audit:read] [--ttl 3600] [--data-dir DIR]`:
// prints a development token signed with the data folder's development key, for curl, scripts and
// GraphiQL. A router configured with a JWKS does not accept these.
import { parseArgs } from 'node:util';
import { issueDevelopmentToken, loadOrCreateDevelopmentKey } from '../common/trust/development-key.js';
import { PRODUCT_SCOPES } from '../common/trust/product-scopes.js';

const { values } = parseArgs({
  options: {
    sub: { type: 'string' },
    scope: { type: 'string', multiple: true },
    'all-scopes': { type: 'boolean' },
    ttl: { type: 'string' },
    'data-dir': { type: 'string' },
    help: { type: 'boolean' },
  },
});

if (values.help || !values.sub) {
  console.error(`usage: npm run token -- --sub <subject> [--scope <scope>]... [--all-scopes] [--ttl <seconds>] [--data-dir <dir>]
  scopes of this product: ${PRODUCT_SCOPES.join(', ')}
  --ttl       lifetime in seconds (default 3600)
  --data-dir  the data folder of \`npm start\` (default .data, or TRIBUTARY_DATA_DIR)`);
  process.exit(values.help ? 0 : 2);
}
const ttlSeconds = Number(values.ttl ?? 3600);
if (!Number.isInteger(ttlSeconds) || ttlSeconds <= 0) {
  console.error('--ttl must be a positive number of seconds');
  process.exit(2);
}
const scopes = values['all-scopes'] ? [...PRODUCT_SCOPES] : (values.scope ?? []).flatMap((scope) => scope.split(/[\s,]+/)).filter(Boolean);
const key = await loadOrCreateDevelopmentKey(values['data-dir'] ?? process.env.TRIBUTARY_DATA_DIR ?? '.data');
console.log(await issueDevelopmentToken(key, { subject: values.sub, scopes, ttlSeconds }));
