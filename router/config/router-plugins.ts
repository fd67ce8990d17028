import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { JSONWebKeySet } from 'jose';
import { ROUTER_AUDIENCE, DEVELOPMENT_ISSUER } from '../../common/trust/development-key.js';
import { configuredRouterKey } from '../../common/trust/configured-router-key.js';
import type { RouterKey } from '../../common/trust/router-key.js';
import { ClientTokenVerifier, type ClientTokenOptions } from '../auth/client-token-verifier.js';
import { useAuthentication } from '../auth/use-authentication.js';
import { DEVELOPMENT_CORS, useCors } from '../cors/use-cors.js';
import { useAuthorization, type PolicyEvaluator } from '../authorization/use-authorization.js';
import { useIntrospection } from '../introspection/use-introspection.js';
import type { RouterPlugin } from '../plugins/contract.js';
import { useSubgraphSigning } from '../subgraph-signing/use-subgraph-signing.js';
import type { Logger } from 'pino';
import { useDemandControl } from '../demand-control/use-demand-control.js';
import { operationLimits } from '../limits/operation-limits.js';
import { useOperationLimits } from '../limits/use-operation-limits.js';
import { MemoryRateLimiter } from '../rate-limit/memory-rate-limiter.js';
import { DEFAULT_COST_BUCKET, DEFAULT_REQUEST_BUCKET, type RateLimiter } from '../rate-limit/rate-limiter.js';
import { RedisRateLimiter } from '../rate-limit/redis-rate-limiter.js';
import { useRateLimit } from '../rate-limit/use-rate-limit.js';
import { subgraphPolicies, type SubgraphPolicy } from '../resilience/subgraph-policy.js';
import type { StartRouterOptions } from '../start-router.js';
import type { LoadedRouterConfig } from './load-router-config.js';

/** How the router trusts callers and is trusted by its subgraphs, as its config resolves. */
export interface RouterSecurity {
  /** Development: client tokens are signed by the development key; production: by the configured JWKS. */
  readonly mode: 'development' | 'production';
  readonly clientTokens: ClientTokenOptions;
  /** The key subgraph calls are signed with. */
  readonly signingKey: RouterKey;
  /** The development key, which also signs development client tokens; absent in production. */
  readonly developmentKey: RouterKey | undefined;
  readonly introspection: boolean;
}

export interface SecurityInputs {
  /** Data folder of the development key (created there on first use). */
  readonly dataDir: string;
  readonly env?: NodeJS.ProcessEnv;
}

/**
 * Resolves the router's security settings. With a JWKS configured the router is in production:
 * no development key is created or accepted, a signing key must be configured, and introspection
 * is off unless turned on. Without one, it runs in development on the data folder's key.
 */
export async function resolveRouterSecurity(loaded: LoadedRouterConfig, inputs: SecurityInputs): Promise<RouterSecurity> {
  const { config, directory } = loaded;
  const env = inputs.env ?? process.env;
  const jwt = config.authentication?.jwt;
  const production = jwt !== undefined;
  const configuredKey = config.subgraphs?.signing_key ?? env.TRIBUTARY_ROUTER_KEY;
  const keyFile = config.subgraphs?.signing_key_file ? path.resolve(directory, config.subgraphs.signing_key_file) : env.TRIBUTARY_ROUTER_KEY_FILE;
  if (production && !configuredKey && !keyFile) {
    throw new Error('with a JWKS configured, subgraphs.signing_key (or TRIBUTARY_ROUTER_KEY) must be set: the development key is not used in production');
  }
  const { key: signingKey } = await configuredRouterKey({ key: configuredKey, keyFile, developmentDataDir: production ? undefined : inputs.dataDir });
  const developmentKey = production ? undefined : (await configuredRouterKey({ developmentDataDir: inputs.dataDir })).key;

  let clientTokens: ClientTokenOptions;
  if (jwt) {
    const keys: ClientTokenOptions['keys'] = jwt.jwks_url
      ? { kind: 'jwks-url', url: jwt.jwks_url, ...(jwt.jwks_cooldown_seconds !== undefined ? { cooldownMs: jwt.jwks_cooldown_seconds * 1000 } : {}) }
      : { kind: 'jwks', jwks: JSON.parse(await readFile(path.resolve(directory, jwt.jwks_file!), 'utf8')) as JSONWebKeySet };
    clientTokens = {
      keys,
      ...(jwt.issuer ? { issuer: jwt.issuer } : {}),
      ...(jwt.audience ? { audience: jwt.audience } : {}),
      ...(jwt.algorithms ? { algorithms: jwt.algorithms } : {}),
      ...(jwt.clock_tolerance_seconds !== undefined ? { clockToleranceSeconds: jwt.clock_tolerance_seconds } : {}),
      ...(jwt.scope_claim ? { scopeClaim: jwt.scope_claim } : {}),
    };
  } else {
    clientTokens = { keys: { kind: 'development', key: developmentKey! }, issuer: DEVELOPMENT_ISSUER, audience: ROUTER_AUDIENCE };
  }
  return { mode: production ? 'production' : 'development', clientTokens, signingKey, developmentKey, introspection: config.introspection ?? !production };
}

