import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";
import { parse } from "yaml";
import { chartDir } from "./render-chart.js";

// values.yaml and values.schema.json describe the same tree, and every value is documented.

interface SchemaNode {
  type?: string | string[];
  properties?: Record<string, SchemaNode>;
  additionalProperties?: boolean | SchemaNode;
  required?: string[];
  description?: string;
}

const valuesText = readFileSync(join(chartDir, "values.yaml"), "utf8");
const values = parse(valuesText) as Record<string, unknown>;
const schema = JSON.parse(readFileSync(join(chartDir, "values.schema.json"), "utf8")) as SchemaNode;

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === "object" && !Array.isArray(v);
}

/** Every key path of values.yaml, with the schema node it resolves to (undefined when undeclared). */
function walk(value: Record<string, unknown>, node: SchemaNode | undefined, path: string[], out: [string, SchemaNode | undefined][]): void {
  for (const [key, child] of Object.entries(value)) {
    let sub: SchemaNode | undefined;
    if (node?.properties?.[key]) sub = node.properties[key];
    else if (isPlainObject(node?.additionalProperties)) sub = node.additionalProperties;
    else if (node?.additionalProperties !== false && node?.properties === undefined && node !== undefined) sub = {};
    out.push([[...path, key].join("."), sub]);
    if (isPlainObject(child) && sub?.properties !== undefined) walk(child, sub, [...path, key], out);
  }
}

describe("charts/taskyard values", () => {
  it("declares every key of values.yaml in values.schema.json", () => {
    const paths: [string, SchemaNode | undefined][] = [];
    walk(values, schema, [], paths);
    assert.ok(paths.length > 80, `walked ${paths.length} keys`);
    const undeclared = paths.filter(([, node]) => node === undefined).map(([p]) => p);
    assert.deepEqual(undeclared, [], "keys of values.yaml missing from values.schema.json");
  });

  it("gives every schema property a description and forbids unknown keys on the chart's own objects", () => {
    const problems: string[] = [];
    const visit = (node: SchemaNode, path: string): void => {
      if (path !== "" && !node.description) problems.push(`${path}: no description`);
      if (node.properties) {
        if (node.additionalProperties !== false) problems.push(`${path || "(root)"}: additionalProperties must be false`);
        for (const [k, child] of Object.entries(node.properties)) visit(child, path ? `${path}.${k}` : k);
      }
    };
    visit(schema, "");
    assert.deepEqual(problems, []);
  });

  it("has a value in values.yaml for every property the schema declares", () => {
    const missing: string[] = [];
    const visit = (node: SchemaNode, value: unknown, path: string): void => {
      if (!node.properties) return;
      for (const [k, child] of Object.entries(node.properties)) {
        if (k === "global") continue; // Helm's own, supplied by parent charts
        const v = isPlainObject(value) ? value[k] : undefined;
        if (v === undefined) missing.push(path ? `${path}.${k}` : k);
        else visit(child, v, path ? `${path}.${k}` : k);
      }
    };
    visit(schema, values, "");
    assert.deepEqual(missing, [], "schema properties without a default in values.yaml");
  });

  it("comments every value in values.yaml", () => {
    const lines = valuesText.split("\n");
    const undocumented: string[] = [];
    const parents: { indent: number; key: string }[] = [];
    lines.forEach((line, i) => {
      const match = /^(\s*)([A-Za-z][\w-]*):/.exec(line);
      if (!match) return;
      const indent = match[1]?.length ?? 0;
      while (parents.length > 0 && (parents[parents.length - 1]?.indent ?? 0) >= indent) parents.pop();
      const insideData = parents.some((p) => p.key === "resources" || p.key === "seccompProfile");
      parents.push({ indent, key: match[2] ?? "" });
      if (insideData) return; // Kubernetes objects given as data (resources.requests.cpu, ...)
      let j = i - 1;
      while (j >= 0 && (lines[j] ?? "").trim() === "") j--;
      if (!/^\s*#/.test(lines[j] ?? "")) undocumented.push(`line ${i + 1}: ${line.trim()}`);
    });
    assert.deepEqual(undocumented, []);
  });
});
