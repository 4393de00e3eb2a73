import { etagDisabled } from "../../rules/catalogue/etag-disabled";
import { testRule } from "../rule-tester";

testRule(etagDisabled, {
  valid: [
    `import express from "express";
const app = express();
app.use(express.json());
app.listen(3000);`,
    `const app = require("express")();
app.set("etag", "strong");`,
    `app.disable("x-powered-by");
app.set("trust proxy", 1);`,
    {
      name: "a test file may turn etags off",
      file: "test/app.test.ts",
      code: `app.set("etag", false);`,
    },
  ],
  invalid: [
    {
      code: `import express from "express";
const app = express();
app.set("etag", false);
app.listen(3000);`,
      errors: [{ line: 3, column: 1, endLine: 3, endColumn: 23, message: /ETags are disabled/ }],
      output: `import express from "express";
const app = express();
app.listen(3000);`,
    },
    {
      code: `const app = require("express")();\r\n  app.disable('etag');\r\nmodule.exports = app;\r\n`,
      errors: [{ line: 2, column: 3 }],
      output: `const app = require("express")();\r\nmodule.exports = app;\r\n`,
    },
    {
      name: "NestJS: the underlying Express instance",
      code: `async function bootstrap() {
  const app = await NestFactory.create(AppModule);
  const server = app.getHttpAdapter().getInstance();
  server.set("etag", false);
  await app.listen(3000);
}`,
      errors: [{ line: 4, column: 3 }],
    },
    {
      name: "inside an expression, no automatic removal",
      code: `export const app = express().set("etag", false);`,
      errors: [{ line: 1 }],
      output: null,
    },
  ],
});
