import type { IncomingMessage } from 'node:http';
import { CloseCode, handleProtocols, makeServer, type ServerOptions } from 'graphql-ws';
import type { Logger } from 'pino';
import type { WebSocket, WebSocketServer } from 'ws';
import { messageText } from './message-text.js';

/** What graphql-ws hands every hook about the socket it runs on. */
export interface SocketExtra {
  readonly socket: WebSocket;
  readonly request: IncomingMessage;
}

export interface BindingOptions {
  readonly logger: Logger;
  /** Ping every this many ms; a socket that has not answered the previous ping is dropped. */
  readonly keepAliveMs?: number;
  /**
   * Asked before each message is handled; false drops it unread (the caller has closed the
   * socket, e.g. for flooding).
   */
  readonly admit?: (socket: WebSocket) => boolean;
}

/** Errors a client causes by leaving or misbehaving: the socket is closed, nothing is wrong here. */
const CLIENT_ERRORS = new Set([
  'EPIPE',
  'ECONNRESET',
  'ETIMEDOUT',
  'WS_ERR_UNSUPPORTED_MESSAGE_LENGTH',
  'WS_ERR_INVALID_UTF8',
  'WS_ERR_INVALID_OPCODE',
  'WS_ERR_UNEXPECTED_RSV_1',
  'WS_ERR_UNEXPECTED_RSV_2_3',
  'WS_ERR_INVALID_CLOSE_CODE',
  'WS_ERR_EXPECTED_MASK',
  'WS_ERR_UNEXPECTED_MASK',
  'WS_ERR_INVALID_CONTROL_PAYLOAD_LENGTH',
  'WS_ERR_EXPECTED_FIN',
]);

function isClientError(error: unknown): boolean {
  const code = (error as { code?: unknown } | undefined)?.code;
  return typeof code === 'string' && CLIENT_ERRORS.has(code);
}

/**
 * graphql-ws's protocol server (`makeServer`) on `ws` sockets: what graphql-ws's own `useServer`
 * does, but a client that leaves or sends a bad frame is logged at debug level, not reported as
 * an implementation error; a write to a socket that is gone is dropped; and a caller may refuse
 * a socket's messages before they are handled.
 */
export function bindGraphqlWs<P extends Record<string, unknown> | undefined, E extends SocketExtra>(
  wss: WebSocketServer,
  options: ServerOptions<P, E>,
  binding: BindingOptions,
  extraOf: (socket: WebSocket, request: IncomingMessage) => E,
): { dispose(): Promise<void> } {
  const server = makeServer(options);
  const { logger } = binding;
  const keepAliveMs = binding.keepAliveMs ?? 12_000;
  wss.options.handleProtocols = handleProtocols;
  wss.on('connection', (socket: WebSocket, request: IncomingMessage) => {
    socket.on('error', (error) => {
      if (isClientError(error)) logger.debug({ err: error }, 'WebSocket client error; socket closed');
      else logger.error({ err: error }, 'WebSocket error');
    });
    let pongWait: NodeJS.Timeout | undefined;
    const ping = setInterval(() => {
      if (socket.readyState !== socket.OPEN) return;
      pongWait = setTimeout(() => socket.terminate(), keepAliveMs);
      socket.once('pong', () => clearTimeout(pongWait));
      socket.ping();
    }, keepAliveMs);
    const closed = server.opened(
      {
        protocol: socket.protocol,
        send: (data) =>
          new Promise<void>((resolve) => {
            if (socket.readyState !== socket.OPEN) return resolve();
            // A failed write means the client is gone; its close event ends its operations.
            socket.send(data, () => resolve());
          }),
        close: (code, reason) => socket.close(code, reason),
        onMessage: (handle) =>
          socket.on('message', (data) => {
            if (binding.admit && !binding.admit(socket)) return;
            handle(messageText(data)).catch((error: unknown) => {
              logger.error({ err: error }, 'graphql-ws message handling failed');
              if (socket.readyState === socket.OPEN) socket.close(CloseCode.InternalServerError, 'Internal server error');
            });
          }),
      },
      extraOf(socket, request),
    );
    socket.once('close', (code, reason) => {
      clearTimeout(pongWait);
      clearInterval(ping);
      void closed(code, String(reason));
    });
  });
  return {
    async dispose() {
      for (const client of wss.clients) client.close(1001, 'Going away');
      wss.removeAllListeners();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
    },
  };
}
