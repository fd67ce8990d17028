import type { GraphQLResolveInfo } from 'graphql';

/**
 * A subscription field whose source yields the items themselves rather than graphql-js's
 * `{ [fieldName]: item }`, hence its `resolve` (which also runs once per item). Both are typed over
 * the field's item type, which the generated `SubscriptionResolverObject` leaves to `any`.
 */
export interface ItemSubscription<Item, Args, Context> {
  subscribe(parent: unknown, args: Args, ctx: Context, info: GraphQLResolveInfo): AsyncIterable<Item> | Promise<AsyncIterable<Item>>;
  resolve(item: Item, args: Args, ctx: Context, info: GraphQLResolveInfo): Item | Promise<Item>;
}

/** The resolve function of a generated subscription resolver object (the shape with both functions). */
type ResolveOf<Resolver> = Extract<NonNullable<Resolver>, { resolve: (...args: never[]) => unknown }>['resolve'];

/**
 * A generated `SubscriptionResolvers` type with every field required, each the
 * {@link ItemSubscription} of the field's item type and arguments.
 */
export type ItemSubscriptions<Generated, Context> = {
  readonly [Field in keyof Generated]-?: ResolveOf<Generated[Field]> extends (parent: never, args: infer Args, ...rest: never[]) => infer Result
    ? ItemSubscription<Awaited<Result>, Args, Context>
    : never;
};