async function loadPolicyEvaluator(loaded: LoadedRouterConfig): Promise<PolicyEvaluator | undefined> {
  const module = loaded.config.authorization?.policies_module;
  if (!module) return undefined;
  const imported = (await import(pathToFileURL(path.resolve(loaded.directory, module)).href)) as { default?: unknown };
  if (typeof imported.default !== 'function') throw new Error(`authorization.policies_module ${module} must export a policy evaluator as its default export`);
  return imported.default as PolicyEvaluator;
}

/** What else the built-in plugins need: where to log, and the Redis of shared rate limits. */
export interface PluginInputs {
  readonly logger?: Logger;
  /** Redis for rate limits when `rate_limit.redis_url` is not set (REDIS_URL of the process). */
  readonly redisUrl?: string | undefined;
}

/**
 * The built-in plugins a config describes, in pipeline order: which browser origins may call;
 * who the caller is; whether it may send this much (rate, before parsing); the operation's shape;
 * what it may see; what it costs; then the signature of every subgraph call.
 */
export async function routerPlugins(loaded: LoadedRouterConfig, security: RouterSecurity, inputs: PluginInputs = {}): Promise<RouterPlugin[]> {
  const { config } = loaded;
  const evaluatePolicies = await loadPolicyEvaluator(loaded);
  const demandControl = useDemandControl({
    ...(config.demand_control?.budget ? { budget: config.demand_control.budget } : {}),
    ...(config.demand_control?.report_cost ? { reportCost: true } : {}),
  });
  const plugins: RouterPlugin[] = [];
  const cors = config.cors
    ? {
        origins: config.cors.origins,
        ...(config.cors.allow_credentials !== undefined ? { allowCredentials: config.cors.allow_credentials } : {}),
        ...(config.cors.max_age_seconds !== undefined ? { maxAgeSeconds: config.cors.max_age_seconds } : {}),
      }
    : security.mode === 'development'
      ? DEVELOPMENT_CORS
      : undefined;
  if (cors) plugins.push(useCors(cors));
  plugins.push(useAuthentication(new ClientTokenVerifier(security.clientTokens)));
  if (config.rate_limit?.enabled !== false) {
    const redisUrl = config.rate_limit?.redis_url ?? inputs.redisUrl;
    const bucket = (ratePerSecond: number, burst: number, prefix: string): RateLimiter =>
      redisUrl ? new RedisRateLimiter({ redis: redisUrl, ratePerSecond, burst, prefix }) : new MemoryRateLimiter({ ratePerSecond, burst });
    const rate = config.rate_limit ?? {};
    plugins.push(
      useRateLimit({
        requests: bucket(
          rate.requests_per_second ?? DEFAULT_REQUEST_BUCKET.ratePerSecond,
          rate.request_burst ?? DEFAULT_REQUEST_BUCKET.burst,
          'tributary:rate:requests:',
        ),
        cost: bucket(rate.cost_per_second ?? DEFAULT_COST_BUCKET.ratePerSecond, rate.cost_burst ?? DEFAULT_COST_BUCKET.burst, 'tributary:rate:cost:'),
        costOf: (operation) => demandControl.estimateOf(operation),
        ...(inputs.logger ? { logger: inputs.logger } : {}),
      }),
    );
  }
  const limits = config.limits ?? {};
  plugins.push(
    useOperationLimits(
      operationLimits({
        ...(limits.max_operation_bytes ? { maxOperationBytes: limits.max_operation_bytes } : {}),
        ...(limits.max_tokens ? { maxTokens: limits.max_tokens } : {}),
        ...(limits.max_depth ? { maxDepth: limits.max_depth } : {}),
        ...(limits.max_height ? { maxHeight: limits.max_height } : {}),
        ...(limits.max_aliases !== undefined ? { maxAliases: limits.max_aliases } : {}),
        ...(limits.max_root_fields ? { maxRootFields: limits.max_root_fields } : {}),
        ...(limits.max_directives !== undefined ? { maxDirectives: limits.max_directives } : {}),
      }),
    ),
    useIntrospection({ enabled: security.introspection }),
    useAuthorization({
      ...(config.authorization?.reject_unauthorized ? { rejectUnauthorized: true } : {}),
      ...(evaluatePolicies ? { evaluatePolicies } : {}),
    }),
    demandControl,
    useSubgraphSigning(security.signingKey),
  );
  return plugins;
}

