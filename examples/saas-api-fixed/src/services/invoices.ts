import type { Prisma } from "@prisma/client";
import type Stripe from "stripe";
import { prisma } from "../db";

export async function listInvoicesForTeam(teamId: string) {
  const invoices = await prisma.invoice.findMany({ where: { teamId }, orderBy: { createdAt: "desc" }, take: 50 });
  const projectIds = [...new Set(invoices.map((invoice) => invoice.projectId))];
  const projects = await prisma.project.findMany({ where: { id: { in: projectIds } }, select: { id: true, name: true } });
  const nameById = new Map(projects.map((project) => [project.id, project.name]));
  return invoices.map((invoice) => ({ ...invoice, projectName: nameById.get(invoice.projectId) ?? null }));
}

export async function recordPaidInvoice(tx: Prisma.TransactionClient, invoice: Stripe.Invoice) {
  const teamId = invoice.metadata?.teamId;
  const projectId = invoice.metadata?.projectId;
  if (!invoice.id || !teamId || !projectId) {
    throw new Error(`Stripe invoice ${invoice.id} is missing teamId/projectId metadata`);
  }
  await tx.invoice.upsert({
    where: { stripeInvoiceId: invoice.id },
    create: {
      teamId,
      projectId,
      stripeInvoiceId: invoice.id,
      amountCents: invoice.amount_paid,
      currency: invoice.currency,
      status: "paid",
    },
    update: { status: "paid" },
  });
}
