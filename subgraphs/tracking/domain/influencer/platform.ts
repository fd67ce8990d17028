import { badInput } from '../../../shared/errors/codes.js';

/** Every platform an influencer can publish on. */
export const PLATFORMS = Object.freeze(['INSTAGRAM', 'TIKTOK', 'YOUTUBE', 'TWITCH', 'X', 'OTHER'] as const);

/** The platform an influencer publishes on. */
export type Platform = (typeof PLATFORMS)[number];

/** Whether a value is one of {@link PLATFORMS}. */
export const isPlatform = (value: unknown): value is Platform => typeof value === 'string' && (PLATFORMS as readonly string[]).includes(value);

/** Validates a platform, throwing BAD_USER_INPUT on `field` otherwise. */
export function validatePlatform(value: unknown, field = 'platform'): Platform {
  if (!isPlatform(value)) throw badInput(`${field} must be one of ${PLATFORMS.join(', ')}`, field);
  return value;
}
