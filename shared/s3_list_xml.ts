/**
 * Parses an S3 ListObjectsV2 XML answer (what presigned list URLs return) into keys, sizes, modification
 * times, common prefixes and the continuation token. Only the elements zipmine needs are read.
 * @module
 */

/** One listed object. */
export interface ListedObject {
  key: string;
  size: number;
  lastModifiedMs: number;
}

/** One page of a listing. */
export interface ListPage {
  objects: ListedObject[];
  commonPrefixes: string[];
  isTruncated: boolean;
  nextContinuationToken: string | null;
}

const ENTITIES: Record<string, string> = {
  "&amp;": "&",
  "&lt;": "<",
  "&gt;": ">",
  "&quot;": '"',
  "&apos;": "'",
};

function decode(text: string): string {
  return text.replace(
    /&(amp|lt|gt|quot|apos);|&#(\d+);|&#x([0-9a-fA-F]+);/g,
    (m, _n, dec, hex) =>
      dec ? String.fromCodePoint(Number(dec)) : hex ? String.fromCodePoint(parseInt(hex, 16)) : ENTITIES[m],
  );
}

function element(xml: string, name: string): string | null {
  const m = new RegExp(`<${name}>([\\s\\S]*?)</${name}>`).exec(xml);
  return m ? decode(m[1]) : null;
}

/** Parses one ListObjectsV2 page; throws `SyntaxError` when the XML is not a listing (e.g. an S3 error). */
export function parseListPage(xml: string): ListPage {
  if (!/<ListBucketResult[\s>]/.test(xml)) {
    const code = element(xml, "Code");
    throw new SyntaxError(`Cannot parse S3 listing: ${code ? `S3 error ${code}` : "not a ListBucketResult"}`);
  }
  const objects = [...xml.matchAll(/<Contents>([\s\S]*?)<\/Contents>/g)].map(([, body]) => {
    const key = element(body, "Key");
    const modified = Date.parse(element(body, "LastModified") ?? "");
    const size = Number(element(body, "Size"));
    if (key === null || Number.isNaN(modified) || !Number.isFinite(size)) {
      throw new SyntaxError(`Cannot parse S3 listing entry: ${body.slice(0, 120)}`);
    }
    return { key, size, lastModifiedMs: modified };
  });
  const commonPrefixes = [...xml.matchAll(/<CommonPrefixes>([\s\S]*?)<\/CommonPrefixes>/g)]
    .map(([, body]) => element(body, "Prefix") ?? "");
  return {
    objects,
    commonPrefixes,
    isTruncated: element(xml, "IsTruncated") === "true",
    nextContinuationToken: element(xml, "NextContinuationToken"),
  };
}
