import { randomUUID } from 'node:crypto';
import type { CommandOutcome } from '../../shared/commands/handle-command.js';
import { kyselyOver } from '../../shared/database/kysely/database.js';
import { PgErrorCode, sqlState, type SqlClient } from '../../shared/database/sql.js';
import { badInput, notFound } from '../../shared/errors/codes.js';
import type { EventMetadata } from '../../shared/event-store/contract.js';
import type { Platform } from '../../shared/platform.js';
import { projectStream } from '../../shared/projections/stream-projection.js';
import {
  PRODUCT_EVENTS,
  STOCK_EVENTS,
  STORE_EVENTS,
  productDecider,
  productStreamId,
  stockDecider,
  stockSnapshots,
  stockStreamId,
  storeDecider,
  storeStreamId,
  type StockCommand,
} from '../domain/index.js';
import { productProjection, stockProjection, stockRowsOfAppended, storeProjection } from '../projections/index.js';

/** What every command input may carry besides its own fields. */
export interface CommandOptions {
  readonly expectedVersion?: number | null;
  readonly idempotencyKey?: string | null;
}

async function assertProductAndStore(tx: SqlClient, productId: string, storeId: string): Promise<void> {
  const row = await kyselyOver(tx)
    .selectNoFrom((eb) => [
      eb.exists(eb.selectFrom('products').select(eb.lit(1).as('one')).where('id', '=', productId)).as('product'),
      eb.exists(eb.selectFrom('stores').select(eb.lit(1).as('one')).where('id', '=', storeId)).as('store'),
    ])
    .executeTakeFirst();
  if (!row?.product) throw notFound('product', productId);
  if (!row.store) throw notFound('store', storeId);
}

/** The stream a reservation lives in, from the reservations read model. */
export async function locateReservation(sql: SqlClient, reservationId: string): Promise<{ productId: string; storeId: string }> {
  const row = await kyselyOver(sql).selectFrom('reservations').select(['productId', 'storeId']).where('id', '=', reservationId).executeTakeFirst();
  if (!row) throw notFound('reservation', reservationId);
  return row;
}

/**
 * An id the first run of a command chose, read back from its events: a replay (same idempotency
 * key) must answer with the entity the first run created, not with a newly generated id.
 */
function idFromEvents(outcome: CommandOutcome, field: string, fallback: string): string {
  const value = (outcome.events[0]?.data as Record<string, unknown> | undefined)?.[field];
  return outcome.replayed && typeof value === 'string' ? value : fallback;
}

