import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { dbClientPerRequest } from "../../rules/catalogue/db-client-per-request";
import { analyzeFile } from "../../rules/engine";
import { testRule } from "../rule-tester";

testRule(dbClientPerRequest, {
  valid: [
    {
      name: "one pg pool for the process",
      code: `import { Pool } from "pg";
const pool = new Pool({ connectionString: process.env.DATABASE_URL, max: 10 });
export async function getUser(id: string) {
  const { rows } = await pool.query("SELECT * FROM users WHERE id = $1", [id]);
  return rows[0];
}`,
    },
    {
      name: "checking a client out of the pool is right",
      code: `import express from "express";
import { pool } from "./db";
const app = express();
app.post("/transfer", async (req, res) => {
  const client = await pool.connect();
  try {
    await client.query("BEGIN");
    await client.query("UPDATE accounts SET balance = balance - $1 WHERE id = $2", [req.body.amount, req.body.from]);
    await client.query("COMMIT");
    res.sendStatus(204);
  } finally {
    client.release();
  }
});`,
    },
    {
      name: "lazy Prisma singleton",
      code: `import { PrismaClient } from "@prisma/client";
let prisma: PrismaClient | undefined;
export function getPrisma() {
  prisma ??= new PrismaClient();
  return prisma;
}`,
    },
    {
      name: "lazy MongoClient singleton behind if (!client)",
      code: `import { MongoClient } from "mongodb";
let client: MongoClient | null = null;
export async function getDb() {
  if (!client) {
    client = new MongoClient(process.env.MONGO_URL!);
    await client.connect();
  }
  return client.db("app");
}`,
    },
    {
      name: "lazy Mongo database handle behind an early return",
      code: `import { MongoClient, Db } from "mongodb";
let db: Db | undefined;
export async function getDb(): Promise<Db> {
  if (db) return db;
  const client = await MongoClient.connect(process.env.MONGO_URL!);
  db = client.db("app");
  return db;
}`,
    },
    {
      name: "Next.js-style global cache",
      code: `import { PrismaClient } from "@prisma/client";
const globalForPrisma = globalThis as unknown as { prisma?: PrismaClient };
export const prisma = globalForPrisma.prisma ?? new PrismaClient();
if (process.env.NODE_ENV !== "production") globalForPrisma.prisma = prisma;`,
    },
    {
      name: "NestJS provider: created in the constructor, connected in onModuleInit",
      code: `import { Injectable, OnModuleInit } from "@nestjs/common";
import { Client } from "pg";
@Injectable()
export class PgService implements OnModuleInit {
  private readonly client: Client;
  constructor() {
    this.client = new Client({ connectionString: process.env.DATABASE_URL });
  }
  async onModuleInit() {
    await this.client.connect();
  }
}`,
    },
    {
      name: "connected once in bootstrap",
      code: `import { MongoClient } from "mongodb";
import { createApp } from "./app";
async function bootstrap() {
  const client = new MongoClient(process.env.MONGO_URL!);
  await client.connect();
  const app = createApp(client.db());
  app.listen(3000);
}
bootstrap();`,
    },
    {
      name: "a factory that hands the connected client to its caller",
      code: `import { Client } from "pg";
export async function openReplicationClient(slot: string) {
  const client = new Client({ connectionString: process.env.DATABASE_URL, replication: "database" });
  await client.connect();
  await client.query(\`SELECT pg_create_logical_replication_slot('\${slot}', 'pgoutput')\`);
  return client;
}`,
    },
    {
      name: "a Fastify plugin runs once at registration",
      code: `import fp from "fastify-plugin";
import { PrismaClient } from "@prisma/client";
export default fp(async (fastify) => {
  const prisma = new PrismaClient();
  await prisma.$connect();
  fastify.decorate("prisma", prisma);
  fastify.addHook("onClose", async () => prisma.$disconnect());
});
export async function dbPlugin(fastify) {
  fastify.decorate("db", new PrismaClient());
}`,
    },
    {
      name: "a knex query builder is not a new Knex instance",
      code: `import { knex } from "./db";
export async function listUsers(req, res) {
  res.json(await knex("users").where({ active: true }));
}`,
    },
    {
      name: "another library's Client",
      code: `import { Client } from "@elastic/elasticsearch";
export async function search(req, res) {
  const es = new Client({ node: process.env.ES_URL });
  await es.ping();
  res.json(await es.search({ index: "products", q: req.query.q }));
}`,
    },
    {
      name: "a pg Client that is never connected here",
      code: `import { Client } from "pg";
export function describeClient(req, res) {
  const client = new Client();
  res.json({ host: client.host });
}`,
    },
    {
      name: "a script",
      file: "scripts/backfill.ts",
      code: `import { PrismaClient } from "@prisma/client";
export async function backfill() {
  const prisma = new PrismaClient();
  await prisma.user.updateMany({ data: { plan: "free" } });
}`,
    },
  ],
  invalid: [
    {
      name: "pg Client per call, try/finally end: fixed with a module-level pool",
      code: `import { Client } from "pg";

export async function getUser(id: string) {
  const client = new Client({ connectionString: process.env.DATABASE_URL });
  await client.connect();
  try {
    const { rows } = await client.query("SELECT * FROM users WHERE id = $1", [id]);
    return rows[0];
  } finally {
    await client.end();
  }
}`,
      errors: [{ line: 4, column: 18, endLine: 4, endColumn: 28, message: /^`new Client\(\)` opens a new database connection every time `getUser` runs/ }],
      output: `import { Pool } from "pg";

const pool = new Pool({ connectionString: process.env.DATABASE_URL });

export async function getUser(id: string) {
  const client = await pool.connect();
  try {
    const { rows } = await client.query("SELECT * FROM users WHERE id = $1", [id]);
    return rows[0];
  } finally {
    client.release();
  }
}`,
    },
    {
      name: "CommonJS Express handler with pg.Client and a module-level config",
      file: "src/routes.js",
      code: `const express = require('express');
const pg = require('pg');
const config = { connectionString: process.env.DATABASE_URL, ssl: { rejectUnauthorized: false } };
const router = express.Router();
router.get('/products', async (req, res) => {
  const db = new pg.Client(config);
  await db.connect();
  const result = await db.query('SELECT * FROM products');
  await db.end();
  res.json(result.rows);
});
module.exports = router;`,
      errors: [{ line: 6, column: 14, message: /every time the request handler runs/ }],
      output: `const express = require('express');
const pg = require('pg');
const config = { connectionString: process.env.DATABASE_URL, ssl: { rejectUnauthorized: false } };
const router = express.Router();

const pool = new pg.Pool(config);
router.get('/products', async (req, res) => {
  const db = await pool.connect();
  const result = await db.query('SELECT * FROM products');
  db.release();
  res.json(result.rows);
});
module.exports = router;`,
    },
    {
      name: "Client also used as a type: Pool gets its own import",
      code: `import { Client } from "pg";
async function withClient<T>(work: (c: Client) => Promise<T>): Promise<T> {
  const client = new Client();
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}
export const countUsers = () => withClient((c) => c.query("SELECT count(*) FROM users"));`,
      errors: [{ line: 3, column: 18 }],
      output: `import { Client } from "pg";
import { Pool } from "pg";

const pool = new Pool();
async function withClient<T>(work: (c: Client) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  try {
    return await work(client);
  } finally {
    client.release();
  }
}
export const countUsers = () => withClient((c) => c.query("SELECT count(*) FROM users"));`,
    },
    {
      name: "options depend on the request (per-tenant database): reported, no fix",
      code: `import { Client } from "pg";
app.get("/tenants/:tenant/users", async (req, res) => {
  const client = new Client({ database: req.params.tenant });
  await client.connect();
  const { rows } = await client.query("SELECT * FROM users");
  await client.end();
  res.json(rows);
});`,
      errors: [{ line: 3, column: 18 }],
      output: null,
    },
    {
      name: "options built inside the function: reported, no fix",
      code: `import { Client } from "pg";
export async function countRows(table: string, database: string) {
  const options = { connectionString: process.env.DATABASE_URL, database };
  const client = new Client(options);
  await client.connect();
  const { rows } = await client.query(\`SELECT count(*) FROM \${table}\`);
  await client.end();
  return rows[0].count;
}`,
      errors: [{ line: 4 }],
      output: null,
    },
    {
      name: "a query helper object: the pool goes after the imports",
      file: "src/db.ts",
      code: `import { Client } from "pg";
import { PrismaClient } from "@prisma/client";
import { config } from "./config";

export const prisma = new PrismaClient();

// Raw SQL for the few queries Prisma makes awkward.
export const db = {
  async query(text: string, params: unknown[] = []) {
    const client = new Client({ connectionString: config.databaseUrl });
    await client.connect();
    try {
      return await client.query(text, params);
    } finally {
      await client.end();
    }
  },
};`,
      errors: [{ line: 10, column: 20, message: /every time `query` runs/ }],
      output: `import { Pool } from "pg";
import { PrismaClient } from "@prisma/client";
import { config } from "./config";

const pool = new Pool({ connectionString: config.databaseUrl });

export const prisma = new PrismaClient();

// Raw SQL for the few queries Prisma makes awkward.
export const db = {
  async query(text: string, params: unknown[] = []) {
    const client = await pool.connect();
    try {
      return await client.query(text, params);
    } finally {
      client.release();
    }
  },
};`,
    },
    {
      name: "pg client never ended: reported, no fix",
      code: `import { Client } from "pg";
export async function audit(event: string) {
  const client = new Client();
  await client.connect();
  await client.query("INSERT INTO audit(event) VALUES ($1)", [event]);
}`,
      errors: [{ line: 3 }],
      output: null,
    },
    {
      name: "mysql2/promise createConnection in a service function",
      code: `import mysql from "mysql2/promise";
export async function findOrder(id: number) {
  const connection = await mysql.createConnection({ host: process.env.DB_HOST, user: "app", database: "shop" });
  const [rows] = await connection.execute("SELECT * FROM orders WHERE id = ?", [id]);
  await connection.end();
  return rows;
}`,
      errors: [{ line: 3, column: 28, endColumn: 50, message: /mysql\.createPool/ }],
    },
    {
      name: "MongoClient.connect per request",
      code: `const { MongoClient } = require("mongodb");
app.get("/articles", async (req, res) => {
  const client = await MongoClient.connect(process.env.MONGO_URL);
  const articles = await client.db().collection("articles").find().toArray();
  res.json(articles);
});`,
      errors: [{ line: 3, column: 24 }],
    },
    {
      name: "NestJS service method with a new MongoClient",
      code: `import { Injectable } from "@nestjs/common";
import { MongoClient } from "mongodb";
@Injectable()
export class ReportsService {
  async monthly(month: string) {
    const client = new MongoClient(process.env.MONGO_URL!);
    await client.connect();
    try {
      return await client.db().collection("sales").aggregate([{ $match: { month } }]).toArray();
    } finally {
      await client.close();
    }
  }
}`,
      errors: [{ line: 6, column: 20, message: /every time `monthly` runs/ }],
    },
    {
      name: "a PrismaClient per Express request",
      code: `import { PrismaClient } from "@prisma/client";
import express from "express";
const app = express();
app.get("/orders", async (req, res) => {
  const prisma = new PrismaClient();
  res.json(await prisma.order.findMany({ where: { userId: req.user.id } }));
});`,
      errors: [{ line: 5, column: 18, message: /one `PrismaClient` for the whole process/ }],
      output: null,
    },
    {
      name: "Koa middleware with a new Sequelize",
      code: `import { Sequelize } from "sequelize";
router.get("/stats", async (ctx) => {
  const sequelize = new Sequelize(process.env.DATABASE_URL);
  const [rows] = await sequelize.query("SELECT count(*) FROM users");
  ctx.body = rows;
});`,
      errors: [{ line: 3, column: 21 }],
    },
    {
      name: "a Knex instance per call",
      code: `import knex from "knex";
export async function archiveOrders(before: Date) {
  const db = knex({ client: "pg", connection: process.env.DATABASE_URL });
  await db("orders").where("created_at", "<", before).update({ archived: true });
}`,
      errors: [{ line: 3, column: 14 }],
    },
    {
      name: "a TypeORM DataSource per request (Fastify)",
      code: `import { DataSource } from "typeorm";
fastify.get("/users", async (request, reply) => {
  const dataSource = new DataSource({ type: "postgres", url: process.env.DATABASE_URL, entities: [User] });
  await dataSource.initialize();
  return dataSource.getRepository(User).find();
});`,
      errors: [{ line: 3, column: 22 }],
    },
    {
      name: "AWS Lambda handler",
      code: `import { Client } from "pg";
export const handler = async (event) => {
  const client = new Client();
  await client.connect();
  const res = await client.query("SELECT now()");
  await client.end();
  return { statusCode: 200, body: JSON.stringify(res.rows) };
};`,
      errors: [{ line: 3, message: /every time `handler` runs/ }],
      output: `import { Pool } from "pg";

const pool = new Pool();
export const handler = async (event) => {
  const client = await pool.connect();
  const res = await client.query("SELECT now()");
  client.release();
  return { statusCode: 200, body: JSON.stringify(res.rows) };
};`,
    },
  ],
});

