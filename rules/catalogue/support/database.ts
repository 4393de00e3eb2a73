/** Shared by `db-client-per-request` and `db-query-in-loop`: the database/driver packages the rules know. */

export const MYSQL_MODULES: ReadonlySet<string> = new Set(["mysql", "mysql2", "mysql2/promise"]);

/** SQL driver modules whose `client.query(...)` / `connection.query(...)` is a database round trip. */
export const SQL_DRIVER_MODULES: ReadonlySet<string> = new Set(["pg", "postgres", "mysql", "mysql2", "mysql2/promise", "mssql", "tedious", "oracledb", "better-sqlite3", "sqlite3", "sqlite", "@neondatabase/serverless", "@vercel/postgres"]);

/** `@prisma/client`, or a generated client (`./generated/prisma`, `../prisma/client`). */
export function isPrismaModule(module: string): boolean {
  // `includes` first: rules ask this of every import of a file, and the pattern backtracks over the path.
  return module === "@prisma/client" || (module.includes("prisma") && /^\.{1,2}\/.*\bprisma(?:\/client(?:\/\w+)?)?$/.test(module));
}
