/**
 * A small Prometheus registry: counters, gauges and histograms with labels, rendered in the text
 * exposition format for `GET /metrics`. In memory, no I/O; each process (API, miner, validator) owns one.
 * @module
 */

type Labels = Record<string, string>;

function labelKey(labels: Labels): string {
  return Object.keys(labels).sort().map((k) =>
    `${k}="${labels[k].replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\n/g, "\\n")}"`
  )
    .join(",");
}

interface Family {
  name: string;
  help: string;
  type: "counter" | "gauge" | "histogram";
  render(): string[];
}

/** A monotonically increasing count per label set. */
export interface Counter {
  inc(labels?: Labels, by?: number): void;
  get(labels?: Labels): number;
}

/** A value that goes up and down per label set. */
export interface Gauge {
  set(value: number, labels?: Labels): void;
  get(labels?: Labels): number | undefined;
}

/** Observations bucketed by upper bound, with their sum and count. */
export interface Histogram {
  observe(value: number, labels?: Labels): void;
}

/** A set of metric families. */
export interface Registry {
  counter(name: string, help: string): Counter;
  gauge(name: string, help: string): Gauge;
  histogram(name: string, help: string, buckets: readonly number[]): Histogram;
  /** The text exposition of every family. */
  render(): string;
}

/** Creates an empty registry. Asking twice for the same name returns the same metric. */
export function createRegistry(): Registry {
  const families = new Map<string, Family & { metric: unknown }>();

  function family<T>(
    name: string,
    help: string,
    type: Family["type"],
    make: () => { metric: T; render(): string[] },
  ): T {
    const existing = families.get(name);
    if (existing) {
      if (existing.type !== type) {
        throw new TypeError(`Cannot register "${name}" as a ${type}: it is a ${existing.type}`);
      }
      return existing.metric as T;
    }
    const made = make();
    families.set(name, { name, help, type, metric: made.metric, render: made.render });
    return made.metric;
  }

  function render(): string {
    const lines: string[] = [];
    for (const f of families.values()) {
      lines.push(`# HELP ${f.name} ${f.help}`, `# TYPE ${f.name} ${f.type}`, ...f.render());
    }
    return lines.join("\n") + "\n";
  }

  return {
    counter: (name, help) => family(name, help, "counter", () => makeCounter(name)),
    gauge: (name, help) => family(name, help, "gauge", () => makeGauge(name)),
    histogram: (name, help, buckets) => {
      const bounds = [...buckets].sort((a, b) => a - b);
      return family(name, help, "histogram", () => makeHistogram(name, bounds));
    },
    render,
  };
}

/** A counter's values by label set, and its exposition lines. */
function makeCounter(name: string): { metric: Counter; render(): string[] } {
  const values = new Map<string, number>();
  return {
    metric: {
      inc: (labels = {}, by = 1) => {
        const k = labelKey(labels);
        values.set(k, (values.get(k) ?? 0) + by);
      },
      get: (labels = {}) => values.get(labelKey(labels)) ?? 0,
    },
    render: () => [...values].map(([k, v]) => `${name}${k ? `{${k}}` : ""} ${v}`),
  };
}

/** A gauge's values by label set, and its exposition lines. */
function makeGauge(name: string): { metric: Gauge; render(): string[] } {
  const values = new Map<string, number>();
  return {
    metric: {
      set: (value, labels = {}) => void values.set(labelKey(labels), value),
      get: (labels = {}) => values.get(labelKey(labels)),
    },
    render: () => [...values].map(([k, v]) => `${name}${k ? `{${k}}` : ""} ${v}`),
  };
}

/** A histogram's cumulative buckets, sum and count by label set, and its exposition lines. */
function makeHistogram(name: string, bounds: readonly number[]): { metric: Histogram; render(): string[] } {
  const series = new Map<string, { counts: number[]; sum: number; count: number }>();
  return {
    metric: {
      observe: (value, labels = {}) => {
        const k = labelKey(labels);
        let s = series.get(k);
        if (!s) series.set(k, s = { counts: bounds.map(() => 0), sum: 0, count: 0 });
        bounds.forEach((b, i) => {
          if (value <= b) s.counts[i]++;
        });
        s.sum += value;
        s.count++;
      },
    },
    render: () =>
      [...series].flatMap(([k, s]) => {
        const sep = k ? "," : "";
        return [
          ...bounds.map((b, i) => `${name}_bucket{${k}${sep}le="${b}"} ${s.counts[i]}`),
          `${name}_bucket{${k}${sep}le="+Inf"} ${s.count}`,
          `${name}_sum${k ? `{${k}}` : ""} ${s.sum}`,
          `${name}_count${k ? `{${k}}` : ""} ${s.count}`,
        ];
      }),
  };
}
