import { assertEquals } from "../../../tests/assert.ts";
import { createCookieJar } from "./cookie_jar.ts";

const SITE = new URL("https://www.zillow.com/homes/for_sale/77001_rb/");

Deno.test("createCookieJar() sends stored cookies back to the host that set them", () => {
  const jar = createCookieJar({ now: () => new Date(0) });
  jar.store(SITE, ["zguid=24|abc; Path=/; HttpOnly", "_pxvid=v1; Path=/; Max-Age=3600; SameSite=Lax"]);
  assertEquals(
    jar.header(new URL("https://www.zillow.com/homedetails/a/1_zpid/")),
    "zguid=24|abc; _pxvid=v1",
  );
  assertEquals(jar.header(new URL("https://other.example/")), null);
  assertEquals(jar.size, 2);
});

Deno.test("createCookieJar() honours domain, path and secure", () => {
  const jar = createCookieJar({ now: () => new Date(0) });
  jar.store(SITE, [
    "search=x; Domain=.zillow.com; Path=/",
    "deep=1; Path=/homes",
    "plain=1",
    "tls=1; Secure; Path=/",
    "foreign=1; Domain=example.com",
  ]);
  assertEquals(jar.header(new URL("https://api.zillow.com/")), "search=x", "host-only cookies stay on www");
  assertEquals(jar.header(new URL("http://www.zillow.com/homes/x")), "deep=1; search=x");
  assertEquals(
    jar.header(new URL("https://www.zillow.com/homes/for_sale/77001_rb/2_p/")),
    "plain=1; deep=1; search=x; tls=1",
  );
  assertEquals(jar.header(new URL("https://www.zillow.com/homesick/")), "search=x; tls=1");
  assertEquals(jar.size, 4, "a cookie for another domain is refused");
});

Deno.test("createCookieJar() expires cookies by max-age and expires on the injected clock", () => {
  let now = Date.parse("2026-03-01T12:00:00Z");
  const jar = createCookieJar({ now: () => new Date(now) });
  jar.store(SITE, [
    "short=1; Path=/; Max-Age=60",
    "dated=1; Path=/; Expires=Sun, 01 Mar 2026 12:05:00 GMT",
    "both=1; Path=/; Max-Age=600; Expires=Sun, 01 Mar 2026 12:00:01 GMT",
  ]);
  assertEquals(jar.header(SITE), "short=1; dated=1; both=1");
  now += 120_000;
  assertEquals(jar.header(SITE), "dated=1; both=1");
  now += 240_000;
  assertEquals(jar.header(SITE), "both=1");
  jar.store(SITE, ["both=; Path=/; Max-Age=0"]);
  assertEquals(jar.header(SITE), null);
  assertEquals(jar.size, 0);
});

Deno.test("createCookieJar() replaces a cookie of the same name, domain and path", () => {
  const jar = createCookieJar({ now: () => new Date(0) });
  jar.store(SITE, ["_px3=old; Path=/"]);
  jar.store(SITE, ["_px3=new; Path=/", "broken", "=nameless"]);
  assertEquals(jar.header(SITE), "_px3=new");
});
