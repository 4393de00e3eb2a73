import { Client } from "pg";
import { PrismaClient } from "@prisma/client";
import { config } from "./config";

export const prisma = new PrismaClient();

// Raw SQL for the few queries Prisma makes awkward (invites, exports, member lists).
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
};
