import { hardcodedMfaCode } from "../../rules/catalogue/hardcoded-mfa-code";
import { testRule } from "../rule-tester";

testRule(hardcodedMfaCode, {
  valid: [
    {
      name: "TOTP verified with otplib",
      code: `import { authenticator } from "otplib";

export function generateMfaSecret(email: string) {
  const secret = authenticator.generateSecret();
  return { secret, otpauthUrl: authenticator.keyuri(email, "Acme", secret) };
}

export function verifyMfaCode(user: { mfaSecret: string | null }, code: string): boolean {
  if (!user.mfaSecret) return false;
  return authenticator.check(code, user.mfaSecret);
}`,
    },
    {
      name: "lengths, TTLs, attempt counts and format checks",
      code: `const MFA_CODE_LENGTH = 6;
const OTP_TTL_SECONDS = 300;
const OTP_EXPIRY_MS = 300000;
const MAX_OTP_ATTEMPTS = 5;

export function isWellFormedOtp(code: string) {
  return /^\\d{6}$/.test(code) && code.length === MFA_CODE_LENGTH;
}`,
    },
    {
      name: "speakeasy verification in a Koa route",
      code: `import speakeasy from "speakeasy";

router.post("/2fa/verify", async (ctx) => {
  const { token } = ctx.request.body;
  const verified = speakeasy.totp.verify({ secret: ctx.state.user.totpSecret, encoding: "base32", token, window: 1 });
  if (!verified) ctx.throw(401, "Invalid code");
  ctx.status = 204;
});`,
    },
    {
      name: "HTTP statuses, ports, database error codes in an MFA handler",
      code: `app.post("/auth/mfa/verify", async (req, res) => {
  try {
    await mfa.verify(req.user, req.body.code);
    return res.status(200).json({ ok: true });
  } catch (err: any) {
    if (err.code === "23505" || err.code === 11000) return res.status(409).end();
    if (res.statusCode === 4000) return;
    return res.status(401).json({ error: "Invalid code" });
  }
});
app.listen(8080);`,
    },
    {
      name: "zip codes and status codes named code",
      code: `export function shippingZone(zipCode: string) {
  if (zipCode === "90210") return "premium";
  return "standard";
}
export function isOk(code: number) {
  return code === 2000;
}
// the file talks about sms delivery, not about codes
export const SMS_SENDER = "ACME";`,
    },
    {
      name: "a fixed code used only in a NODE_ENV test guard (the fixed form)",
      code: `import { authenticator } from "otplib";

const DEV_MFA_CODE = "000000";

export function verifyMfaCode(user: { mfaSecret: string }, code: string): boolean {
  if ((process.env.NODE_ENV === "test" && code === DEV_MFA_CODE) || authenticator.check(code, user.mfaSecret)) {
    return true;
  }
  return false;
}`,
    },
    {
      name: "a dev-only code set under an environment check",
      code: `export const mfaConfig = { issuer: "Acme" } as Record<string, string>;
if (process.env.NODE_ENV !== "production") {
  mfaConfig.bypassCode = "000000";
}`,
    },
    {
      name: "codes generated at random, and timing constants",
      code: `import crypto from "node:crypto";

const OTP_RESEND_INTERVAL = 60000;
const VERIFICATION_CODE_EXPIRY = 600000;

export function createSmsOtp() {
  const otpCode = crypto.randomInt(100000, 999999).toString();
  const fallback = Math.floor(100000 + Math.random() * 900000);
  return { otpCode, fallback, body: \`Your code is \${otpCode}\`, expiresAt: Date.now() + VERIFICATION_CODE_EXPIRY };
}`,
    },
    {
      name: "test files are out of scope",
      file: "test/mfa.test.ts",
      code: `const DEV_MFA_CODE = "000000";
it("rejects a wrong code", () => {
  expect(verifyMfaCode({ mfaSecret: null }, "123456")).toBe(false);
  expect(otp === "246810").toBe(false);
});`,
    },
  ],
  invalid: [
    {
      name: "the DEV_MFA_CODE bypass or-ed with the real TOTP check",
      code: `import { authenticator } from "otplib";

// Lets QA and the demo account get past MFA without an authenticator app
const DEV_MFA_CODE = "000000";

export function verifyMfaCode(user: { mfaSecret: string | null }, code: string): boolean {
  if (!user.mfaSecret) return false;
  if (code === DEV_MFA_CODE || authenticator.check(code, user.mfaSecret)) {
    return true;
  }
  return false;
}`,
      errors: [
        {
          line: 4,
          column: 22,
          message: 'Fixed MFA code "0000…" in DEV_MFA_CODE: anyone who knows it passes two-factor authentication. Verify a real TOTP/OTP instead.',
        },
        {
          line: 8,
          column: 7,
          message: 'The submitted code is compared with DEV_MFA_CODE ("0000…"), a fixed code: a bypass that lets anyone who knows it past two-factor authentication.',
        },
      ],
      output: `import { authenticator } from "otplib";

// Lets QA and the demo account get past MFA without an authenticator app
const DEV_MFA_CODE = "000000";

export function verifyMfaCode(user: { mfaSecret: string | null }, code: string): boolean {
  if (!user.mfaSecret) return false;
  if ((process.env.NODE_ENV === "test" && code === DEV_MFA_CODE) || authenticator.check(code, user.mfaSecret)) {
    return true;
  }
  return false;
}`,
    },
    {
      name: "Express route comparing the request body with a constant",
      code: `import express from "express";

const DEV_MFA_CODE = "000000";
export const authRouter = express.Router();

authRouter.post("/mfa/verify", async (req, res) => {
  if (req.body.code === DEV_MFA_CODE) {
    return res.json({ ok: true });
  }
  return res.status(401).json({ error: "Invalid code" });
});`,
      errors: [{ line: 3, column: 22 }, { line: 7, column: 7 }],
      output: `import express from "express";

const DEV_MFA_CODE = "000000";
export const authRouter = express.Router();

authRouter.post("/mfa/verify", async (req, res) => {
  if (process.env.NODE_ENV === "test" && req.body.code === DEV_MFA_CODE) {
    return res.json({ ok: true });
  }
  return res.status(401).json({ error: "Invalid code" });
});`,
    },
    {
      name: "literal code or-ed with otplib, in a function about OTP",
      code: `import { authenticator } from "otplib";

export function verifyOtp(otp: string, secret: string) {
  if (otp === "246810" || authenticator.check(otp, secret)) return true;
  return false;
}`,
      errors: [
        {
          line: 4,
          column: 7,
          message: 'The submitted code is compared with the fixed code "2468…": a bypass that lets anyone who knows it past two-factor authentication.',
        },
      ],
      output: `import { authenticator } from "otplib";

export function verifyOtp(otp: string, secret: string) {
  if ((process.env.NODE_ENV === "test" && otp === "246810") || authenticator.check(otp, secret)) return true;
  return false;
}`,
    },
    {
      name: "generic `code` compared with a literal, next to a TOTP check",
      code: `export function check(code: string, secret: string) {
  if (code === "000000" || totp.check(code, secret)) {
    return true;
  }
  return false;
}`,
      errors: [{ line: 2, column: 7, message: /fixed code "0000…"/ }],
      output: `export function check(code: string, secret: string) {
  if ((process.env.NODE_ENV === "test" && code === "000000") || totp.check(code, secret)) {
    return true;
  }
  return false;
}`,
    },
    {
      name: "NestJS controller: route decorator about 2FA, single-quoted file",
      code: `import { Body, Controller, Post } from '@nestjs/common';

@Controller('auth')
export class AuthController {
  constructor(private readonly auth: AuthService) {}

  @Post('2fa/verify')
  verify(@Body() dto: VerifyDto) {
    if (dto.code === '112233') return this.auth.login(dto.userId);
    return this.auth.verifyTotp(dto);
  }
}`,
      errors: [{ line: 9, column: 9 }],
      output: `import { Body, Controller, Post } from '@nestjs/common';

@Controller('auth')
export class AuthController {
  constructor(private readonly auth: AuthService) {}

  @Post('2fa/verify')
  verify(@Body() dto: VerifyDto) {
    if (process.env.NODE_ENV === 'test' && dto.code === '112233') return this.auth.login(dto.userId);
    return this.auth.verifyTotp(dto);
  }
}`,
    },
    {
      name: "numeric constant and a !== comparison (reported, no automatic fix)",
      code: `const BYPASS_OTP = 123456;

router.post("/verify-otp", async (ctx) => {
  const { otp } = ctx.request.body;
  if (Number(otp) !== BYPASS_OTP && !speakeasy.totp.verify({ secret: ctx.state.user.totpSecret, encoding: "base32", token: otp })) {
    ctx.throw(401);
  }
});`,
      errors: [
        { line: 1, column: 20, message: /Fixed MFA code "1234…" in BYPASS_OTP/ },
        { line: 5, column: 7, message: /compared with BYPASS_OTP \("1234…"\)/ },
      ],
      output: null,
    },
    {
      name: "!== against the submitted otp",
      code: `router.post("/verify-otp", async (ctx) => {
  const { otp } = ctx.request.body;
  if (otp !== "999999" && !speakeasy.totp.verify({ secret: ctx.state.user.totpSecret, encoding: "base32", token: otp })) {
    ctx.throw(401);
  }
});`,
      errors: [{ line: 3, column: 7, message: /fixed code "9999…"/ }],
      output: null,
    },
    {
      name: "fixed code in configuration objects and env fallbacks",
      code: `export const authConfig = {
  issuer: "Acme",
  mfaCode: "000000",
  smsVerificationCode: process.env.SMS_VERIFICATION_CODE || "4242",
};`,
      errors: [
        { line: 3, column: 12, message: 'Fixed MFA code "0000…" in mfaCode: anyone who knows it passes two-factor authentication. Verify a real TOTP/OTP instead.' },
        { line: 4, column: 61, message: /Fixed MFA code "…" in smsVerificationCode/ },
      ],
    },
    {
      name: "exported constant (its uses elsewhere are unknown)",
      code: `export const MASTER_OTP = "135790";
export const OTP_LENGTH = 6;`,
      errors: [{ line: 1, column: 27, message: /MASTER_OTP/ }],
    },
    {
      name: "a comparison in a verification function, with ==",
      code: `export async function verifyTwoFactor(userId: string, token: string) {
  if (token == "424242") return issueSession(userId);
  return verifyWithAuthenticator(userId, token);
}`,
      errors: [{ line: 2, column: 7 }],
      output: `export async function verifyTwoFactor(userId: string, token: string) {
  if (process.env.NODE_ENV === "test" && token == "424242") return issueSession(userId);
  return verifyWithAuthenticator(userId, token);
}`,
    },
    {
      name: "a list of bypass codes",
      code: `import { authenticator } from "otplib";

const BYPASS_CODES = ["000000", "123456"];

export const verifyTwoFA = (code: string, secret: string) => BYPASS_CODES.includes(code) || authenticator.check(code, secret);`,
      errors: [
        { line: 3, column: 23, message: /Fixed MFA code "0000…" in BYPASS_CODES/ },
        { line: 3, column: 33, message: /Fixed MFA code "1234…" in BYPASS_CODES/ },
      ],
    },
    {
      name: "class field holding a fixed code",
      code: `@Injectable()
export class MfaService {
  private readonly bypassCode = "987654";

  verify(code: string, secret: string) {
    return authenticator.check(code, secret);
  }
}`,
      errors: [{ line: 3, column: 33, message: /Fixed MFA code "9876…" in bypassCode/ }],
    },
  ],
});
