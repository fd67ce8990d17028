import type { IncomingMessage } from 'node:http';
import type { RequestHead } from '../plugins/contract.js';

/** The head of an HTTP request, as plugins read it. */
export function httpRequestHead(req: IncomingMessage): RequestHead {
  return {
    header(name) {
      const value = req.headers[name];
      return Array.isArray(value) ? value[0] : value;
    },
    remoteAddress: req.socket.remoteAddress,
  };
}
