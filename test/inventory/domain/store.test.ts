import { describe, expect, it } from 'vitest';
import { foldEvents } from '../../../subgraphs/shared/decider/decider.js';
import { ErrorCode } from '../../../subgraphs/shared/errors/codes.js';
import { storeDecider, type RegisterStore, type StoreEvent } from '../../../subgraphs/inventory/domain/index.js';
import { expectRejection } from './helpers.js';

const register = (overrides: Partial<RegisterStore> = {}): RegisterStore => ({
  type: 'RegisterStore',
  storeId: 's1',
  name: 'Harbour Street',
  location: 'Oslo',
  ...overrides,
});

const decideFresh = (command: RegisterStore): StoreEvent[] => storeDecider.decide(command, storeDecider.initialState());

const rejectsField = (overrides: Partial<RegisterStore>, field: string): void => {
  expectRejection(() => decideFresh(register(overrides)), ErrorCode.BAD_USER_INPUT, {
    extensions: { field },
  });
};

describe('store decider', () => {
  it('registers a new store', () => {
    expect(decideFresh(register())).toEqual([{ type: 'StoreRegistered', data: { storeId: 's1', name: 'Harbour Street', location: 'Oslo' } }]);
  });

  it('remembers a registered store', () => {
    expect(foldEvents(storeDecider, decideFresh(register()))).toEqual({
      registered: true,
      name: 'Harbour Street',
    });
  });

  it('rejects registering the same store twice', () => {
    const state = foldEvents(storeDecider, decideFresh(register()));
    expectRejection(() => storeDecider.decide(register(), state), ErrorCode.BAD_USER_INPUT, {
      message: 'store s1 is already registered',
      extensions: { field: 'storeId' },
    });
  });

  it('records a missing location as null and trims name and location', () => {
    expect(decideFresh(register({ location: undefined }))[0]?.data.location).toBeNull();
    expect(decideFresh(register({ name: ' Dock ', location: ' Bergen ' }))[0]?.data).toMatchObject({
      name: 'Dock',
      location: 'Bergen',
    });
  });

  it('rejects a blank or too long name and a too long location', () => {
    rejectsField({ name: ' ' }, 'name');
    rejectsField({ name: 'n'.repeat(201) }, 'name');
    rejectsField({ location: 'l'.repeat(201) }, 'location');
    expect(decideFresh(register({ location: 'l'.repeat(200) }))).toHaveLength(1);
  });

  it('rejects an empty or too long store id', () => {
    rejectsField({ storeId: '' }, 'storeId');
    rejectsField({ storeId: 's'.repeat(101) }, 'storeId');
  });
});
