import type Stripe from "stripe";
import { prisma } from "../db";

export async function listInvoicesForTeam(teamId: string) {
  const invoices = await prisma.invoice.findMany({ where: { teamId }, orderBy: { createdAt: "desc" }, take: 50 });
  const rows = [];
  for (const invoice of invoices) {
    const project = await prisma.project.findUnique({ where: { id: invoice.projectId }, select: { name: true } });
    rows.push({ ...invoice, projectName: project?.name ?? null });
  }
  return rows;
}

export async function recordPaidInvoice(invoice: Stripe.Invoice) {
  const teamId = invoice.metadata?.teamId;
  const projectId = invoice.metadata?.projectId;
  await prisma.invoice.create({
    data: {
      teamId,
      projectId,
      stripeInvoiceId: invoice.id,
      amountCents: invoice.amount_paid,
      currency: invoice.currency,
      status: "paid",
    },
  });
}
