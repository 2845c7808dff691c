/**
 * USPS 3-digit ZIP prefix ranges to state codes, so a derived ZIP gets a plausible state without a
 * lookup table. Coarse on purpose: a prefix not listed takes the state of the range below it.
 * @module
 */

// [first prefix of the range, state]; ranges run up to the next entry's first prefix.
const PREFIX_STARTS: ReadonlyArray<readonly [number, string]> = [
  [0, "NY"],
  [6, "PR"],
  [10, "MA"],
  [28, "RI"],
  [30, "NH"],
  [39, "ME"],
  [50, "VT"],
  [55, "MA"],
  [56, "VT"],
  [60, "CT"],
  [70, "NJ"],
  [90, "NY"], // military AE prefixes fold into NY: the simulator has no overseas addresses
  [100, "NY"],
  [150, "PA"],
  [197, "DE"],
  [200, "DC"],
  [206, "MD"],
  [220, "VA"],
  [247, "WV"],
  [270, "NC"],
  [290, "SC"],
  [300, "GA"],
  [320, "FL"],
  [350, "AL"],
  [370, "TN"],
  [386, "MS"],
  [398, "GA"],
  [400, "KY"],
  [430, "OH"],
  [460, "IN"],
  [480, "MI"],
  [500, "IA"],
  [530, "WI"],
  [550, "MN"],
  [570, "SD"],
  [580, "ND"],
  [590, "MT"],
  [600, "IL"],
  [630, "MO"],
  [660, "KS"],
  [680, "NE"],
  [700, "LA"],
  [716, "AR"],
  [730, "OK"],
  [750, "TX"],
  [800, "CO"],
  [820, "WY"],
  [832, "ID"],
  [840, "UT"],
  [850, "AZ"],
  [870, "NM"],
  [889, "NV"],
  [900, "CA"],
  [962, "CA"], // military AP prefixes fold into CA
  [967, "HI"],
  [970, "OR"],
  [980, "WA"],
  [995, "AK"],
];

/** The state code for a 5-digit ZIP, from its 3-digit prefix. */
export function stateForZip(zip: string): string {
  const prefix = Number(zip.slice(0, 3));
  let state = PREFIX_STARTS[0][1];
  for (const [start, code] of PREFIX_STARTS) {
    if (start > prefix) break;
    state = code;
  }
  return state;
}
