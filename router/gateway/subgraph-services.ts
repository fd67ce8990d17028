import type { ServiceMap } from '@apollo/gateway';
import type { Agent } from 'undici';
import type { HookRunner } from '../plugins/hook-runner.js';
import type { ReplicaState } from '../resilience/replica-set.js';
import { subgraphPolicies, type SubgraphPolicies } from '../resilience/subgraph-policy.js';
import type { LoadedSupergraph } from '../supergraph/load-supergraph.js';
import { SubgraphDataSource, type SubgraphHttpOptions, type SubgraphObserver } from './subgraph-data-source.js';

/** A subgraph's readiness: ready while one of its replicas can take calls. */
export interface SubgraphReadiness {
  readonly name: string;
  readonly ok: boolean;
  readonly replicas: readonly ReplicaState[];
}

/**
 * The data sources of the current supergraph's subgraphs (kept across reloads when their URLs
 * stay), and the health probes of their replicas.
 */
export class SubgraphServices {
  private readonly sources = new Map<string, SubgraphDataSource>();
  private map: ServiceMap = Object.create(null) as ServiceMap;
  private readonly healthTimers = new Map<SubgraphDataSource, NodeJS.Timeout>();
  private checking = false;

  constructor(
    private readonly agent: Agent,
    private readonly hooks: HookRunner,
    private readonly options: SubgraphHttpOptions,
    supergraph: LoadedSupergraph,
    private readonly policies: SubgraphPolicies = subgraphPolicies(options.timeoutMs ? { timeoutMs: options.timeoutMs } : {}),
    private readonly observer?: SubgraphObserver,
  ) {
    this.update(supergraph);
  }

  /** Points the data sources at a new supergraph's subgraphs. */
  update(supergraph: LoadedSupergraph): void {
    const map = Object.create(null) as ServiceMap;
    for (const service of supergraph.services) {
      const key = `${service.name} ${service.urls.join(' ')}`;
      let source = this.sources.get(key);
      if (!source) {
        source = new SubgraphDataSource(service.name, service.urls, this.agent, this.hooks, this.policies(service.name), this.options, this.observer);
        this.sources.set(key, source);
      }
      map[service.name] = source;
    }
    this.map = map;
    if (this.checking) this.startHealthChecks();
  }

  /** Data sources by subgraph name, as the gateway's executor takes them. */
  serviceMap(): ServiceMap {
    return this.map;
  }

  dataSource(name: string): SubgraphDataSource {
    const source = this.map[name];
    if (!(source instanceof SubgraphDataSource)) throw new Error(`subgraph ${name} is not in the supergraph`);
    return source;
  }

  private current(): SubgraphDataSource[] {
    return Object.values(this.map).filter((source): source is SubgraphDataSource => source instanceof SubgraphDataSource);
  }

  /** Probes every replica of every subgraph now, and reports their state. */
  async probe(): Promise<SubgraphReadiness[]> {
    const sources = this.current();
    await Promise.all(sources.map((source) => source.probe()));
    return this.readiness();
  }

  /** The last known state of every subgraph, without probing. */
  readiness(): SubgraphReadiness[] {
    return this.current().map((source) => ({ name: source.name, ok: source.replicas.available, replicas: source.replicas.states() }));
  }

  /** Probes the replicas of each current subgraph at its policy's interval (none at 0). */
  startHealthChecks(): void {
    this.checking = true;
    const current = new Set(this.current());
    for (const [source, timer] of this.healthTimers) {
      if (current.has(source)) continue;
      clearInterval(timer);
      this.healthTimers.delete(source);
    }
    for (const source of current) {
      const interval = this.policies(source.name).healthIntervalMs;
      if (interval <= 0 || this.healthTimers.has(source)) continue;
      const timer = setInterval(() => void source.probe().catch(() => undefined), interval);
      timer.unref();
      this.healthTimers.set(source, timer);
    }
  }

  stopHealthChecks(): void {
    this.checking = false;
    for (const timer of this.healthTimers.values()) clearInterval(timer);
    this.healthTimers.clear();
  }
}
