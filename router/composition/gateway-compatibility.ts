import { Supergraph } from '@apollo/federation-internals';

/**
 * Why @apollo/gateway would refuse this supergraph (e.g. it links a feature the gateway does not
 * support, such as `@context` or `@cost`), or undefined when the gateway can load it.
 */
export function gatewayLoadProblem(supergraphSdl: string): string | undefined {
  try {
    Supergraph.build(supergraphSdl);
    return undefined;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}
