/**
 * Monte Carlo over the scenarios: per strategy, the probability per epoch that every cheating hotkey gets
 * weight 0 (for a liar's victim: that the victim keeps its weight), the cheat's expected weight over the
 * honest baseline's, and how far the honest validators' weights agree.
 * @module
 */
import { createPrng } from "../../shared/prng.ts";
import { SCALE } from "../../shared/fixed_point.ts";
import { DEFAULT_KNOBS, judgeEpoch, type MechanismKnobs } from "./judge_model.ts";
import type { Scenario } from "./scenarios.ts";

/** One scenario's measured outcome. */
export interface ScenarioOutcome {
  name: string;
  kind: Scenario["kind"];
  trials: number;
  /** cheat: share of trials in which every cheating hotkey got 0; victim: the victim kept weight. */
  detected: number;
  /** Mean weight of the measured hotkeys over the honest baseline's mean weight in the same slot. */
  weightVsHonest: number;
  /** The honest field's mean weight over its mean weight in the baseline (below 1: the cheat costs them). */
  fieldVsHonest: number;
  /** Lowest agreement between two honest validators' weight vectors over the trials (1 = identical). */
  minAgreement: number;
}

function agreement(a: Record<string, number>, b: Record<string, number>): number {
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  let diff = 0;
  for (const k of keys) diff += Math.abs((a[k] ?? 0) - (b[k] ?? 0));
  return 1 - diff / 2 / SCALE;
}

/** Runs `trials` epochs of `scenario` and of its baseline. */
export function runScenario(
  scenario: Scenario,
  trials: number,
  knobs: MechanismKnobs = DEFAULT_KNOBS,
): ScenarioOutcome {
  let detected = 0;
  let cheatWeight = 0;
  let honestWeight = 0;
  let fieldWeight = 0;
  let fieldBase = 0;
  let minAgreement = 1;
  for (let t = 0; t < trials; t++) {
    const trial = `${scenario.name}|${t}`;
    const weightOf = (honest: boolean) => {
      const cast = scenario.build(trial, honest);
      const views = [
        ...judgeEpoch(trial, cast.miners, cast.validators, createPrng(`${trial}|judge|${honest}`), knobs)
          .values(),
      ];
      for (let i = 1; i < views.length; i++) {
        minAgreement = Math.min(minAgreement, agreement(views[0].weights, views[i].weights));
      }
      const sum = (hotkeys: string[]) => hotkeys.reduce((s, h) => s + (views[0].weights[h] ?? 0), 0);
      return { measured: sum(cast.measured), field: sum(cast.field) };
    };
    const { measured: cheat, field } = weightOf(false);
    const { measured: base, field: fieldHonest } = weightOf(true);
    fieldWeight += field;
    fieldBase += fieldHonest;
    cheatWeight += cheat;
    honestWeight += base;
    if (scenario.kind === "cheat" ? cheat === 0 : cheat > 0) detected++;
  }
  return {
    name: scenario.name,
    kind: scenario.kind,
    trials,
    detected: detected / trials,
    weightVsHonest: honestWeight === 0 ? 0 : cheatWeight / honestWeight,
    fieldVsHonest: fieldBase === 0 ? 0 : fieldWeight / fieldBase,
    minAgreement,
  };
}

/** The outcomes as a Markdown table. */
export function formatTable(outcomes: readonly ScenarioOutcome[]): string {
  const lines = [
    "| strategy | caught per epoch | cheat's weight vs honest work | honest miners' weight vs no cheat | validators agree (min) |",
    "|---|---:|---:|---:|---:|",
  ];
  for (const o of outcomes) {
    const caught = o.kind === "cheat"
      ? `${(o.detected * 100).toFixed(1)} %`
      : `victim kept: ${(o.detected * 100).toFixed(1)} %`;
    lines.push(
      `| ${o.name} | ${caught} | ${o.weightVsHonest.toFixed(3)} | ${o.fieldVsHonest.toFixed(3)} | ${
        (o.minAgreement * 100).toFixed(1)
      } % |`,
    );
  }
  return lines.join("\n");
}
