/**
 * The product codename lookups of one consumer batch, read once per account and codename: a batch of
 * ten postbacks for one product makes one read instead of ten. The cache lives for one invocation only,
 * so a changed product mapping is never stale beyond the batch that was being processed when it changed
 * (the same as a read racing the change). Concurrent records share the one read in flight; a failed read
 * is not kept, so the next record tries again.
 */
import type { CatalogRepository } from '../ports/catalog-repository';

type CodenameLookup = Pick<CatalogRepository, 'findProductByCodename'>;

export function catalogForOneBatch(catalog: CodenameLookup): CodenameLookup {
  const reads = new Map<string, ReturnType<CodenameLookup['findProductByCodename']>>();
  return {
    findProductByCodename(accountId, productCodename) {
      // Codenames match case-insensitively (keys.productCodename lower-cases them).
      const key = JSON.stringify([accountId, productCodename.toLowerCase()]);
      let read = reads.get(key);
      if (!read) {
        read = catalog.findProductByCodename(accountId, productCodename);
        reads.set(key, read);
        read.catch(() => reads.delete(key));
      }
      return read;
    },
  };
}
