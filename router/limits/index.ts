/**
 * Operation limits: bounds on an operation's text and shape, checked before it is validated or
 * planned, the same way for HTTP and graphql-ws. Call {@link checkOperationText} on the raw text,
 * then {@link checkOperationLimits} on the parsed document; each returns coded GraphQL errors.
 */
export { countTokens } from './count-tokens.js';
export { LIMIT_ERROR_CODES, LimitCode } from './limit-codes.js';
export { measureOperation, type OperationMeasures } from './measure-operation.js';
export { checkOperationLimits, checkOperationText, DEFAULT_OPERATION_LIMITS, operationLimits, type OperationLimits } from './operation-limits.js';