/** Application service of the inventory subgraph: validates references, runs deciders, projects. */
export function inventoryCommands(platform: Platform) {
  const stockCommand = (
    command: StockCommand,
    metadata: EventMetadata,
    options: CommandOptions,
    precheck?: (tx: SqlClient) => Promise<void>,
    idempotencyScope?: unknown,
  ) =>
    platform.execute({
      streamId: stockStreamId(command.productId, command.storeId),
      events: STOCK_EVENTS,
      decider: stockDecider,
      snapshots: stockSnapshots,
      command,
      expectedVersion: options.expectedVersion,
      idempotencyKey: options.idempotencyKey,
      ...(idempotencyScope !== undefined ? { idempotencyScope } : {}),
      metadata,
      precheck: async (tx) => {
        await assertProductAndStore(tx, command.productId, command.storeId);
        await precheck?.(tx);
      },
      // The stream is read from its snapshot on: only the rows these events change are written.
      project: async (tx, stream) => {
        const rows = stockRowsOfAppended(stream.state, stream.appended);
        if (rows.length > 0) await stockProjection.write(tx, rows);
      },
    });

  return {
    async registerProduct(
      input: { id?: string | null; sku: string; name: string; description?: string | null } & CommandOptions,
      metadata: EventMetadata,
    ): Promise<{ productId: string; outcome: CommandOutcome }> {
      const productId = input.id ?? randomUUID();
      const outcome = await platform.execute({
        streamId: productStreamId(productId),
        events: PRODUCT_EVENTS,
        decider: productDecider,
        command: { type: 'RegisterProduct', productId, sku: input.sku, name: input.name, description: input.description ?? null },
        idempotencyKey: input.idempotencyKey,
        // The id may be generated: the key stands for the client's request.
        idempotencyScope: { type: 'RegisterProduct', id: input.id ?? null, sku: input.sku, name: input.name, description: input.description ?? null },
        metadata,
        project: async (tx, stream) => {
          try {
            await tx.transaction((step) => projectStream(step, productProjection, stream.history));
          } catch (error) {
            if (sqlState(error) === PgErrorCode.UNIQUE_VIOLATION) throw badInput(`sku ${input.sku} is already registered`, 'sku');
            throw error;
          }
        },
      });
      return { productId: idFromEvents(outcome, 'productId', productId), outcome };
    },

    async registerStore(
      input: { id?: string | null; name: string; location?: string | null } & CommandOptions,
      metadata: EventMetadata,
    ): Promise<{ storeId: string; outcome: CommandOutcome }> {
      const storeId = input.id ?? randomUUID();
      const outcome = await platform.execute({
        streamId: storeStreamId(storeId),
        events: STORE_EVENTS,
        decider: storeDecider,
        command: { type: 'RegisterStore', storeId, name: input.name, location: input.location ?? null },
        idempotencyKey: input.idempotencyKey,
        idempotencyScope: { type: 'RegisterStore', id: input.id ?? null, name: input.name, location: input.location ?? null },
        metadata,
        project: (tx, stream) => projectStream(tx, storeProjection, stream.history),
      });
      return { storeId: idFromEvents(outcome, 'storeId', storeId), outcome };
    },

    addStock: (input: { productId: string; storeId: string; quantity: number } & CommandOptions, metadata: EventMetadata) =>
      stockCommand({ type: 'AddStock', productId: input.productId, storeId: input.storeId, quantity: input.quantity }, metadata, input),

    removeStock: (input: { productId: string; storeId: string; quantity: number; reason: string } & CommandOptions, metadata: EventMetadata) =>
      stockCommand(
        { type: 'RemoveStock', productId: input.productId, storeId: input.storeId, quantity: input.quantity, reason: input.reason },
        metadata,
        input,
      ),

    async reserveStock(
      input: {
        productId: string;
        storeId: string;
        quantity: number;
        customerId: string;
        ttlSeconds?: number | null;
        reservationId?: string | null;
      } & CommandOptions,
      metadata: EventMetadata,
    ): Promise<{ reservationId: string; outcome: CommandOutcome }> {
      const reservationId = input.reservationId ?? randomUUID();
      const outcome = await stockCommand(
        {
          type: 'ReserveStock',
          productId: input.productId,
          storeId: input.storeId,
          reservationId,
          quantity: input.quantity,
          customerId: input.customerId,
          ttlSeconds: input.ttlSeconds ?? 900,
          now: new Date().toISOString(),
        },
        metadata,
        input,
        async (tx) => {
          const taken = await kyselyOver(tx)
            .selectFrom('reservations')
            .select((eb) => eb.lit(1).as('one'))
            .where('id', '=', reservationId)
            .where((eb) => eb.not(eb.and([eb('productId', '=', input.productId), eb('storeId', '=', input.storeId)])))
            .executeTakeFirst();
          if (taken) throw badInput(`reservation id ${reservationId} is already used`, 'reservationId');
        },
        // The id may be generated and `now` is the server's: the key stands for the client's request.
        {
          type: 'ReserveStock',
          productId: input.productId,
          storeId: input.storeId,
          quantity: input.quantity,
          customerId: input.customerId,
          ttlSeconds: input.ttlSeconds ?? 900,
          reservationId: input.reservationId ?? null,
        },
      );
      return { reservationId: idFromEvents(outcome, 'reservationId', reservationId), outcome };
    },

    async confirmReservation(input: { reservationId: string } & CommandOptions, metadata: EventMetadata) {
      const key = await locateReservation(platform.db.sql, input.reservationId);
      const outcome = await stockCommand(
        { type: 'ConfirmReservation', ...key, reservationId: input.reservationId, now: new Date().toISOString() },
        metadata,
        input,
        undefined,
        { type: 'ConfirmReservation', reservationId: input.reservationId },
      );
      return { ...key, outcome };
    },

    async releaseReservation(input: { reservationId: string } & CommandOptions, metadata: EventMetadata) {
      const key = await locateReservation(platform.db.sql, input.reservationId);
      const outcome = await stockCommand({ type: 'ReleaseReservation', ...key, reservationId: input.reservationId }, metadata, input);
      return { ...key, outcome };
    },

    setLowStockThreshold: (input: { productId: string; storeId: string; threshold: number } & CommandOptions, metadata: EventMetadata) =>
      stockCommand({ type: 'SetLowStockThreshold', productId: input.productId, storeId: input.storeId, threshold: input.threshold }, metadata, input),
  };
}

export type InventoryCommands = ReturnType<typeof inventoryCommands>;
