/**
 * The strategies the mechanism simulator plays, each against four honest miners (receipts at 60, 90, 120
 * and 150 minutes) and three honest validators (equal stake, 10 % of fetches blocked) unless it says
 * otherwise. Each scenario also builds its baseline: the same epoch with the cheat replaced by honest work
 * in the same slot (same receipt time, an independent honest scrape per hotkey, honest validators), so
 * "weight vs honest" is what the cheat earns over what honesty would have earned there.
 * @module
 */
import { createPrng } from "../../shared/prng.ts";
import { completenessOf, fillerCompleteness, HONEST, type LieKind, TAMPERINGS } from "./lies.ts";
import {
  fabricate,
  honestScrape,
  pad,
  type SimMiner,
  type SimRow,
  type SimValidator,
  tamper,
  wholeAt,
  WORLD,
  ZIPS,
} from "./world.ts";

/** One simulated epoch's cast. */
export interface Cast {
  miners: SimMiner[];
  validators: SimValidator[];
  /** The hotkeys whose weight the scenario measures (the cheat's, or the liar's victim). */
  measured: string[];
  /** The honest miners' hotkeys (their total weight shows what the cheat costs them). */
  field: string[];
}

/** A strategy: its cast and its honest baseline, per trial. */
export interface Scenario {
  name: string;
  /** "cheat": measured hotkeys cheat (detected = all of them get 0); "victim": a liar targets them. */
  kind: "cheat" | "victim";
  build(trial: string, honest: boolean): Cast;
}

const HONEST_SLOTS = [60, 90, 120, 150];
const CHEAT_MINUTE = 75;
const HONEST_COMPLETENESS = completenessOf(HONEST);

function scrape(trial: string, who: string, coverage?: number): Map<string, SimRow> {
  return honestScrape(createPrng(`${trial}|scrape|${who}`), who, coverage);
}

function honestMiner(trial: string, hotkey: string, minute: number, coverage?: number): SimMiner {
  return {
    hotkey,
    rows: scrape(trial, hotkey, coverage),
    parts: wholeAt(minute),
    completeness: HONEST_COMPLETENESS,
  };
}

function honestField(trial: string, count = HONEST_SLOTS.length, coverage?: number): SimMiner[] {
  return HONEST_SLOTS.slice(0, count).map((minute, i) =>
    honestMiner(trial, `5honest${i + 1}`, minute, coverage)
  );
}

function validators(blockRate = 0.1, count = 3): SimValidator[] {
  return Array.from({ length: count }, (_, i) => ({ hotkey: `5val${i + 1}`, stake: 1, blockRate }));
}

function copies(base: SimMiner, n: number): SimMiner[] {
  return Array.from({ length: n }, (_, i) => ({
    ...base,
    hotkey: `${base.hotkey}${i + 1}`,
    parts: wholeAt(CHEAT_MINUTE + i / 2),
  }));
}

function rowsCheat(
  trial: string,
  edit: (rows: Map<string, SimRow>, prng: ReturnType<typeof createPrng>) => void,
) {
  const rows = scrape(trial, "5cheat");
  edit(rows, createPrng(`${trial}|cheat`));
  return rows;
}

/**
 * A cheating miner (or several hotkeys of one operator). Its baseline is the honest work it did: one honest
 * hotkey per independent scrape (`scrapes`, default one per hotkey; copies of one scrape count once),
 * received when that work would be done (`baselineMinute`, default the cheat's own receipt minute).
 */
function cheatScenario(
  name: string,
  cheat: (trial: string) => SimMiner[],
  opts: {
    blockRate?: number;
    scrapes?: number;
    baselineMinute?: number;
    /** Honest miners' count and coverage (default 4 at 97 %). */
    honest?: { count: number; coverage: number };
  } = {},
): Scenario {
  return {
    name,
    kind: "cheat",
    build(trial, honest) {
      const cheaters = cheat(trial);
      const field = honestField(trial, opts.honest?.count, opts.honest?.coverage);
      const replaced = cheaters.slice(0, opts.scrapes ?? cheaters.length).map((c, i) =>
        honestMiner(trial, c.hotkey, (opts.baselineMinute ?? CHEAT_MINUTE) + i / 2)
      );
      const measured = honest ? replaced : cheaters;
      return {
        miners: [...field, ...measured],
        validators: validators(opts.blockRate),
        measured: measured.map((c) => c.hotkey),
        field: field.map((m) => m.hotkey),
      };
    },
  };
}

const fabricator = (share: number, colluders = 1, coverage?: number) => (trial: string) => {
  const rows = scrape(trial, "5cheat", coverage);
  fabricate(createPrng(`${trial}|cheat`), rows, share, "cheat");
  const base: SimMiner = {
    hotkey: "5cheat",
    rows,
    parts: wholeAt(CHEAT_MINUTE),
    completeness: HONEST_COMPLETENESS,
  };
  return colluders === 1 ? [base] : copies(base, colluders);
};

const liar =
  (kind: LieKind | readonly LieKind[], share: number, completeness = HONEST_COMPLETENESS) =>
  (trial: string): SimMiner[] => [{
    hotkey: "5cheat",
    rows: rowsCheat(
      trial,
      (rows, prng) => tamper(prng, rows, share, typeof kind === "string" ? [kind] : kind),
    ),
    parts: wholeAt(CHEAT_MINUTE),
    completeness,
  }];

