/**
 * A child process holding many graphql-ws clients, so their CPU and memory are not charged to the
 * process being measured. Driven over IPC (see child-rpc.ts):
 *
 *   now                                   → wallNow() (clock calibration)
 *   connect { url, sockets, headers? }    → opens the sockets (connection_init acknowledged; headers on the upgrade)
 *   subscribe { subscriptions, expect }   → subscribes each { query, variables } on socket i % sockets;
 *                                           with `expect`, emits `delivered` { position, arrivals }
 *                                           once `expect` results carried that position
 *   status                                → { subscriptions, results, errors }
 *   unsubscribe                           → completes every subscription (sockets stay open)
 *   disconnect                            → closes the sockets
 *
 * Each result's arrival time is taken (wallNow) in graphql-ws's `next` callback, i.e. after the
 * frame was read and the JSON parsed; `position` is read from the first root field.
 */
import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import { serveParent, wallNow } from './child-rpc.js';

let clients: Client[] = [];
let disposers: Array<() => void> = [];
let expected = 0;
let results = 0;
const errors: string[] = [];
const arrivals = new Map<string, number[]>();

const parent = serveParent(
  {
    now: () => wallNow(),
    async connect(params: { url: string; sockets: number; headers?: Record<string, string> }) {
      const headers = params.headers ?? {};
      class WithHeaders extends WebSocket {
        constructor(address: string, protocols?: string | string[]) {
          super(address, protocols, { headers });
        }
      }
      const opened = Array.from({ length: params.sockets }, () =>
        createClient({
          url: params.url,
          webSocketImpl: WithHeaders,
          lazy: false,
          retryAttempts: 0,
          onNonLazyError: (error) => void errors.push(String(error)),
        }),
      );
      await Promise.all(
        opened.map(
          (client) =>
            new Promise<void>((resolve, reject) => {
              const offConnected = client.on('connected', () => {
                offConnected();
                offClosed();
                resolve();
              });
              const offClosed = client.on('closed', (event) => {
                offConnected();
                offClosed();
                reject(new Error(`socket closed before connecting: ${JSON.stringify(event)}`));
              });
            }),
        ),
      );
      clients = opened;
      return { sockets: clients.length };
    },
    subscribe(params: { subscriptions: Array<{ query: string; variables?: Record<string, unknown> }>; expect?: number }) {
      if (clients.length === 0) throw new Error('connect first');
      expected = params.expect ?? 0;
      params.subscriptions.forEach((subscription, index) => {
        const client = clients[index % clients.length]!;
        disposers.push(
          client.subscribe<Record<string, { position?: string }>>(subscription, {
            next: (value) => {
              const at = wallNow();
              results += 1;
              if (value.errors) {
                errors.push(JSON.stringify(value.errors));
                return;
              }
              if (expected === 0 || !value.data) return;
              const root = Object.values(value.data)[0];
              const position = root?.position;
              if (typeof position !== 'string') return;
              let list = arrivals.get(position);
              if (!list) arrivals.set(position, (list = []));
              list.push(at);
              if (list.length === expected) {
                arrivals.delete(position);
                parent.emit('delivered', { position, arrivals: list });
              }
            },
            error: (error) => void errors.push(JSON.stringify(error, Object.getOwnPropertyNames(error ?? {}))),
            complete: () => undefined,
          }),
        );
      });
      return { subscriptions: disposers.length };
    },
    status: () => ({ subscriptions: disposers.length, results, errors: errors.slice(0, 5), errorCount: errors.length, pendingPositions: arrivals.size }),
    unsubscribe() {
      for (const dispose of disposers) dispose();
      disposers = [];
      arrivals.clear();
      expected = 0;
      return null;
    },
    async disconnect() {
      for (const dispose of disposers) dispose();
      disposers = [];
      arrivals.clear();
      await Promise.all(clients.map(async (client) => client.dispose()));
      clients = [];
      return null;
    },
  },
  async () => {
    await Promise.all(clients.map(async (client) => client.dispose()));
  },
);
