import { ApolloGateway } from '@apollo/gateway';
import type { Agent } from 'undici';
import type { LoadedSupergraph } from '../supergraph/load-supergraph.js';
import { SubgraphDataSource, type SubgraphHttpOptions } from './subgraph-data-source.js';
import { checkVariablesFirst } from './variables-check.js';

/** An ApolloGateway whose supergraph the router pushes (initial load and hot reloads). */
export interface RouterGateway {
  readonly gateway: ApolloGateway;
  /** Data sources by subgraph name, shared with the subscription engine. */
  dataSource(name: string): SubgraphDataSource;
  /** Swaps in a new supergraph without a restart. */
  update(loaded: LoadedSupergraph): void;
}

export function createRouterGateway(initial: LoadedSupergraph, agent: Agent, http: SubgraphHttpOptions = {}): RouterGateway {
  let current = initial;
  const dataSources = new Map<string, SubgraphDataSource>();
  const dataSource = (name: string): SubgraphDataSource => {
    const url = current.services.find((service) => service.name === name)?.url;
    if (!url) throw new Error(`subgraph ${name} is not in the supergraph`);
    const key = `${name} ${url}`;
    let source = dataSources.get(key);
    if (!source) {
      source = new SubgraphDataSource(url, agent, http);
      dataSources.set(key, source);
    }
    return source;
  };
  let push: ((sdl: string) => void) | undefined;
  const gateway = new ApolloGateway({
    supergraphSdl: async ({ update }) => {
      push = update;
      return { supergraphSdl: initial.sdl };
    },
    // Routing URLs may be overridden per environment; the loaded supergraph has the final ones.
    buildService: ({ name }) => dataSource(name),
  });
  checkVariablesFirst(gateway);
  return {
    gateway,
    dataSource,
    update(loaded) {
      current = loaded;
      push?.(loaded.sdl);
    },
  };
}