/**
 * A lying validator with `liarStake` of the stake next to `honestValidators` honest ones (equal stake,
 * `blockRate`): "valid" votes for a 5 % fabricator's every check, "invalid" against an honest miner's.
 * Its baseline is the same epoch with the liar voting honestly and, for "valid", the fabricator honest.
 */
function liarValidator(
  name: string,
  liarStake: number,
  vote: "valid" | "invalid",
  opts: { blockRate: number; honestValidators: number },
): Scenario {
  const target = vote === "valid" ? "5cheat" : "5honest2";
  return {
    name,
    kind: vote === "valid" ? "cheat" : "victim",
    build(trial, honest) {
      const field = honestField(trial);
      const miners = [...field];
      if (vote === "valid") {
        miners.push(honest ? honestMiner(trial, "5cheat", CHEAT_MINUTE) : fabricator(0.05)(trial)[0]);
      }
      const vals: SimValidator[] = validators(opts.blockRate, opts.honestValidators).map((v) => ({
        ...v,
        stake: (1 - liarStake) / opts.honestValidators,
      }));
      const liar: SimValidator = { hotkey: "5liar", stake: liarStake, blockRate: 0.1 };
      if (!honest) liar.liar = { votes: { [target]: vote } };
      vals.push(liar);
      return {
        miners,
        validators: vals,
        measured: [target],
        field: field.map((m) => m.hotkey).filter((h) => h !== target),
      };
    },
  };
}

/** Every strategy of issue 14, at the simulator's default parameters. */
export const SCENARIOS: readonly Scenario[] = [
  cheatScenario("fabricator, 1 % of rows", fabricator(0.01)),
  cheatScenario("fabricator, 5 % of rows", fabricator(0.05)),
  cheatScenario("twin fabricators, 1 % shared", fabricator(0.01, 2), { scrapes: 1 }),
  cheatScenario("3 colluders, 1 % shared", fabricator(0.01, 3), { scrapes: 1 }),
  cheatScenario("fabricator 1 %; 3 honest miners covering 70 %; 30 % blocked", fabricator(0.01, 1, 0.7), {
    blockRate: 0.3,
    honest: { count: 3, coverage: 0.7 },
  }),
  cheatScenario("fabricator 100 %, validators blocked 97 %", fabricator(1), { blockRate: 0.97 }),
  cheatScenario("filler (invented detail columns)", liar("filler", 1, fillerCompleteness())),
  cheatScenario("tamperer, 10 % of rows", liar(TAMPERINGS, 0.1)),
  cheatScenario("restamper (scraped_at after receipt)", liar("restamp", 1)),
  ...([
    ["padder (+150 not-for-sale per ZIP claimed for sale)", "padding"],
    ["padder (+150 never-listed homes claimed for sale)", "padding_unlisted"],
    ["padder (+150 not-for-sale per ZIP, true status)", null],
  ] as const).map(([name, lie]) =>
    cheatScenario(name, (trial) => [{
      hotkey: "5cheat",
      rows: pad(scrape(trial, "5cheat"), WORLD.notForSalePerZip, "cheat", lie),
      parts: wholeAt(CHEAT_MINUTE),
      completeness: HONEST_COMPLETENESS,
    }])
  ),
  cheatScenario("partial and fast (1 ZIP at 2 min)", (trial) => {
    const rows = new Map([...scrape(trial, "5cheat")].filter(([, r]) => r.zip === ZIPS[0]));
    return [{ hotkey: "5cheat", rows, parts: wholeAt(2), completeness: HONEST_COMPLETENESS }];
  }, { baselineMinute: 120 }),
  cheatScenario(
    "sybil, one scrape under 3 hotkeys",
    (trial) =>
      copies({
        hotkey: "5cheat",
        rows: scrape(trial, "5cheat"),
        parts: [],
        completeness: HONEST_COMPLETENESS,
      }, 3),
    { scrapes: 1 },
  ),
  cheatScenario(
    "careful sybil, one scrape restamped per hotkey (3 hotkeys)",
    (trial) =>
      copies({
        hotkey: "5cheat",
        rows: scrape(trial, "5cheat"),
        parts: [],
        completeness: HONEST_COMPLETENESS,
      }, 3).map((c) => ({
        ...c,
        rows: new Map(
          [...c.rows].map(([zpid, r]) => [zpid, { ...r, scrapeId: `${c.hotkey}:${r.scrapeId}` }]),
        ),
      })),
    { scrapes: 1 },
  ),
  liarValidator("liar validator (45 % stake) rescues a 5 % fabricator", 0.45, "valid", {
    blockRate: 0.1,
    honestValidators: 1,
  }),
  liarValidator("liar validator (33 % stake) rescues a 5 % fabricator", 1 / 3, "valid", {
    blockRate: 0.1,
    honestValidators: 2,
  }),
  liarValidator("liar validator (33 %) zeroes an honest miner, others blocked 50 %", 1 / 3, "invalid", {
    blockRate: 0.5,
    honestValidators: 2,
  }),
];
