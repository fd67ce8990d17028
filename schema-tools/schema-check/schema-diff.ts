import { createRequire } from 'node:module';
import type * as Inspector from '@graphql-inspector/core';
import type * as GraphQL from 'graphql';

// graphql-inspector checks types with graphql's `isObjectType` & co, which fail on schemas built
// by another copy of graphql (graphql ships both ESM and CJS builds). Loading the inspector and
// the graphql used to build its input through one CommonJS `require` guarantees one copy.
const require = createRequire(import.meta.url);
const inspector = require('@graphql-inspector/core') as typeof Inspector;
const graphql = require('graphql') as typeof GraphQL;

/** How a schema change affects existing clients. */
export type ChangeCriticality = 'breaking' | 'dangerous' | 'safe';

/** One difference between the base and the new API schema. */
export interface SchemaChange {
  /** graphql-inspector change type, e.g. `FIELD_REMOVED`. */
  type: string;
  /** graphql-inspector path, e.g. `Product.sku`, `Query.products.storeId`, `Status.EXPIRED`. */
  path?: string;
  /** Human readable description from graphql-inspector. */
  message: string;
  criticality: ChangeCriticality;
  /** Why the change is breaking or dangerous, when graphql-inspector says. */
  criticalityReason?: string;
  /** graphql-inspector's change metadata (type names, old and new types, ...). */
  meta: Record<string, unknown>;
}

/** Maps graphql-inspector's criticality level to breaking / dangerous / safe. */
export function criticalityOf(level: Inspector.CriticalityLevel | `${Inspector.CriticalityLevel}`): ChangeCriticality {
  switch (level) {
    case 'BREAKING':
      return 'breaking';
    case 'DANGEROUS':
      return 'dangerous';
    default:
      return 'safe';
  }
}

function toSchemaChange(change: Inspector.Change): SchemaChange {
  const result: SchemaChange = {
    type: String(change.type),
    message: change.message,
    criticality: criticalityOf(change.criticality.level),
    meta: { ...(change.meta as Record<string, unknown>) },
  };
  if (change.path !== undefined) result.path = change.path;
  if (change.criticality.reason) result.criticalityReason = change.criticality.reason;
  return result;
}

/**
 * Diffs two API schemas (SDL) with graphql-inspector's `diff` and classifies every change by its
 * CriticalityLevel.
 */
export async function diffApiSchemas(oldSdl: string, newSdl: string): Promise<SchemaChange[]> {
  const changes = await inspector.diff(graphql.buildSchema(oldSdl), graphql.buildSchema(newSdl));
  return changes.map(toSchemaChange);
}
