import { Supergraph } from '@apollo/federation-internals';
import { ROUTER_FEATURES } from '../../common/supergraph/supported-features.js';

/**
 * Why the router would refuse this supergraph (e.g. it links a feature the router does not
 * enforce, such as `@context`), or undefined when the router can load it.
 */
export function gatewayLoadProblem(supergraphSdl: string): string | undefined {
  try {
    Supergraph.build(supergraphSdl, { supportedFeatures: new Set(ROUTER_FEATURES) });
    return undefined;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}
