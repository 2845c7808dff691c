/**
 * A `fetch` in front of the fake presigner's that lets a test play a hostile miner or a failing S3 without
 * storing the hostile bytes: it can report another size for a key in listings (a "1 GB" file that is never
 * stored), answer a key's GET with a status (404 gone, 503 S3 failing) or with other bytes (the object
 * changed between the listing and the GET), fail every listing, and count the GETs per key.
 * @module
 */

/** What to tamper with; keys are S3 object keys. */
export interface S3Tamper {
  listedSize?: Record<string, number>;
  getStatus?: Record<string, number>;
  getBody?: Record<string, string | Uint8Array>;
  /** Every listing answers this status. */
  listStatus?: number;
  /** Filled with the number of GETs per key. */
  gets?: Map<string, number>;
}

function escapeXml(s: string): string {
  return s.replaceAll("&", "&amp;").replaceAll("<", "&lt;").replaceAll(">", "&gt;");
}

/** `base` with `tamper` applied. */
export function tamperedFetch(base: typeof fetch, tamper: S3Tamper): typeof fetch {
  return async (input, init) => {
    const url = new URL(input instanceof Request ? input.url : String(input));
    if (url.searchParams.get("list-type") === "2") {
      if (tamper.listStatus) return new Response("tampered", { status: tamper.listStatus });
      const response = await base(input, init);
      let xml = await response.text();
      for (const [key, size] of Object.entries(tamper.listedSize ?? {})) {
        xml = xml.replace(
          new RegExp(`(<Key>${RegExp.escape(escapeXml(key))}</Key>.*?<Size>)\\d+(</Size>)`),
          `$1${size}$2`,
        );
      }
      return new Response(xml, { status: response.status, headers: response.headers });
    }
    const key = decodeURIComponent(url.pathname.split("/").slice(2).join("/"));
    tamper.gets?.set(key, (tamper.gets.get(key) ?? 0) + 1);
    const status = tamper.getStatus?.[key];
    if (status) return new Response(`tampered ${status}`, { status });
    const body = tamper.getBody?.[key];
    if (body !== undefined) {
      const bytes = typeof body === "string" ? new TextEncoder().encode(body) : body;
      return new Response(bytes as Uint8Array<ArrayBuffer>, { status: 200 });
    }
    return base(input, init);
  };
}
