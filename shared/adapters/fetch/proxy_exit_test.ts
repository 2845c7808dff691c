import { assertEquals, assertThrows } from "../../../tests/assert.ts";
import { createProxyExit, parseProxyUrl } from "./proxy_exit.ts";
import { serveMarket } from "../../../tests/harness/market_server.ts";

const clock = { now: () => new Date() };
// Resolves nowhere: an answer proves the request went through the proxy.
const SITE = "http://www.zillow.test";

Deno.test("createProxyExit() sends through its proxy, one simulator client per exit", async () => {
  const market = serveMarket({ extraPorts: 2, strictHeaders: true });
  const [first, second] = market.proxyUrls;
  const sticky = createProxyExit(first.replace("//", "//sess-a:s3cret@"), { clock });
  const plain = createProxyExit(second, { clock, name: "proxy-2" });
  try {
    const signal = AbortSignal.timeout(10_000);
    const a = await sticky.send({ url: `${SITE}/homes/for_sale/77001_rb/`, kind: "search" }, signal);
    const b = await plain.send({ url: `${SITE}/homes/for_sale/77001_rb/2_p/`, kind: "search" }, signal);
    assertEquals([a.status, b.status], [200, 200]);
    assertEquals(a.exit, `proxy:${first.slice("http://".length)}`);
    assertEquals(b.exit, "proxy-2");
    assertEquals(sticky.name.includes("s3cret") || sticky.name.includes("sess-a"), false);
    const stats = await (await fetch(`${market.origin}/__sim/stats`)).json();
    assertEquals(Object.keys(stats.clients).sort(), [`port:${new URL(second).port}`, "proxy:sess-a"]);
  } finally {
    sticky.close();
    plain.close();
    await market.shutdown();
  }
});

Deno.test("parseProxyUrl() splits off the credentials", () => {
  assertEquals(parseProxyUrl("http://user%40x:p%3Ass@gw.example:8000"), {
    url: "http://gw.example:8000",
    address: "gw.example:8000",
    basicAuth: { username: "user@x", password: "p:ss" },
  });
  assertEquals(parseProxyUrl(" https://gw.example "), {
    url: "https://gw.example",
    address: "gw.example:443",
  });
});

Deno.test("parseProxyUrl() refuses other schemes without echoing the password", () => {
  const error = assertThrows(
    () => parseProxyUrl("socks5://u:hunter22@gw.example:1080"),
    TypeError,
    "gw.example:1080",
  );
  assertEquals(error.message.includes("hunter22"), false);
  const bad = assertThrows(() => parseProxyUrl("u:hunter22@gw example"), TypeError);
  assertEquals(bad.message.includes("hunter22"), false);
});
