import { assert, assertEquals, assertMatch, assertRejects } from "../../../tests/assert.ts";
import { classifyPage } from "../../listing_site/blocks.ts";
import { createDirectExit } from "./direct_exit.ts";
import { serveMarket } from "../../../tests/harness/market_server.ts";

const clock = { now: () => new Date() };

function serveLocal(handler: (request: Request) => Response | Promise<Response>) {
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, handler);
  return { origin: `http://127.0.0.1:${server.addr.port}`, shutdown: () => server.shutdown() };
}

Deno.test("createDirectExit() passes the simulator's strict header check on every route", async () => {
  const market = serveMarket({ strictHeaders: true });
  try {
    const exit = createDirectExit({ clock });
    const signal = AbortSignal.timeout(10_000);
    const search = await exit.send(
      { url: `${market.origin}/homes/for_sale/77001_rb/`, kind: "search" },
      signal,
    );
    assertEquals([search.status, search.exit, classifyPage(search).status], [200, "direct", "ok"]);
    assertMatch(search.body, /__NEXT_DATA__/);

    const api = await exit.send({
      url: `${market.origin}/async-create-search-page-state`,
      kind: "api",
      method: "PUT",
      body: JSON.stringify({ searchQueryState: { usersSearchTerm: "77001" }, wants: {}, requestId: 1 }),
    }, signal);
    assertEquals([api.status, classifyPage(api).status], [200, "ok"]);
    assertEquals(api.headers["content-type"], "application/json");

    const inventory = await (await fetch(`${market.origin}/__sim/inventory/77001`)).json();
    const zpid = inventory.listings[0].zpid;
    const detail = await exit.send({
      url: `${market.origin}/homedetails/any-slug/${zpid}_zpid/`,
      kind: "detail",
    }, signal);
    assertEquals(
      [detail.status, classifyPage(detail).status],
      [200, "ok"],
      "the 301 to the canonical slug is followed",
    );
    assert(detail.url !== `${market.origin}/homedetails/any-slug/${zpid}_zpid/`);
    assertMatch(detail.url, new RegExp(`/homedetails/[^/]+/${zpid}_zpid/$`));
    const stats = await (await fetch(`${market.origin}/__sim/stats`)).json();
    assertEquals(Object.values(stats.clients).map((c) => (c as { blocked: number }).blocked), [0]);
  } finally {
    await market.shutdown();
  }
});

Deno.test("createDirectExit() stops at a redirect into the captcha flow", async () => {
  const paths: string[] = [];
  const site = serveLocal((request) => {
    paths.push(new URL(request.url).pathname);
    return new Response(null, {
      status: 302,
      headers: { location: "/captchaPerimeterX/?url=%2fhomedetails%2f1_zpid%2f&uuid=u&vid=" },
    });
  });
  try {
    const exit = createDirectExit({ clock });
    const answer = await exit.send(
      { url: `${site.origin}/homedetails/1_zpid/`, kind: "detail" },
      new AbortController().signal,
    );
    assertEquals(answer.status, 302);
    assertEquals(classifyPage(answer).status, "blocked");
    assertEquals(paths, ["/homedetails/1_zpid/"]);
  } finally {
    await site.shutdown();
  }
});

Deno.test("createDirectExit() keeps one cookie jar per exit, across redirects", async () => {
  let issued = 0;
  const seen: string[] = [];
  const site = serveLocal((request) => {
    const path = new URL(request.url).pathname;
    seen.push(`${path} ${request.headers.get("cookie") ?? "-"}`);
    const headers = new Headers();
    if (!request.headers.get("cookie")) headers.append("set-cookie", `_pxvid=v${++issued}; Path=/`);
    if (path === "/start") {
      headers.append("set-cookie", "zgsession=s; Path=/");
      headers.set("location", "/homes/");
      return new Response(null, { status: 301, headers });
    }
    return new Response("ok", { headers });
  });
  try {
    const first = createDirectExit({ name: "a", clock });
    const second = createDirectExit({ name: "b", clock });
    const signal = new AbortController().signal;
    await first.send({ url: `${site.origin}/start`, kind: "search" }, signal);
    await first.send({ url: `${site.origin}/homes/2_p/`, kind: "search" }, signal);
    await second.send({ url: `${site.origin}/homes/`, kind: "search" }, signal);
    assertEquals(seen, [
      "/start -",
      "/homes/ _pxvid=v1; zgsession=s",
      "/homes/2_p/ _pxvid=v1; zgsession=s",
      "/homes/ -",
    ]);
  } finally {
    await site.shutdown();
  }
});

Deno.test("createDirectExit() aborts on its signal", async () => {
  const { promise: release, resolve } = Promise.withResolvers<void>();
  const site = serveLocal(async () => {
    await release;
    return new Response("late");
  });
  try {
    const exit = createDirectExit({ clock });
    const error = await assertRejects(() =>
      exit.send({ url: `${site.origin}/homes/`, kind: "search" }, AbortSignal.timeout(50))
    );
    assertEquals(error.name, "TimeoutError");
  } finally {
    resolve();
    await site.shutdown();
  }
});
