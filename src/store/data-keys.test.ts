import { afterEach, describe, it } from 'vitest';
import { dataKeyStoreContract } from '../vault/data-key-store-contract.js';
import type { Store } from './db.js';
import { testStoreKinds } from './testing.js';

describe.each(testStoreKinds)('vault data keys on $name', (kind) => {
  let store: Store | undefined;
  afterEach(async () => {
    await store?.close();
    store = undefined;
  });
  it.each(dataKeyStoreContract())('$name', async ({ run }) => {
    store = await kind.open();
    await run(store.dataKeys);
  });
});
