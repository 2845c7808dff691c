import { assertEquals, assertThrows } from "../tests/assert.ts";
import { parseListPage } from "./s3_list_xml.ts";

Deno.test("parseListPage() reads keys, sizes, times, prefixes and the continuation token", () => {
  const xml = `<?xml version="1.0" encoding="UTF-8"?>
<ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Name>b</Name><Prefix>data/</Prefix>
<KeyCount>2</KeyCount><MaxKeys>2</MaxKeys><IsTruncated>true</IsTruncated>
<Contents><Key>data/a&amp;b.parquet</Key><LastModified>2025-10-01T19:30:00.000Z</LastModified><ETag>"x"</ETag><Size>1234</Size></Contents>
<Contents><Key>data/c.json</Key><LastModified>2025-10-01T19:31:00Z</LastModified><Size>10</Size></Contents>
<CommonPrefixes><Prefix>data/hotkey=5X/</Prefix></CommonPrefixes>
<NextContinuationToken>tok&amp;1</NextContinuationToken></ListBucketResult>`;
  assertEquals(parseListPage(xml), {
    objects: [
      { key: "data/a&b.parquet", size: 1234, lastModifiedMs: Date.UTC(2025, 9, 1, 19, 30) },
      { key: "data/c.json", size: 10, lastModifiedMs: Date.UTC(2025, 9, 1, 19, 31) },
    ],
    commonPrefixes: ["data/hotkey=5X/"],
    isTruncated: true,
    nextContinuationToken: "tok&1",
  });
});

Deno.test("parseListPage() refuses S3 error documents", () => {
  assertThrows(
    () => parseListPage("<Error><Code>AccessDenied</Code><Message>no</Message></Error>"),
    SyntaxError,
    "S3 error AccessDenied",
  );
});
