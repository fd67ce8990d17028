import type { IncomingMessage, ServerResponse } from 'node:http';
import { Counter, Gauge, Registry, collectDefaultMetrics } from 'prom-client';
import type { SubscriptionEngine } from '../subscriptions/subscription-engine.js';

/**
 * Prometheus metrics at `/metrics`: process metrics plus the subscription engine's counters
 * (clients, shared upstreams, enrichments), read at scrape time.
 */
export function metricsRoute(engine: () => SubscriptionEngine) {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'tributary_router_' });
  new Gauge({
    name: 'tributary_router_subscription_clients',
    help: 'Client subscriptions open on this router.',
    registers: [registry],
    collect() {
      this.set(engine().stats().clients);
    },
  });
  new Gauge({
    name: 'tributary_router_subscription_upstreams',
    help: 'Upstream subgraph subscriptions open (shared by identical client subscriptions).',
    registers: [registry],
    collect() {
      this.set(engine().stats().upstreams);
    },
  });
  // Counters mirror monotonic engine totals; remember what was already added.
  let reportedStarts = 0;
  let reportedEnrichments = 0;
  new Counter({
    name: 'tributary_router_subscription_upstreams_started_total',
    help: 'Upstream subscriptions started.',
    registers: [registry],
    collect() {
      const total = engine().stats().upstreamsStarted;
      this.inc(total - reportedStarts);
      reportedStarts = total;
    },
  });
  new Counter({
    name: 'tributary_router_subscription_enrichments_total',
    help: 'Events for which the rest of the query plan ran (once per event and shared upstream).',
    registers: [registry],
    collect() {
      const total = engine().stats().enrichments;
      this.inc(total - reportedEnrichments);
      reportedEnrichments = total;
    },
  });
  return async (req: IncomingMessage, res: ServerResponse): Promise<boolean> => {
    if ((req.url ?? '').split('?')[0] !== '/metrics') return false;
    res.writeHead(200, { 'content-type': registry.contentType });
    res.end(await registry.metrics());
    return true;
  };
}
