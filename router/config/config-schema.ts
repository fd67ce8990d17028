import { z } from 'zod';

const stringList = z.union([z.string().min(1), z.array(z.string().min(1)).min(1)]);
const positive = z.number().int().min(1);

const subgraphPolicy = z
  .object({
    timeout_ms: positive.optional(),
    retries: z.number().int().min(0).max(10).optional(),
    retry_delay_ms: z.number().int().min(0).optional(),
    max_retry_delay_ms: z.number().int().min(0).optional(),
    breaker_failures: positive.optional(),
    breaker_half_open_after_ms: positive.optional(),
    max_concurrent: positive.optional(),
    max_queued: z.number().int().min(0).optional(),
    health_interval_ms: z.number().int().min(0).optional(),
  })
  .strict();

/** `router.yaml`, as written (snake_case keys). Unknown keys are refused, so a typo is an error. */
export const routerConfigSchema = z
  .object({
    server: z
      .object({
        host: z.string().min(1).optional(),
        port: z.number().int().min(0).max(65_535).optional(),
      })
      .strict()
      .optional(),
    /** Origins browser apps may call from (`localhost` for any local port); localhost only in development by default. */
    cors: z
      .object({
        origins: z.array(z.string().regex(/^(localhost|\*|https?:\/\/[^/\s]+)$/, 'an origin like https://app.example.com, `localhost`, or `*`')),
        allow_credentials: z.boolean().optional(),
        max_age_seconds: z.number().int().min(0).max(86_400).optional(),
      })
      .strict()
      .optional(),
    /** Introspection: on in development, off by default once a JWKS is configured. */
    introspection: z.boolean().optional(),
    authentication: z
      .object({
        jwt: z
          .object({
            jwks_url: z.url().optional(),
            jwks_file: z.string().min(1).optional(),
            issuer: stringList.optional(),
            audience: stringList.optional(),
            algorithms: z
              .array(z.string().regex(/^(?!none$)[A-Za-z0-9]+$/, 'an algorithm name other than "none"'))
              .min(1)
              .optional(),
            clock_tolerance_seconds: z.number().min(0).max(600).optional(),
            jwks_cooldown_seconds: z.number().min(0).max(3_600).optional(),
            scope_claim: z.string().min(1).optional(),
          })
          .strict()
          .refine((jwt) => (jwt.jwks_url === undefined) !== (jwt.jwks_file === undefined), 'set exactly one of jwks_url and jwks_file')
          .optional(),
      })
      .strict()
      .optional(),
    authorization: z
      .object({
        reject_unauthorized: z.boolean().optional(),
        /** A module whose default export decides `@policy` policies (see PolicyEvaluator). */
        policies_module: z.string().min(1).optional(),
      })
      .strict()
      .optional(),
    limits: z
      .object({
        max_operation_bytes: positive.optional(),
        max_tokens: positive.optional(),
        max_depth: positive.optional(),
        max_height: positive.optional(),
        max_aliases: z.number().int().min(0).optional(),
        max_root_fields: positive.optional(),
        max_directives: z.number().int().min(0).optional(),
        /** Largest HTTP body and WebSocket message. */
        max_body_bytes: positive.optional(),
      })
      .strict()
      .optional(),
    demand_control: z
      .object({
        budget: positive.optional(),
        /** `extensions.cost: { estimated, actual, budget }` in every result. */
        report_cost: z.boolean().optional(),
        max_response_bytes: positive.optional(),
      })
      .strict()
      .optional(),
    rate_limit: z
      .object({
        enabled: z.boolean().optional(),
        requests_per_second: positive.optional(),
        request_burst: positive.optional(),
        cost_per_second: positive.optional(),
        cost_burst: positive.optional(),
        /** Buckets shared by every router on this Redis; in memory without it. */
        redis_url: z.string().min(1).optional(),
      })
      .strict()
      .optional(),
    websocket: z
      .object({
        max_subscriptions_per_socket: positive.optional(),
        max_messages_per_second: positive.optional(),
        message_burst: positive.optional(),
        max_connections_per_identity: positive.optional(),
        max_buffered_bytes: positive.optional(),
      })
      .strict()
      .optional(),
    subgraphs: z
      .object({
        /** The secret the router signs subgraph calls with (base64url, at least 32 bytes). */
        signing_key: z.string().min(1).optional(),
        signing_key_file: z.string().min(1).optional(),
        timeout_ms: z.number().int().min(1).max(600_000).optional(),
        deduplicate_queries: z.boolean().optional(),
        /** Timeouts, retries, breaker and bulkhead for every subgraph. */
        policy: subgraphPolicy.optional(),
        /** Per subgraph: its replicas' routing URLs, and policy changes for it. */
        each: z.record(z.string(), z.object({ urls: z.array(z.url()).min(1).optional(), policy: subgraphPolicy.optional() }).strict()).optional(),
      })
      .strict()
      .optional(),
  })
  .strict();

export type RouterConfig = z.infer<typeof routerConfigSchema>;