describe("db-client-per-request: signals", () => {
  const signals = (code: string) =>
    analyzeFile({ file: "src/db.ts", text: code, production: true }, [{ rule: dbClientPerRequest, options: {} }]).signals.map((s) => `${s.name}@${s.line}:${s.detail}`);

  it("signals pools", () => {
    assert.deepEqual(signals(`import { Pool } from "pg";\nexport const pool = new Pool();`), ["reliability.connection-pooling:pool@2:pg"]);
    assert.deepEqual(signals(`const mysql = require("mysql2");\nmodule.exports = mysql.createPool({ connectionLimit: 10 });`), ["reliability.connection-pooling:pool@2:mysql2"]);
    assert.deepEqual(signals(`import { PrismaClient } from "@prisma/client";\nexport const prisma = new PrismaClient();`), ["reliability.connection-pooling:pool@2:prisma"]);
    assert.deepEqual(signals(`import mongoose from "mongoose";\nawait mongoose.connect(process.env.MONGO_URL);`), ["reliability.connection-pooling:pool@2:mongoose"]);
    assert.deepEqual(signals(`import { Client } from "pg";\nexport const client = new Client();`), []);
  });

  it("signals retry options and retried connects", () => {
    assert.deepEqual(signals(`import Redis from "ioredis";\nexport const redis = new Redis(process.env.REDIS_URL, { maxRetriesPerRequest: 3, retryStrategy: (n) => Math.min(n * 50, 2000) });`), [
      "reliability.connection-retry:retry@2:ioredis",
    ]);
    assert.deepEqual(signals(`import { createClient } from "redis";\nexport const redis = createClient({ socket: { reconnectStrategy: (retries) => retries * 100 } });`), ["reliability.connection-retry:retry@2:redis"]);
    assert.deepEqual(signals(`import pRetry from "p-retry";\nimport { prisma } from "./prisma";\nawait pRetry(() => prisma.$connect(), { retries: 5 });`), ["reliability.connection-retry:retry@3:p-retry"]);
    assert.deepEqual(
      signals(`export async function connectWithRetry(client) {
  for (let attempt = 1; attempt <= 5; attempt++) {
    try {
      await client.connect();
      return;
    } catch (err) {
      await new Promise((r) => setTimeout(r, attempt * 1000));
    }
  }
}`),
      ["reliability.connection-retry:retry@4:retry loop"],
    );
    assert.deepEqual(signals(`import Redis from "ioredis";\nexport const redis = new Redis(process.env.REDIS_URL);`), []);
  });
});
