/** Quick fixes, disabling a rule for a line, and source.fixAll.readiness — applied, then the diagnostics go. */
import * as assert from "assert";
import * as vscode from "vscode";
import { api, applyAction, codeActions, find, openEditor, ruleOf, summary, waitFor, waitForDiagnostics } from "./helpers";

const FIX_ALL = "source.fixAll.readiness";

describe("code actions", () => {
  before(async () => {
    await api();
  });
  after(async () => {
    await vscode.commands.executeCommand("workbench.action.files.saveAll");
    await vscode.commands.executeCommand("workbench.action.closeAllEditors");
  });

  it("a quick fix applies and its diagnostic goes away (hsts-disabled)", async () => {
    const editor = await openEditor("src/middleware/security.ts");
    const uri = editor.document.uri;
    const [diagnostic] = await waitForDiagnostics(uri, "hsts-disabled", (list) => find(list, "hsts-disabled", 6, 45) !== undefined).then((list) =>
      list.filter((d) => ruleOf(d) === "hsts-disabled"),
    );
    // Right after opening, the server may not have the document yet: ask as the light bulb does, until it answers.
    const actions = await waitFor("the hsts-disabled quick fixes", async () => {
      const offered = await codeActions(uri, diagnostic.range, vscode.CodeActionKind.QuickFix.value);
      return offered.length > 0 && offered;
    }, { timeout: 10_000 });
    const titles = actions.map((action) => action.title);
    for (const title of ["Set HSTS max-age to one year", "Disable hsts-disabled for this line", "Disable hsts-disabled for this file", "Show documentation for hsts-disabled"]) {
      assert.ok(titles.includes(title), `no "${title}" action; got ${JSON.stringify(titles)}`);
    }
    const fix = actions.find((action) => action.title === "Set HSTS max-age to one year")!;
    assert.ok(fix.isPreferred, "the fix is not the preferred action");
    assert.ok(fix.edit, "the fix has no edit after resolving (executeCodeActionProvider with a resolve count)");
    await applyAction(fix);
    await waitForDiagnostics(uri, "hsts-disabled to go away", (list) => !list.some((d) => ruleOf(d) === "hsts-disabled"));
    assert.ok(editor.document.lineAt(6).text.includes('"max-age=31536000"'), `line 7 after the fix: ${editor.document.lineAt(6).text}`);
    assert.ok(await editor.document.save(), "could not save security.ts");
  });

  it('"Disable <rule> for this line" inserts the directive and the diagnostic goes away', async () => {
    const editor = await openEditor("src/app.ts");
    const uri = editor.document.uri;
    const list = await waitForDiagnostics(uri, "console-logging at 45:4", (diagnostics) => find(diagnostics, "console-logging", 45, 4) !== undefined);
    const diagnostic = find(list, "console-logging", 45, 4)!;
    const actions = await codeActions(uri, diagnostic.range, vscode.CodeActionKind.QuickFix.value);
    const disable = actions.find((action) => action.title === "Disable console-logging for this line");
    assert.ok(disable, `no disable-line action; got ${JSON.stringify(actions.map((action) => action.title))}`);
    await applyAction(disable);
    assert.strictEqual(editor.document.lineAt(45).text, "    // readiness-disable-next-line console-logging");
    assert.strictEqual(editor.document.lineAt(46).text, "    console.log(`${req.method} ${req.originalUrl}`);");
    const after = await waitForDiagnostics(uri, "the console-logging at line 46 to go", (diagnostics) => !find(diagnostics, "console-logging", 46) && !find(diagnostics, "console-logging", 45));
    assert.ok(find(after, "console-logging", 57, 4), `the other console-logging finding moved to line 57 and stays: ${summary(after).join(", ")}`);
    assert.ok(!after.some((d) => ruleOf(d) === "unused-suppression"), "the new directive is reported as unused");
    assert.ok(await editor.document.save(), "could not save app.ts");
  });

  it("source.fixAll.readiness fixes every auto-fixable problem of a file (src/config.ts)", async () => {
    const editor = await openEditor("src/config.ts");
    const uri = editor.document.uri;
    await waitForDiagnostics(uri, "3 hardcoded-secret", (list) => list.filter((d) => ruleOf(d) === "hardcoded-secret").length === 3);
    const whole = new vscode.Range(0, 0, editor.document.lineCount, 0);
    const actions = await codeActions(uri, whole, FIX_ALL);
    const fixAll = actions.filter((action) => action.kind?.value === FIX_ALL);
    assert.strictEqual(fixAll.length, 1, `actions of kind ${FIX_ALL}: ${JSON.stringify(actions.map((action) => [action.title, action.kind?.value]))}`);
    assert.ok(fixAll[0].edit, "the fix-all action has no edit after resolving");
    await applyAction(fixAll[0]);
    await waitForDiagnostics(uri, "hardcoded-secret to go away", (list) => !list.some((d) => ruleOf(d) === "hardcoded-secret"));
    const text = editor.document.getText();
    assert.ok(!text.includes("dev-jwt-secret") && !text.includes("sk_live_"), `secrets still in config.ts:\n${text}`);
    assert.ok(text.includes("process.env.STRIPE_SECRET_KEY"), "the Stripe key is not loaded from the environment");
    assert.ok(await editor.document.save(), "could not save config.ts");
  });

  it("the readiness.fixAll command fixes the active editor (src/app.ts)", async () => {
    const editor = await openEditor("src/app.ts");
    const uri = editor.document.uri;
    const fixable = ["cors-allows-localhost", "etag-disabled", "hardcoded-secret"];
    await waitForDiagnostics(uri, "the fixable findings of app.ts", (list) => fixable.every((rule) => list.some((d) => ruleOf(d) === rule)));
    await vscode.commands.executeCommand("readiness.fixAll");
    const after = await waitForDiagnostics(uri, "the fixable findings to go away", (list) => !list.some((d) => fixable.includes(ruleOf(d) ?? "")));
    assert.ok(after.some((d) => ruleOf(d) === "missing-security-headers"), `findings without a fix stay: ${summary(after).join(", ")}`);
    assert.ok(editor.document.getText().includes("process.env.SESSION_SECRET"));
  });
});
