/** A workspace without TypeScript or JavaScript: the view explains itself instead of listing 89 open items. */
import * as assert from "assert";
import { api, waitFor } from "./helpers";

describe("workspace without TypeScript or JavaScript", () => {
  it("shows the no-sources welcome view and no status bar item", async () => {
    const readiness = await api();
    await waitFor("the no-sources state", () => readiness.viewState() === "noSources", { describe: () => readiness.viewState() });
    assert.strictEqual(readiness.checklist()?.sourceFiles, 0);
    assert.deepStrictEqual(await readiness.tree.getChildren(), [], "an empty tree, so the welcome content shows");
    assert.strictEqual(readiness.statusBar().visible, false);
  });
});
