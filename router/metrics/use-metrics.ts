import type { IncomingMessage, ServerResponse } from 'node:http';
import { OperationTypeNode } from 'graphql';
import type { OperationHandle, RouterPlugin } from '../plugins/contract.js';
import type { RouterMetrics } from './router-metrics.js';

/**
 * `/metrics` for Prometheus, and the operation counters: each query or mutation counted by
 * outcome with its latency, each subscription once when it starts, each refusal.
 */
export function useMetrics(metrics: RouterMetrics): RouterPlugin {
  const started = new WeakMap<OperationHandle, number>();
  const route = async (req: IncomingMessage, res: ServerResponse): Promise<boolean> => {
    if ((req.url ?? '').split('?')[0] !== '/metrics') return false;
    res.writeHead(200, { 'content-type': metrics.registry.contentType });
    res.end(await metrics.registry.metrics());
    return true;
  };
  return {
    name: 'metrics',
    routes: [route],
    onOperation(event) {
      started.set(event.operation, performance.now());
    },
    onResult(event) {
      const { operation } = event;
      const since = started.get(operation);
      // A subscription's results are its events: it is counted once, at its first.
      if (since === undefined) return;
      started.delete(operation);
      const outcome = event.result.errors ? 'errors' : 'ok';
      metrics.operationFinished(
        operation.kind,
        operation.name,
        outcome,
        operation.kind === OperationTypeNode.SUBSCRIPTION ? undefined : (performance.now() - since) / 1000,
      );
    },
    onRefused(event) {
      metrics.operationFinished(event.operation?.kind ?? 'unknown', event.operation?.name, 'refused');
    },
  };
}