const POLICY_KEYS = {
  timeout_ms: 'timeoutMs',
  retries: 'retries',
  retry_delay_ms: 'retryDelayMs',
  max_retry_delay_ms: 'maxRetryDelayMs',
  breaker_failures: 'breakerFailures',
  breaker_half_open_after_ms: 'breakerHalfOpenAfterMs',
  max_concurrent: 'maxConcurrent',
  max_queued: 'maxQueued',
  health_interval_ms: 'healthIntervalMs',
} as const satisfies Record<string, keyof SubgraphPolicy>;

function policyOf(written: Partial<Record<keyof typeof POLICY_KEYS, number>> | undefined): Partial<SubgraphPolicy> {
  const policy: Partial<Record<keyof SubgraphPolicy, number>> = {};
  for (const [key, name] of Object.entries(POLICY_KEYS)) {
    const value = written?.[key as keyof typeof POLICY_KEYS];
    if (value !== undefined) policy[name] = value;
  }
  return policy;
}

/** The router settings of a config besides its plugins, as `startRouter` takes them. */
export function routerSettings(loaded: LoadedRouterConfig): Pick<
  StartRouterOptions,
  'http' | 'policies' | 'maxBodyBytes' | 'maxResponseBytes' | 'websocket'
> & {
  readonly replicas: Record<string, readonly string[]>;
} {
  const { config } = loaded;
  const subgraphs = config.subgraphs ?? {};
  const defaults = { ...(subgraphs.timeout_ms ? { timeoutMs: subgraphs.timeout_ms } : {}), ...policyOf(subgraphs.policy) };
  const each = subgraphs.each ?? {};
  const replicas: Record<string, readonly string[]> = {};
  for (const [name, entry] of Object.entries(each)) if (entry.urls) replicas[name] = entry.urls;
  const websocket = config.websocket ?? {};
  return {
    http: {
      ...(defaults.timeoutMs ? { timeoutMs: defaults.timeoutMs } : {}),
      ...(subgraphs.deduplicate_queries !== undefined ? { deduplicateQueries: subgraphs.deduplicate_queries } : {}),
    },
    policies: subgraphPolicies(defaults, Object.fromEntries(Object.entries(each).map(([name, entry]) => [name, policyOf(entry.policy)]))),
    ...(config.limits?.max_body_bytes ? { maxBodyBytes: config.limits.max_body_bytes } : {}),
    ...(config.demand_control?.max_response_bytes ? { maxResponseBytes: config.demand_control.max_response_bytes } : {}),
    websocket: {
      ...(websocket.max_subscriptions_per_socket ? { maxSubscriptionsPerSocket: websocket.max_subscriptions_per_socket } : {}),
      ...(websocket.max_messages_per_second ? { maxMessagesPerSecond: websocket.max_messages_per_second } : {}),
      ...(websocket.message_burst ? { messageBurst: websocket.message_burst } : {}),
      ...(websocket.max_connections_per_identity ? { maxConnectionsPerIdentity: websocket.max_connections_per_identity } : {}),
      ...(websocket.max_buffered_bytes ? { maxBufferedBytes: websocket.max_buffered_bytes } : {}),
    },
    replicas,
  };
}
