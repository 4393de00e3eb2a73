/**
 * Shared by `db-client-per-request` and `db-query-in-loop`: which imported thing an expression names,
 * and the database/driver packages the rules know.
 *
 * `importedName` is general enough for rules/ast.ts (a companion of `moduleOfLocal`); it lives here
 * because that file is not ours.
 */
import * as ts from "typescript";
import { unwrap } from "../../ast";
import type { RuleContext } from "../../types";

export interface ImportedName {
  module: string;
  /** The export it names: `Client` for `import { Client } from "pg"` or `pg.Client`; `default` / `*` for the module itself. */
  name: string;
}

/**
 * What an identifier or `ns.member` refers to when it comes from an import or require:
 * `Client` (named) → `{ pg, Client }`, `pg.Client` (default/namespace) → `{ pg, Client }`, `knex` (default) → `{ knex, default }`.
 */
export function importedName(context: Pick<RuleContext, "imports">, expression: ts.Expression): ImportedName | undefined {
  const node = unwrap(expression);
  if (ts.isIdentifier(node)) {
    for (const binding of context.imports) {
      if (binding.defaultName === node.text) return { module: binding.module, name: "default" };
      if (binding.namespaceName === node.text) return { module: binding.module, name: "*" };
      for (const [imported, local] of binding.named) if (local === node.text) return { module: binding.module, name: imported };
    }
    return undefined;
  }
  if (ts.isPropertyAccessExpression(node)) {
    const base = importedName(context, node.expression);
    if (base && (base.name === "default" || base.name === "*")) return { module: base.module, name: node.name.text };
  }
  return undefined;
}

export const MYSQL_MODULES: ReadonlySet<string> = new Set(["mysql", "mysql2", "mysql2/promise"]);

/** SQL driver modules whose `client.query(...)` / `connection.query(...)` is a database round trip. */
export const SQL_DRIVER_MODULES: ReadonlySet<string> = new Set(["pg", "postgres", "mysql", "mysql2", "mysql2/promise", "mssql", "tedious", "oracledb", "better-sqlite3", "sqlite3", "sqlite", "@neondatabase/serverless", "@vercel/postgres"]);

/** `@prisma/client`, or a generated client (`./generated/prisma`, `../prisma/client`). */
export function isPrismaModule(module: string): boolean {
  return module === "@prisma/client" || /^\.{1,2}\/.*\bprisma(?:\/client(?:\/\w+)?)?$/.test(module);
}
