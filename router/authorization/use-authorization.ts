import { getOperationAST, type DocumentNode } from 'graphql';
import type { Identity } from '../context/router-context.js';
import type { OperationHandle, RouterPlugin } from '../plugins/contract.js';
import { OperationRefused, RouterError } from '../plugins/router-error.js';
import { denyInResult } from './deny-in-result.js';
import { analyzeOperation, filterOperation, type Denial, type FilteredOperation, type OperationAnalysis } from './filter-operation.js';
import { isSatisfied } from './grants.js';
import { AuthorizationRequirements, type Requirement } from '../../common/supergraph/authorization-requirements.js';

/**
 * Decides which `@policy` policies a caller holds for an operation: given the policies the
 * operation's fields name, returns those granted.
 */
export type PolicyEvaluator = (request: { readonly identity: Identity; readonly policies: readonly string[] }) => Iterable<string> | Promise<Iterable<string>>;

/** The default policy evaluator: a policy is granted when the token's `policies` claim lists it. */
export const policiesFromClaims: PolicyEvaluator = ({ identity, policies }) => {
  const claim = identity.claims['policies'];
  const held = new Set(Array.isArray(claim) ? claim.filter((item): item is string => typeof item === 'string') : []);
  return policies.filter((policy) => held.has(policy));
};

export interface AuthorizationOptions {
  /** Refuse the whole operation (401/403) instead of serving what the caller may see. */
  readonly rejectUnauthorized?: boolean;
  readonly evaluatePolicies?: PolicyEvaluator;
}

function describe(requirement: Requirement): string {
  const parts: string[] = [];
  if (requirement.authenticated) parts.push('an authenticated caller');
  for (const alternatives of requirement.scopes) parts.push(`scope ${alternatives.map((set) => set.join(' + ')).join(' or ')}`);
  for (const alternatives of requirement.policies) parts.push(`policy ${alternatives.map((set) => set.join(' + ')).join(' or ')}`);
  return parts.join(' and ') || 'authorization';
}

function denialError(denial: Denial, identity: Identity | undefined, path?: ReadonlyArray<string | number>): RouterError {
  return new RouterError(identity ? 'FORBIDDEN' : 'UNAUTHENTICATED', `${denial.coordinate} requires ${describe(denial.requirement)}`, {
    httpStatus: identity ? 403 : 401,
    ...(path ? { path } : {}),
  });
}

/**
 * Enforces `@authenticated`, `@requiresScopes` and `@policy` before planning, on every operation
 * kind and transport: fields the caller may not see are removed from the operation, and come back
 * null with an UNAUTHENTICATED or FORBIDDEN error at their path while the rest is served; with
 * `rejectUnauthorized`, or when nothing would be left, the whole operation is refused. Upstream
 * sharing is keyed by the decisions taken, so callers authorization treats differently never
 * share a result.
 */
export function useAuthorization(options: AuthorizationOptions = {}): RouterPlugin {
  const evaluatePolicies = options.evaluatePolicies ?? policiesFromClaims;
  let requirements: AuthorizationRequirements | undefined;
  // Per checked document (documents are cached by text) and operation: its restricted fields.
  let analyses = new WeakMap<DocumentNode, Map<string, OperationAnalysis>>();
  // Per analysis and set of decisions: the filtered operation.
  let filtered = new WeakMap<OperationAnalysis, Map<string, FilteredOperation>>();
  const denied = new WeakMap<OperationHandle, { readonly denials: readonly Denial[]; readonly identity: Identity | undefined }>();

  const analysisOf = (
    document: DocumentNode,
    operationName: string | undefined,
    found: AuthorizationRequirements,
    schema: Parameters<typeof analyzeOperation>[0],
  ): OperationAnalysis | undefined => {
    let byName = analyses.get(document);
    if (!byName) {
      byName = new Map();
      analyses.set(document, byName);
    }
    const key = operationName ?? '';
    let analysis = byName.get(key);
    if (!analysis) {
      const operation = getOperationAST(document, operationName);
      if (!operation) return undefined;
      analysis = analyzeOperation(schema, found, document, operation);
      byName.set(key, analysis);
    }
    return analysis;
  };

  return {
    name: 'authorization',
    onSupergraph(supergraph) {
      requirements = new AuthorizationRequirements(supergraph.supergraph);
      analyses = new WeakMap();
      filtered = new WeakMap();
    },
    async onOperation(event) {
      const found = requirements;
      if (!found || found.isEmpty) return;
      const schema = event.supergraph.schema;
      const analysis = analysisOf(event.document, event.operation.name, found, schema);
      if (!analysis || analysis.requirements.length === 0) return;
      const { identity } = event.context;
      const named = [...new Set(analysis.requirements.flatMap((requirement) => requirement.policies.flat(2)))];
      const policies = identity && named.length > 0 ? new Set(await evaluatePolicies({ identity, policies: named })) : new Set<string>();
      const decisions = analysis.requirements.map((requirement) => (isSatisfied(requirement, { identity, policies }) ? '1' : '0')).join('');
      event.shareOnlyWith(`authorization:${decisions}`);
      if (!decisions.includes('0')) return;

      let byDecisions = filtered.get(analysis);
      if (!byDecisions) {
        byDecisions = new Map();
        filtered.set(analysis, byDecisions);
      }
      let outcome = byDecisions.get(decisions);
      if (!outcome) {
        outcome = filterOperation(schema, found, analysis, (requirement) => decisions[analysis.requirements.indexOf(requirement)] === '1');
        byDecisions.set(decisions, outcome);
      }
      if (options.rejectUnauthorized || !outcome.document) {
        const errors = outcome.denials.map((denial) => denialError(denial, identity, denial.fieldPath));
        throw new OperationRefused(errors, identity ? 403 : 401);
      }
      event.rewrite(outcome.document, `authorization:${decisions}`);
      denied.set(event.operation, { denials: outcome.denials, identity });
    },
    onResult(event) {
      const denial = denied.get(event.operation);
      if (!denial) return;
      event.setResult(denyInResult(event.result, denial.denials, (entry, path) => denialError(entry, denial.identity, path)));
    },
  };
}
