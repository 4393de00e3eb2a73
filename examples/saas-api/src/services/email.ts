import { config } from "../config";

const FROM = "Acme <hello@acme.io>";

// Thin wrapper around Postmark's HTTP API
async function sendEmail(to: string, subject: string, text: string) {
  const res = await fetch("https://api.postmarkapp.com/email", {
    method: "POST",
    headers: {
      Accept: "application/json",
      "Content-Type": "application/json",
      "X-Postmark-Server-Token": config.postmarkToken ?? "",
    },
    body: JSON.stringify({ From: FROM, To: to, Subject: subject, TextBody: text }),
  });
  if (!res.ok) throw new Error(`Postmark responded ${res.status}`);
}

export function sendWelcomeEmail(to: string, name: string) {
  return sendEmail(to, "Welcome to Acme", `Hi ${name},\n\nThanks for signing up. Your workspace is ready.`);
}

export function sendInviteEmail(to: string, teamName: string, link: string) {
  return sendEmail(to, `You've been invited to ${teamName} on Acme`, `Accept the invitation: ${link}`);
}
