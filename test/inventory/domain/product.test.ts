import { describe, expect, it } from 'vitest';
import { foldEvents } from '../../../subgraphs/shared/decider/decider.js';
import { ErrorCode } from '../../../subgraphs/shared/errors/codes.js';
import { productDecider, type ProductEvent, type RegisterProduct } from '../../../subgraphs/inventory/domain/index.js';
import { expectRejection } from './helpers.js';

const register = (overrides: Partial<RegisterProduct> = {}): RegisterProduct => ({
  type: 'RegisterProduct',
  productId: 'p1',
  sku: 'SKU-001',
  name: 'Trail shoe',
  description: 'Light and grippy',
  ...overrides,
});

const decideFresh = (command: RegisterProduct): ProductEvent[] => productDecider.decide(command, productDecider.initialState());

const rejectsField = (overrides: Partial<RegisterProduct>, field: string): void => {
  expectRejection(() => decideFresh(register(overrides)), ErrorCode.BAD_USER_INPUT, {
    extensions: { field },
  });
};

describe('product decider', () => {
  it('starts unregistered', () => {
    expect(productDecider.initialState()).toEqual({ registered: false });
  });

  it('registers a new product', () => {
    expect(decideFresh(register())).toEqual([
      {
        type: 'ProductRegistered',
        data: { productId: 'p1', sku: 'SKU-001', name: 'Trail shoe', description: 'Light and grippy' },
      },
    ]);
  });

  it('remembers a registered product', () => {
    const state = foldEvents(productDecider, decideFresh(register()));
    expect(state).toEqual({ registered: true, sku: 'SKU-001', name: 'Trail shoe' });
  });

  it('rejects registering the same product twice', () => {
    const state = foldEvents(productDecider, decideFresh(register()));
    expectRejection(() => productDecider.decide(register(), state), ErrorCode.BAD_USER_INPUT, {
      message: 'product p1 is already registered',
      extensions: { field: 'productId' },
    });
  });

  it('trims the name and description', () => {
    const [event] = decideFresh(register({ name: '  Trail shoe  ', description: '  grippy \n' }));
    expect(event?.data).toMatchObject({ name: 'Trail shoe', description: 'grippy' });
  });

  it('records a missing or blank description as null', () => {
    expect(decideFresh(register({ description: undefined }))[0]?.data.description).toBeNull();
    expect(decideFresh(register({ description: '   ' }))[0]?.data.description).toBeNull();
  });

  it('accepts a SKU of 64 allowed characters', () => {
    const sku = 'Az09._-'.repeat(9).padEnd(64, 'x');
    expect(decideFresh(register({ sku }))[0]?.data.sku).toBe(sku);
  });

  it('rejects an empty, too long or malformed SKU', () => {
    rejectsField({ sku: '' }, 'sku');
    rejectsField({ sku: 'x'.repeat(65) }, 'sku');
    rejectsField({ sku: 'has space' }, 'sku');
    rejectsField({ sku: 'sku/1' }, 'sku');
    rejectsField({ sku: 'ünï' }, 'sku');
  });

  it('rejects a blank or longer than 200 character name', () => {
    rejectsField({ name: '' }, 'name');
    rejectsField({ name: '   ' }, 'name');
    rejectsField({ name: 'n'.repeat(201) }, 'name');
    expect(decideFresh(register({ name: 'n'.repeat(200) }))).toHaveLength(1);
  });

  it('rejects a description longer than 2000 characters', () => {
    rejectsField({ description: 'd'.repeat(2001) }, 'description');
    expect(decideFresh(register({ description: 'd'.repeat(2000) }))).toHaveLength(1);
  });

  it('rejects an empty, too long, padded or colon-bearing product id', () => {
    rejectsField({ productId: '' }, 'productId');
    rejectsField({ productId: 'i'.repeat(101) }, 'productId');
    rejectsField({ productId: ' p1' }, 'productId');
    rejectsField({ productId: 'p:1' }, 'productId');
    expect(decideFresh(register({ productId: 'i'.repeat(100) }))).toHaveLength(1);
  });
});
