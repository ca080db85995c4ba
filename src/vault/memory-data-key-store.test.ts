import { describe, it } from 'vitest';
import { dataKeyStoreContract } from './data-key-store-contract.js';
import { MemoryDataKeyStore } from './memory-data-key-store.js';

describe('MemoryDataKeyStore (test support) passes the DataKeyStore contract', () => {
  it.each(dataKeyStoreContract())('$name', async ({ run }) => run(new MemoryDataKeyStore()));
});
