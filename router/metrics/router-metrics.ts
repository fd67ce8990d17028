import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { FetchOutcome, SubgraphObserver } from '../gateway/subgraph-data-source.js';
import type { ReplicaState } from '../resilience/replica-set.js';
import type { SubscriptionStats } from '../subscriptions/subscription-engine.js';

/** Operation names kept as label values; names past this many distinct ones count as "other". */
const MAX_OPERATION_NAMES = 200;

const CIRCUIT_VALUES: Record<ReplicaState['circuit'], number> = { closed: 0, 'half-open': 1, open: 2, isolated: 3 };

/** How an operation ended, as the operations counter labels it. */
export type OperationOutcome = 'ok' | 'errors' | 'refused';

/**
 * The router's Prometheus metrics: operations by type, name and outcome with their latency,
 * subgraph fetches per subgraph with their latency, retries and circuit states, WebSocket
 * connections, and the subscription engine's counters (read at scrape time).
 */
export class RouterMetrics implements SubgraphObserver {
  readonly registry = new Registry();
  private readonly operations: Counter<'type' | 'operation' | 'outcome'>;
  private readonly operationSeconds: Histogram<'type'>;
  private readonly fetchSeconds: Histogram<'subgraph' | 'outcome'>;
  private readonly retries: Counter<'subgraph'>;
  private readonly circuits: Gauge<'subgraph' | 'url'>;
  private readonly connections: Gauge;
  private readonly names = new Set<string>();

  constructor(engineStats: () => Readonly<SubscriptionStats>) {
    const registers = [this.registry];
    collectDefaultMetrics({ register: this.registry, prefix: 'tributary_router_' });
    this.operations = new Counter({
      name: 'tributary_router_operations_total',
      help: 'Operations by type, name and outcome (ok, errors, refused).',
      labelNames: ['type', 'operation', 'outcome'],
      registers,
    });
    this.operationSeconds = new Histogram({
      name: 'tributary_router_operation_duration_seconds',
      help: 'Time from a query or mutation being received to its result.',
      labelNames: ['type'],
      buckets: [0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers,
    });
    this.fetchSeconds = new Histogram({
      name: 'tributary_router_subgraph_fetch_duration_seconds',
      help: 'Subgraph calls by subgraph and outcome, retries included.',
      labelNames: ['subgraph', 'outcome'],
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
      registers,
    });
    this.retries = new Counter({ name: 'tributary_router_subgraph_retries_total', help: 'Subgraph calls tried again.', labelNames: ['subgraph'], registers });
    this.circuits = new Gauge({
      name: 'tributary_router_subgraph_circuit_state',
      help: 'Circuit of each subgraph replica: 0 closed, 1 half-open, 2 open, 3 isolated.',
      labelNames: ['subgraph', 'url'],
      registers,
    });
    this.connections = new Gauge({ name: 'tributary_router_websocket_connections', help: 'WebSocket connections open.', registers });
    const gauge = (name: string, help: string, read: (stats: Readonly<SubscriptionStats>) => number) =>
      new Gauge({
        name,
        help,
        registers,
        collect() {
          this.set(read(engineStats()));
        },
      });
    // Counters mirroring monotonic engine totals add what grew since the last scrape.
    const counter = (name: string, help: string, read: (stats: Readonly<SubscriptionStats>) => number) => {
      let reported = 0;
      return new Counter({
        name,
        help,
        registers,
        collect() {
          const total = read(engineStats());
          this.inc(total - reported);
          reported = total;
        },
      });
    };
    gauge('tributary_router_subscription_clients', 'Client subscriptions open on this router.', (stats) => stats.clients);
    gauge(
      'tributary_router_subscription_upstreams',
      'Upstream subgraph subscriptions open (shared by identical client subscriptions).',
      (stats) => stats.upstreams,
    );
    counter('tributary_router_subscription_upstreams_started_total', 'Upstream subscriptions started.', (stats) => stats.upstreamsStarted);
    counter(
      'tributary_router_subscription_enrichments_total',
      'Events for which the rest of the query plan ran (once per event and shared upstream).',
      (stats) => stats.enrichments,
    );
    counter('tributary_router_subscription_events_delivered_total', 'Subscription results handed to clients.', (stats) => stats.delivered);
    counter('tributary_router_subscription_slow_consumers_total', 'Client subscriptions ended for falling too far behind.', (stats) => stats.slowConsumers);
    new Gauge({
      name: 'tributary_router_subscriptions',
      help: 'Client subscriptions open, by subscription field.',
      labelNames: ['field'],
      registers,
      collect() {
        this.reset();
        for (const [field, count] of engineStats().byField) this.set({ field }, count);
      },
    });
  }

  private nameOf(name: string | undefined): string {
    if (!name) return '';
    if (this.names.has(name)) return name;
    if (this.names.size >= MAX_OPERATION_NAMES) return 'other';
    this.names.add(name);
    return name;
  }

  operationFinished(type: string, name: string | undefined, outcome: OperationOutcome, seconds?: number): void {
    this.operations.inc({ type, operation: this.nameOf(name), outcome });
    if (seconds !== undefined) this.operationSeconds.observe({ type }, seconds);
  }

  connectionOpened(): void {
    this.connections.inc();
  }

  connectionClosed(): void {
    this.connections.dec();
  }

  fetched(subgraph: string, outcome: FetchOutcome, seconds: number): void {
    this.fetchSeconds.observe({ subgraph, outcome }, seconds);
  }

  circuitChanged(subgraph: string, url: string, state: ReplicaState['circuit']): void {
    this.circuits.set({ subgraph, url }, CIRCUIT_VALUES[state]);
  }

  retried(subgraph: string): void {
    this.retries.inc({ subgraph });
  }
}
