import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import { fileURLToPath } from "node:url";

/** Where the last run's figures go (JSON; copied by hand into e2e/README.md). */
export const figuresPath = process.env["TASKYARD_E2E_FIGURES"] ?? fileURLToPath(new URL("../suite-figures.json", import.meta.url));

/** Records one measured figure, printed as a JSON line and merged into figuresPath. */
export function recordFigure(name: string, value: number, unit: string): void {
  process.stderr.write(`${JSON.stringify({ level: "info", msg: "figure", component: "e2e", name, value, unit })}\n`);
  let figures: Record<string, { value: number; unit: string; at: string }> = {};
  try {
    figures = JSON.parse(readFileSync(figuresPath, "utf8")) as typeof figures;
  } catch {
    // first figure of the run
  }
  figures[name] = { value, unit, at: new Date().toISOString() };
  mkdirSync(dirname(figuresPath), { recursive: true });
  writeFileSync(figuresPath, `${JSON.stringify(figures, null, 2)}\n`);
}
