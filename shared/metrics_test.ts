import { assertEquals, assertThrows } from "../tests/assert.ts";
import { createRegistry } from "./metrics.ts";

Deno.test("createRegistry() renders counters, gauges and histograms in Prometheus text format", () => {
  const r = createRegistry();
  const requests = r.counter("zipmine_requests_total", "Requests");
  requests.inc({ route: "/current", status: "200" });
  requests.inc({ status: "200", route: "/current" }, 2);
  r.gauge("zipmine_metagraph_age_seconds", "Age").set(12.5);
  const h = r.histogram("zipmine_latency_seconds", "Latency", [0.01, 0.1]);
  h.observe(0.005);
  h.observe(0.05);
  assertEquals(requests.get({ route: "/current", status: "200" }), 3);
  assertEquals(
    r.render(),
    [
      "# HELP zipmine_requests_total Requests",
      "# TYPE zipmine_requests_total counter",
      'zipmine_requests_total{route="/current",status="200"} 3',
      "# HELP zipmine_metagraph_age_seconds Age",
      "# TYPE zipmine_metagraph_age_seconds gauge",
      "zipmine_metagraph_age_seconds 12.5",
      "# HELP zipmine_latency_seconds Latency",
      "# TYPE zipmine_latency_seconds histogram",
      'zipmine_latency_seconds_bucket{le="0.01"} 1',
      'zipmine_latency_seconds_bucket{le="0.1"} 2',
      'zipmine_latency_seconds_bucket{le="+Inf"} 2',
      "zipmine_latency_seconds_sum 0.055",
      "zipmine_latency_seconds_count 2",
      "",
    ].join("\n"),
  );
});

Deno.test("createRegistry() escapes label values and refuses a name reused with another type", () => {
  const r = createRegistry();
  r.counter("c", "c").inc({ reason: 'a "quoted"\nvalue' });
  assertEquals(r.render().split("\n")[2], 'c{reason="a \\"quoted\\"\\nvalue"} 1');
  assertThrows(() => r.gauge("c", "c"), TypeError);
});
