/** Deterministic AI-output-like texts for integration tests and benchmarks. */

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

/** A seeded Park–Miller generator. */
export function seeded(seed: number): () => number {
  let state = Math.max(1, Math.floor(seed) % 2_147_483_647);
  return () => {
    state = (state * 48_271) % 2_147_483_647;
    return state / 2_147_483_647;
  };
}

/** A short review-like text, different for each seed. */
export function sampleText(seed: number): string {
  const random = seeded(seed + 1);
  const pick = <T>(list: readonly T[]) => list[Math.floor(random() * list.length)]!;
  const sentences = 2 + Math.floor(random() * 4);
  const parts: string[] = [];
  for (let index = 0; index < sentences; index += 1) {
    parts.push(`${pick(OPENINGS)} ${pick(VERBS)} ${pick(QUALITIES)} for item ${seed}.`, pick(ENDINGS));
  }
  return parts.join(' ');
}
