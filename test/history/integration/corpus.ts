/** Deterministic AI-output-like texts for integration tests and benchmarks. */
import { seededRandom } from '../../support/seeded-random.js';

const OPENINGS = ['This product', 'Our new campaign', 'The latest release', 'This blender', 'The service', 'Your order'];
const VERBS = ['delivers', 'offers', 'brings', 'provides', 'promises', 'shows'];
const QUALITIES = ['great value', 'excellent quality', 'a poor finish', 'reliable performance', 'terrible support', 'a beautiful design'];
const ENDINGS = [
  'Customers love it.',
  'Some reviewers were disappointed.',
  'It is easy to use every day.',
  'Shipping was slow, but the result is good.',
  'We recommend it without hesitation.',
  'The manual could be clearer.',
];

/** A short review-like text, different for each seed. */
export function sampleText(seed: number): string {
  const random = seededRandom(seed + 1);
  const pick = random.pick;
  const sentences = 2 + random.int(3);
  const parts: string[] = [];
  for (let index = 0; index < sentences; index += 1) {
    parts.push(`${pick(OPENINGS)} ${pick(VERBS)} ${pick(QUALITIES)} for item ${seed}.`, pick(ENDINGS));
  }
  return parts.join(' ');
}
