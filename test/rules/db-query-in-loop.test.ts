import { dbQueryInLoop } from "../../rules/catalogue/db-query-in-loop";
import { testRule } from "../rule-tester";

testRule(dbQueryInLoop, {
  valid: [
    {
      name: "one batched Prisma query outside the loop",
      code: `import { prisma } from "../lib/prisma";
export async function ordersWithCustomers(orders: Order[]) {
  const customers = await prisma.customer.findMany({ where: { id: { in: orders.map((o) => o.customerId) } } });
  const byId = new Map(customers.map((c) => [c.id, c]));
  for (const order of orders) order.customer = byId.get(order.customerId);
  return orders;
}`,
    },
    {
      name: "a retry loop whose query does not depend on the counter",
      code: `export async function loadSettings(id: string) {
  for (let attempt = 1; attempt <= 3; attempt++) {
    try {
      return await prisma.settings.findUniqueOrThrow({ where: { id } });
    } catch (err) {
      if (attempt === 3) throw err;
      await sleep(attempt * 200);
    }
  }
}`,
    },
    {
      name: "polling in a while loop",
      code: `export async function waitForExport(jobId: string) {
  let job = await prisma.exportJob.findUnique({ where: { id: jobId } });
  while (job && job.status === "pending") {
    await sleep(1000);
    job = await prisma.exportJob.findUnique({ where: { id: jobId } });
  }
  return job;
}`,
    },
    {
      name: "cursor pagination with a counter loop",
      code: `export async function exportAll(totalPages: number) {
  for (let page = 0; page < totalPages; page++) {
    const rows = await prisma.event.findMany({ skip: page * 500, take: 500 });
    await upload(rows);
  }
}`,
    },
    {
      name: "a search that returns on the first free slug",
      code: `export async function uniqueSlug(base: string) {
  for (const candidate of [base, ...Array.from({ length: 20 }, (_, i) => \`\${base}-\${i + 2}\`)]) {
    const taken = await prisma.post.findUnique({ where: { slug: candidate } });
    if (!taken) return candidate;
  }
  throw new Error("no free slug");
}`,
    },
    {
      name: "batched per chunk",
      code: `import { chunk } from "lodash";
export async function deactivate(ids: string[]) {
  for (const part of chunk(ids, 1000)) {
    await prisma.user.updateMany({ where: { id: { in: part } }, data: { active: false } });
  }
  for (const batch of chunk(ids, 1000)) {
    await knex("sessions").whereIn("user_id", batch).del();
  }
}`,
    },
    {
      name: "Sequelize [Op.in] per group",
      code: `import { Op } from "sequelize";
import { User } from "../models";
export async function usersPerGroup(groups: { ids: number[] }[]) {
  const out = [];
  for (const group of groups) out.push(await User.findAll({ where: { id: { [Op.in]: group.ids } } }));
  return out;
}`,
    },
    {
      name: "writes batched in one $transaction",
      code: `export async function reorder(items: { id: string; position: number }[]) {
  await prisma.$transaction(items.map((item) => prisma.menuItem.update({ where: { id: item.id }, data: { position: item.position } })));
}`,
    },
    {
      name: "a seed over a small literal array",
      code: `export async function ensureRoles() {
  for (const name of ["admin", "editor", "viewer"]) {
    await prisma.role.upsert({ where: { name }, create: { name }, update: {} });
  }
}`,
    },
    {
      name: "awaited calls in a loop that are not database queries",
      code: `export async function notifyAll(users: User[]) {
  for (const user of users) {
    await fetch(\`https://hooks.example.com/\${user.id}\`, { method: "POST" });
    await sendEmail(user.email, "Welcome");
    const cached = await cache.get(\`user:\${user.id}\`);
    await redis.set(\`seen:\${user.id}\`, "1");
    await stripe.customers.retrieve(user.stripeId);
  }
}`,
    },
    {
      name: "SDK clients with Prisma-like shapes (Twilio, Anthropic) and per-item methods",
      code: `import twilio from "twilio";
import Anthropic from "@anthropic-ai/sdk";
const client = twilio(process.env.TWILIO_SID, process.env.TWILIO_TOKEN);
const anthropic = new Anthropic();
export async function remind(users: User[], repos: GitRepo[]) {
  for (const user of users) {
    await client.messages.create({ to: user.phone, from: process.env.TWILIO_FROM, body: "Your trial ends tomorrow" });
    await anthropic.messages.create({ model: "claude-sonnet-4-5", max_tokens: 200, messages: [{ role: "user", content: user.bio }] });
  }
  for (const repo of repos) await repo.delete();
}`,
    },
    {
      name: "an Apollo client.query without a SQL driver",
      code: `import { client } from "./apollo";
export async function loadAll(ids: string[]) {
  for (const id of ids) {
    await client.query({ query: GET_USER, variables: { id } });
  }
}`,
    },
    {
      name: "queries collected into promises, not awaited in the loop",
      code: `export async function load(ids: string[]) {
  const pending = [];
  for (const id of ids) pending.push(loader.load(id));
  return Promise.all(pending);
}`,
    },
    {
      name: "a test file",
      file: "test/orders.test.ts",
      code: `it("creates orders", async () => {
  for (const order of fixtures.orders) await prisma.order.create({ data: order });
});`,
    },
    {
      name: "a query in the loop header runs once",
      code: `export async function total() {
  let sum = 0;
  for (const order of await prisma.order.findMany()) sum += order.total;
  return sum;
}`,
    },
  ],
  invalid: [
    {
      name: "Express: Prisma in for…of",
      code: `import express from "express";
import { prisma } from "./prisma";
const app = express();
app.get("/orders", async (req, res) => {
  const orders = await prisma.order.findMany({ where: { userId: req.user.id } });
  for (const order of orders) {
    order.items = await prisma.orderItem.findMany({ where: { orderId: order.id } });
  }
  res.json(orders);
});`,
      errors: [{ line: 7, column: 25, endLine: 7, endColumn: 50, severity: "warning", message: /^N\+1 query: `prisma\.orderItem\.findMany` runs once per item of this `for…of` loop/ }],
    },
    {
      name: "NestJS: this.prisma in an index loop, through a derived variable",
      code: `import { Injectable } from "@nestjs/common";
@Injectable()
export class CartService {
  constructor(private readonly prisma: PrismaService) {}
  async total(lines: CartLine[]) {
    let total = 0;
    for (let i = 0; i < lines.length; i++) {
      const line = lines[i];
      const product = await this.prisma.product.findUnique({ where: { id: line.productId } });
      if (!product) throw new NotFoundException(line.productId);
      total += product.price * line.quantity;
    }
    return total;
  }
}`,
      errors: [{ line: 9, column: 29, message: /`this\.prisma\.product\.findUnique` runs once per item of this loop/ }],
    },
    {
      name: "Promise.all over map: concurrent, info",
      code: `export async function usersByIds(ids: string[]) {
  return Promise.all(ids.map((id) => prisma.user.findUnique({ where: { id } })));
}`,
      errors: [{ line: 2, column: 38, severity: "info", message: /inside `\.map\(\)`: N concurrent queries/ }],
    },
    {
      name: "forEach with an async callback",
      code: `export function markShipped(orderIds: string[]) {
  orderIds.forEach(async (id) => {
    await prisma.order.update({ where: { id }, data: { status: "SHIPPED" } });
  });
}`,
      errors: [{ line: 3, column: 11, severity: "warning", message: /this `\.forEach\(\)`/ }],
    },
    {
      name: "TypeORM repository in a NestJS service",
      code: `import { Injectable } from "@nestjs/common";
import { InjectRepository } from "@nestjs/typeorm";
import { Repository } from "typeorm";
@Injectable()
export class TeamsService {
  constructor(@InjectRepository(Member) private readonly membersRepository: Repository<Member>) {}
  async members(teams: Team[]) {
    const result = [];
    for (const team of teams) {
      result.push(await this.membersRepository.findBy({ teamId: team.id }));
    }
    return result;
  }
}`,
      errors: [{ line: 10, column: 25 }],
    },
    {
      name: "Mongoose model imported from models/, with a 404 exit",
      code: `import { Router } from "express";
import Product from "../models/Product";
export const cart = Router();
cart.post("/checkout", async (req, res) => {
  let total = 0;
  for (const item of req.body.items) {
    const product = await Product.findById(item.productId).lean();
    if (!product) return res.status(404).json({ error: "unknown product" });
    total += product.price * item.quantity;
  }
  res.json({ total });
});`,
      errors: [{ line: 7, column: 27, endColumn: 43 }],
    },
    {
      name: "NestJS injected Mongoose model",
      code: `export class FeedService {
  constructor(@InjectModel(Post.name) private postModel: Model<PostDocument>) {}
  async feed(authors: string[]) {
    const posts = [];
    for (const author of authors) posts.push(...(await this.postModel.find({ author }).sort({ createdAt: -1 }).limit(10)));
    return posts;
  }
}`,
      errors: [{ line: 5, column: 56 }],
    },
    {
      name: "Sequelize models from the models index (db.User)",
      code: `const db = require("../models");
module.exports.enrich = async function enrich(comments) {
  for (const comment of comments) {
    comment.author = await db.User.findByPk(comment.userId, { attributes: ["id", "name"] });
  }
  return comments;
};`,
      errors: [{ line: 4, column: 28 }],
    },
    {
      name: "Knex chain in a Koa route",
      code: `import Router from "@koa/router";
import { knex } from "../db";
const router = new Router();
router.get("/invoices", async (ctx) => {
  const invoices = await knex("invoices").where({ account_id: ctx.state.accountId });
  for (const invoice of invoices) {
    invoice.lines = await knex("invoice_lines").where({ invoice_id: invoice.id }).orderBy("position");
  }
  ctx.body = invoices;
});`,
      errors: [{ line: 7, column: 27, endColumn: 48 }],
    },
    {
      name: "pg pool.query in for…in",
      code: `import { Pool } from "pg";
const pool = new Pool();
export async function saveSettings(userId: string, settings: Record<string, string>) {
  for (const key in settings) {
    await pool.query("INSERT INTO settings(user_id, key, value) VALUES ($1, $2, $3)", [userId, key, settings[key]]);
  }
}`,
      errors: [{ line: 5, column: 11, message: /`pool\.query` runs once per item of this `for…in` loop/ }],
    },
    {
      name: "pg client.query when pg is imported (Fastify)",
      code: `import pg from "pg";
fastify.post("/tags", async (request, reply) => {
  const client = await fastify.pg.connect();
  try {
    for (const tag of request.body.tags) {
      await client.query("INSERT INTO tags(name) VALUES ($1) ON CONFLICT DO NOTHING", [tag]);
    }
  } finally {
    client.release();
  }
  return reply.code(204).send();
});`,
      errors: [{ line: 6, column: 13 }],
    },
    {
      name: "Drizzle select chain and relational query",
      code: `import { db } from "./db";
import { users, posts } from "./schema";
import { eq } from "drizzle-orm";
export async function authors(postList: { authorId: number }[]) {
  const out = [];
  for (const post of postList) {
    const [author] = await db.select().from(users).where(eq(users.id, post.authorId));
    const recent = await db.query.posts.findFirst({ where: eq(posts.authorId, post.authorId) });
    out.push({ author, recent });
  }
  return out;
}`,
      errors: [{ line: 7, column: 28 }, { line: 8, column: 26 }],
    },
    {
      name: "TypeORM getRepository chain inside reduce",
      code: `import { AppDataSource } from "./data-source";
export async function totals(accountIds: number[]) {
  return accountIds.reduce(async (accPromise, accountId) => {
    const acc = await accPromise;
    acc[accountId] = await AppDataSource.getRepository(Invoice).countBy({ accountId });
    return acc;
  }, Promise.resolve({} as Record<number, number>));
}`,
      errors: [{ line: 5, column: 28 }],
    },
    {
      name: "interactive transaction: one write per line item",
      code: `export async function placeOrder(cart: Cart) {
  return prisma.$transaction(async (tx) => {
    const order = await tx.order.create({ data: { userId: cart.userId } });
    for (const line of cart.lines) {
      await tx.orderLine.create({ data: { orderId: order.id, productId: line.productId, quantity: line.quantity } });
    }
    return order;
  });
}`,
      errors: [{ line: 5, column: 13 }],
    },
    {
      name: "MongoDB driver collection in a loop over a Set",
      code: `export async function touch(db: Db, ids: Set<string>) {
  for (const id of ids) {
    await db.collection("sessions").updateOne({ _id: id }, { $set: { touchedAt: new Date() } });
  }
}`,
      errors: [{ line: 3, column: 11 }],
    },
  ],
});
