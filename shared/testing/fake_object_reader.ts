/**
 * An `ObjectReader` over the fake presigner's in-memory store, so a test seeds objects once (with
 * `putObject` or through presigned uploads) and both the presigned URLs and the reader see them. Like S3,
 * it fails for a bucket that does not exist. `object_reader_conformance.ts` holds it to the real adapter.
 * @module
 */
import type { ObjectReader } from "../ports.ts";
import type { FakePresigner } from "./fake_presigner.ts";

/** Creates a reader over `store`. */
export function createFakeObjectReader(store: Pick<FakePresigner, "keys" | "getObject">): ObjectReader {
  return {
    listFolders(bucket, prefix) {
      try {
        const folders = new Set<string>();
        for (const key of store.keys(bucket)) {
          const cut = key.startsWith(prefix) ? key.indexOf("/", prefix.length) : -1;
          if (cut >= 0) folders.add(key.slice(0, cut + 1));
        }
        return Promise.resolve([...folders]);
      } catch (error) {
        return Promise.reject(error);
      }
    },
    listObjects(bucket, prefix) {
      try {
        return Promise.resolve(
          store.keys(bucket).filter((key) => key.startsWith(prefix)).map((key) => {
            const object = store.getObject(bucket, key)!;
            return { key, size: object.body.byteLength, lastModifiedMs: object.lastModified.getTime() };
          }),
        );
      } catch (error) {
        return Promise.reject(error);
      }
    },
    getObject(bucket, key, read = {}) {
      try {
        store.keys(bucket); // throws for a missing bucket, as S3 answers NoSuchBucket
        const end = read.maxBytes !== undefined ? read.maxBytes + 1 : undefined;
        return Promise.resolve(store.getObject(bucket, key)?.body.slice(0, end) ?? null);
      } catch (error) {
        return Promise.reject(error);
      }
    },
  };
}
