/**
 * A child process that runs the load of the gateway benchmarks (autocannon, see runLoad), so the
 * load generator's own work (building requests, parsing every response) runs on its own event
 * loop, as a gateway's clients would, instead of on the one the subgraphs serve from. Driven over
 * IPC (see child-rpc.ts):
 *
 *   run { url, bodies, connections, seconds, headers? } → LoadSummary
 */
import { serveParent } from './child-rpc.js';
import { runLoad, type LoadOptions } from './request-mix.js';

/** What the parent needs of one autocannon run. */
export interface LoadSummary {
  readonly requests: number;
  readonly durationSeconds: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  /** Failed requests and non-2xx answers. */
  readonly errors: number;
}

serveParent({
  async run(options: LoadOptions): Promise<LoadSummary> {
    const result = await runLoad(options);
    return {
      requests: result.requests.total,
      durationSeconds: result.duration,
      p50Ms: result.latency.p50,
      p99Ms: result.latency.p99,
      errors: result.errors + result.non2xx,
    };
  },
});
