/**
 * Rough code-size measures for tests/arch_test.ts: a file's lines and each function's lines, found by a
 * signature regex (function declarations, `const f = (...) =>` / `async (...)`, methods) and brace matching on
 * lines stripped of strings, template text, regex literals with braces and comments. A nested function is
 * measured on its own and also counts in its parent. Rough on purpose: it needs to be stable, not exact.
 * @module
 */
/** One function: its name, first line (1-based) and length in lines. */
export interface Measured {
  name: string;
  line: number;
  lines: number;
}

// A line's code with string literals, template text, braces in regex literals and comments removed.
function strip(line: string): string {
  return line
    .replace(/"(?:[^"\\]|\\.)*"/g, '""')
    .replace(/'(?:[^'\\]|\\.)*'/g, "''")
    .replace(/`(?:[^`\\]|\\.)*`/g, "``")
    .replace(/\/(?![*/])(?:[^/\\\n]|\\.)+\/[dgimsuvy]*/g, (m) => (/[{}]/.test(m) ? "/re/" : m))
    .replace(/\/\/.*$/, "");
}

const STARTS: RegExp[] = [
  /^\s*(?:export\s+)?(?:default\s+)?(?:async\s+)?function\s*\*?\s*(\w+)/,
  /^\s*(?:export\s+)?(?:const|let)\s+(\w+)\s*(?::[^=]+)?=\s*(?:async\s+)?(?:\([^]*|\w+\s*=>)/,
  /^\s*(?:(?:public|private|protected|static|readonly|override)\s+)*(?:async\s+)?\*?\s*(\w+)\s*(?:<[^>]*>)?\([^]*$/,
];
const KEYWORDS = new Set([
  "if",
  "for",
  "while",
  "switch",
  "catch",
  "return",
  "function",
  "await",
  "typeof",
  "new",
  "super",
  "import",
  "export",
]);

/** Every function of `text` with its length. */
export function measureFunctions(text: string): Measured[] {
  const lines = text.split("\n").map(strip);
  // Drop block comments.
  let inBlock = false;
  for (let i = 0; i < lines.length; i++) {
    let l = lines[i];
    if (inBlock) {
      const end = l.indexOf("*/");
      if (end < 0) {
        lines[i] = "";
        continue;
      }
      l = l.slice(end + 2);
      inBlock = false;
    }
    l = l.replace(/\/\*.*?\*\//g, "");
    const open = l.indexOf("/*");
    if (open >= 0) {
      l = l.slice(0, open);
      inBlock = true;
    }
    lines[i] = l;
  }
  const out: Measured[] = [];
  for (let i = 0; i < lines.length; i++) {
    let name: string | undefined;
    for (const re of STARTS) {
      const m = re.exec(lines[i]);
      if (m && !KEYWORDS.has(m[1])) {
        name = m[1];
        break;
      }
    }
    if (!name) continue;
    // The body opens on the first line (within 12) that ends with `{` after `)` / `=>` / a return type,
    // once the parameter list is closed: a parameter's type literal spans lines ending in `{` and `;`.
    let open = -1;
    let parens = 0;
    for (let j = i; j < Math.min(lines.length, i + 12); j++) {
      const t = lines[j].trimEnd();
      for (const ch of t) parens += ch === "(" ? 1 : ch === ")" ? -1 : 0;
      if (parens > 0) continue;
      if (/(=>|\)|>|\w|\])\s*\{$/.test(t) && (j > i || /\)|=>/.test(t))) {
        open = j;
        break;
      }
      if (/;\s*$/.test(t) || (j > i && STARTS.some((re) => re.test(lines[j])))) break;
    }
    if (open < 0) continue;
    let depth = 0;
    let started = false;
    let end = -1;
    for (let j = open; j < lines.length && end < 0; j++) {
      // The body's brace is the opening line's last one (a parameter's type literal may come before it).
      const from = j === open ? lines[j].lastIndexOf("{") : 0;
      for (const ch of lines[j].slice(from)) {
        if (ch === "{") {
          depth++;
          started = true;
        } else if (ch === "}") {
          depth--;
          if (started && depth === 0) {
            end = j;
            break;
          }
        }
      }
    }
    if (end < 0) continue;
    out.push({ name, line: i + 1, lines: end - i + 1 });
  }
  return out;
}

/** The number of lines of `text` (a trailing newline ends the last line, it does not start one). */
export function lineCount(text: string): number {
  return text.split("\n").length - (text.endsWith("\n") ? 1 : 0);
}
