import { expect, test } from "@playwright/test";

// The payment flow end to end: dashboard -> Stripe Checkout (test mode) -> webhook -> plan shown as active.
// Uses a dedicated E2E account without MFA; its team is reset to the free plan by the staging seed job.

const email = process.env.E2E_USER_EMAIL ?? "e2e+billing@acme.io";
const password = process.env.E2E_USER_PASSWORD ?? "";

test.beforeEach(async ({ page }) => {
  test.skip(!password, "E2E_USER_PASSWORD is not set");
  await page.goto("/login");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByRole("heading", { name: "Projects" })).toBeVisible();
});

test("upgrading to Pro with a test card activates the subscription", async ({ page }) => {
  await page.goto("/billing");
  await page.getByRole("button", { name: "Upgrade to Pro" }).click();

  await page.waitForURL(/checkout\.stripe\.com/);
  await page.getByLabel("Card number").fill("4242 4242 4242 4242");
  await page.getByLabel("Expiration").fill("12 / 34");
  await page.getByLabel("CVC").fill("123");
  await page.getByLabel("Cardholder name").fill("E2E Billing");
  await page.getByTestId("hosted-payment-submit-button").click();

  await page.waitForURL(/\/billing\/success/);
  // The plan flips once our webhook has processed checkout.session.completed
  await expect(page.getByText("Pro plan")).toBeVisible({ timeout: 30_000 });
  await expect(page.getByText("Active")).toBeVisible();
});

test("a declined card keeps the team on its current plan", async ({ page }) => {
  await page.goto("/billing");
  await page.getByRole("button", { name: "Upgrade to Pro" }).click();

  await page.waitForURL(/checkout\.stripe\.com/);
  await page.getByLabel("Card number").fill("4000 0000 0000 0002");
  await page.getByLabel("Expiration").fill("12 / 34");
  await page.getByLabel("CVC").fill("123");
  await page.getByLabel("Cardholder name").fill("E2E Billing");
  await page.getByTestId("hosted-payment-submit-button").click();

  await expect(page.getByText(/card was declined/i)).toBeVisible();
});
