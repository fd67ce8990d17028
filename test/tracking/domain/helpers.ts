import { expect } from 'vitest';
import { foldEvents } from '../../../subgraphs/shared/decider/decider.js';
import { DomainError, type ErrorCode } from '../../../subgraphs/shared/errors/codes.js';
import { campaignDecider, type CampaignEvent, type CampaignState, type CreateCampaign } from '../../../subgraphs/tracking/domain/index.js';

/** Runs `fn`, expecting it to throw a DomainError; returns that error. */
export function domainErrorOf(fn: () => unknown): DomainError {
  try {
    fn();
  } catch (error) {
    if (error instanceof DomainError) return error;
    throw error;
  }
  throw new Error('expected a DomainError, but nothing was thrown');
}

/** Expects `fn` to throw a DomainError with `code` (and, if given, these extensions and message). */
export function expectRejection(
  fn: () => unknown,
  code: ErrorCode,
  expected: { extensions?: Record<string, unknown>; message?: RegExp | string } = {},
): DomainError {
  const error = domainErrorOf(fn);
  expect(error.code).toBe(code);
  if (expected.extensions) expect(error.extensions).toEqual(expected.extensions);
  if (expected.message) expect(error.message).toMatch(expected.message);
  return error;
}

export const C = 'c1';
export const T0 = '2024-03-01T12:00:00.000Z';
export const T_END = '2024-04-01T00:00:00.000Z';

/** `T0` plus some seconds, as ISO. */
export const at = (seconds: number): string => new Date(Date.parse(T0) + seconds * 1000).toISOString();

/** A valid CreateCampaign for `c1` running from T0 to T_END. */
export const createCampaign = (overrides: Partial<CreateCampaign> = {}): CreateCampaign => ({
  type: 'CreateCampaign',
  campaignId: C,
  name: 'Spring launch',
  budget: { amount: '1000.00', currency: 'EUR' },
  startsAt: T0,
  endsAt: T_END,
  productId: 'p1',
  ...overrides,
});

/** The campaign state after deciding and folding these commands in order. */
export function campaignAfter(...commands: Parameters<typeof campaignDecider.decide>[0][]): CampaignState {
  let state = campaignDecider.initialState();
  for (const command of commands) state = foldEvents(campaignDecider, campaignDecider.decide(command, state), state);
  return state;
}

/** The state of campaign c1, created and ACTIVE. */
export const activeCampaign = (overrides: Partial<CreateCampaign> = {}): CampaignState => campaignAfter(createCampaign(overrides));

/** Lifecycle command builders for c1. */
export const lifecycle = {
  pause: (now = at(60)) => ({ type: 'PauseCampaign', campaignId: C, now }) as const,
  resume: (now = at(120)) => ({ type: 'ResumeCampaign', campaignId: C, now }) as const,
  end: (now = at(180)) => ({ type: 'EndCampaign', campaignId: C, now }) as const,
};

/** The events `command` yields against `state`. */
export const decide = (command: Parameters<typeof campaignDecider.decide>[0], state: CampaignState): CampaignEvent[] => campaignDecider.decide(command, state);

/** An influencer lookup knowing exactly these ids. */
export const influencers =
  (...ids: string[]) =>
  (id: string): boolean =>
    ids.includes(id);
